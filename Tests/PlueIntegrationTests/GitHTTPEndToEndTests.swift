import Foundation
import PlueTestSupport
import Testing

/// git over smart HTTP through a real `plue serve` with the real git client: clone, fetch and
/// push, protocol v2, the pusher recorded, a pack much larger than the body limit streamed, the
/// pack limit enforced by git, gzip request bodies, and errors git shows as text.
@Suite struct GitHTTPEndToEndTests {
    @Test func cloneFetchAndPushWithTheRealGitClient() throws {
        let forge = try GitHTTPForge()
        let clone = forge.directory.child("clone")
        let cloned = try forge.git(["clone", forge.url("alice/demo.git"), clone], environment: ["GIT_TRACE_PACKET": "1"])
        #expect(cloned.status == 0, "\(cloned.errorOutput)")
        #expect(cloned.errorOutput.contains("clone< version 2"), "protocol v2 was not negotiated")
        #expect(try String(contentsOfFile: clone + "/README", encoding: .utf8) == "hello\n")
        let reader = try forge.clone("reader")

        try "over http\n".write(toFile: clone + "/README", atomically: true, encoding: .utf8)
        try Command.git(["commit", "-q", "-am", "over http"], in: clone)
        let tip = try Command.git(["rev-parse", "HEAD"], in: clone)
        // Without a token git is asked for one (401) and, with prompts off, gives up.
        let anonymous = try forge.git(["push", forge.url("alice/demo.git"), "main"], in: clone)
        #expect(anonymous.status != 0 && anonymous.errorOutput.contains("could not read Username"), "\(anonymous.errorOutput)")
        // With the token as the password, and without .git in the URL.
        let push = try forge.git(["push", forge.url("alice/demo", token: forge.tokens["alice"]), "main"], in: clone)
        #expect(push.status == 0, "\(push.errorOutput)")
        #expect(try forge.refs().contains("\(tip)\trefs/heads/main"))
        let event = try #require(try forge.events().first)
        #expect(event["pusher"] as? String == "alice" && event["newCommit"] as? String == tip && event["ref"] as? String == "refs/heads/main")

        let fetch = try forge.git(["fetch", "-q", "origin"], in: reader)
        #expect(fetch.status == 0, "\(fetch.errorOutput)")
        #expect(try Command.git(["rev-parse", "origin/main"], in: reader) == tip)
        #expect(forge.childrenGone(), "git processes left: \(forge.children)")
    }

    @Test func severalClonesAndPushesAtOnce() throws {
        let forge = try GitHTTPForge()
        let clones = try (0..<3).map { try forge.clone("clone-\($0)") }
        for (index, clone) in clones.enumerated() {
            try Command.git(["commit", "-q", "--allow-empty", "-m", "change \(index)"], in: clone)
        }
        let results = ResultList()
        DispatchQueue.concurrentPerform(iterations: 6) { index in
            let result: CommandResult?
            if index < 3 {
                result = try? forge.git(["push", forge.url("alice/demo.git", token: forge.tokens["alice"]), "HEAD:refs/heads/branch-\(index)"],
                                        in: clones[index])
            } else {
                result = try? forge.git(["clone", "-q", forge.url("alice/demo.git"), forge.directory.child("parallel-\(index)")])
            }
            results.append(index, result)
        }
        for (index, result) in results.all {
            #expect(result?.status == 0, "\(index): \(result?.errorOutput ?? "did not run")")
        }
        for (index, clone) in clones.enumerated() {
            #expect(try forge.refs().contains("\(try Command.git(["rev-parse", "HEAD"], in: clone))\trefs/heads/branch-\(index)"))
        }
        #expect(try forge.events().count == 4, "the seed and three pushes")
        #expect(forge.childrenGone(), "git processes left: \(forge.children)")
    }

    @Test func aPackFarLargerThanTheBodyLimitStreams() throws {
        let forge = try GitHTTPForge(serveArguments: ["--max-body-size", "65536"])
        let clone = try forge.clone("clone")
        let random = try Command.run("/usr/bin/head", ["-c", "20000000", "/dev/urandom"])
        try random.output.write(to: URL(fileURLWithPath: clone + "/big.bin"))
        try Command.git(["add", "big.bin"], in: clone)
        try Command.git(["commit", "-q", "-m", "20 MB"], in: clone)
        let tip = try Command.git(["rev-parse", "HEAD"], in: clone)
        let before = try peakMemoryKiB(forge.server.process.processIdentifier)
        let push = try forge.git(["push", forge.url("alice/demo.git", token: forge.tokens["alice"]), "main"], in: clone,
                                 environment: ["GIT_TRACE_CURL": "1", "GIT_TRACE_CURL_NO_DATA": "1"])
        #expect(push.status == 0, "\(push.errorOutput.suffix(2000))")
        #expect(push.errorOutput.contains("Send header: Transfer-Encoding: chunked"), "git sent the pack in chunks")
        #expect(try forge.refs().contains("\(tip)\trefs/heads/main"))
        // Streamed, not collected: the server's peak memory grew by far less than the pack.
        let growth = try peakMemoryKiB(forge.server.process.processIdentifier) - before
        #expect(growth < 15_000, "the server's peak memory grew by \(growth) KiB for a 20 MB pack")
        #expect(forge.childrenGone())
    }

    @Test func aPackOverThePackLimitIsRefusedByGitWithItsReason() throws {
        let forge = try GitHTTPForge(serveArguments: ["--max-pack-size", "200000", "--max-body-size", "1000"])
        let clone = try forge.clone("clone")
        let before = try forge.refs()
        let random = try Command.run("/usr/bin/head", ["-c", "1000000", "/dev/urandom"])
        try random.output.write(to: URL(fileURLWithPath: clone + "/big.bin"))
        try Command.git(["add", "big.bin"], in: clone)
        try Command.git(["commit", "-q", "-m", "1 MB"], in: clone)
        let push = try forge.git(["push", forge.url("alice/demo.git", token: forge.tokens["alice"]), "main"], in: clone)
        #expect(push.status != 0 && push.errorOutput.contains("pack exceeds maximum allowed size"), "\(push.errorOutput)")
        #expect(try forge.refs() == before)
        // A small push goes through, although its body is larger than --max-body-size.
        try Command.git(["reset", "-q", "--hard", "HEAD~1"], in: clone)
        try String(repeating: "small but more than a thousand bytes\n", count: 100).write(toFile: clone + "/notes", atomically: true, encoding: .utf8)
        try Command.git(["add", "notes"], in: clone)
        try Command.git(["commit", "-q", "-m", "small"], in: clone)
        let small = try forge.git(["push", forge.url("alice/demo.git", token: forge.tokens["alice"]), "main"], in: clone)
        #expect(small.status == 0, "\(small.errorOutput)")
    }

    @Test func gzipRequestBodiesAreInflated() throws {
        let forge = try GitHTTPForge()
        let seed = forge.directory.child("seed")
        for index in 0..<40 { try Command.git(["branch", "branch-\(index)-with-a-name-long-enough-to-grow-the-request"], in: seed) }
        try Command.git(["push", "-q", forge.plue.home + "/repos/alice/demo.git", "refs/heads/*"], in: seed)
        // 41 wants are more than 1 KiB: git sends them gzip-encoded.
        let clone = forge.directory.child("clone")
        let cloned = try forge.git(["clone", "--no-single-branch", forge.url("alice/demo.git"), clone],
                                   environment: ["GIT_TRACE_CURL": "1", "GIT_TRACE_CURL_NO_DATA": "1"])
        #expect(cloned.status == 0, "\(cloned.errorOutput.suffix(2000))")
        #expect(cloned.errorOutput.contains("Send header: Content-Encoding: gzip"))
        #expect(try Command.git(["branch", "-r"], in: clone).split(separator: "\n").count == 42, "41 branches and origin/HEAD")

        // The same by hand: a protocol v2 ls-refs, gzipped.
        let request = forge.directory.child("ls-refs")
        try Data("0014command=ls-refs\n00010000".utf8).write(to: URL(fileURLWithPath: request))
        try Command.run("/bin/gzip", ["-n", request])
        let headers = ["-H", "Git-Protocol: version=2", "-H", "Content-Type: application/x-git-upload-pack-request"]
        let answer = try forge.server.curl("/alice/demo.git/git-upload-pack",
                                           headers + ["-H", "Content-Encoding: gzip", "--data-binary", "@" + request + ".gz"])
        #expect(answer.status == 200 && answer.headers["content-type"] == "application/x-git-upload-pack-result")
        #expect(answer.body.contains(" refs/heads/main\n") && answer.body.contains("refs/heads/branch-39-"), "\(answer.body)")
        // A body that says gzip and is not: the answer is cut short, never a complete one.
        let broken = try Command.run("/usr/bin/curl", ["-s", "-o", "/dev/null", "--max-time", "30"] + headers
                                     + ["-H", "Content-Encoding: gzip", "--data-binary", "not gzip", forge.server.url + "/alice/demo.git/git-upload-pack"])
        #expect(broken.status != 0)
        #expect(forge.childrenGone())

        // A fetch inflating to more than 16 MiB of `have` lines is cut off there, not fed to git
        // for as long as it lasts (20 MiB here; 2 GB would fit in a body of a few MB).
        let have = "0032have " + String(repeating: "a", count: 40) + "\n"
        let bomb = "0011command=fetch0001" + String(repeating: have, count: (20 << 20) / have.utf8.count) + "0009done\n0000"
        let bombPath = forge.directory.child("bomb")
        try Data(bomb.utf8).write(to: URL(fileURLWithPath: bombPath))
        try Command.run("/bin/gzip", ["-n", bombPath])
        let cut = try Command.run("/usr/bin/curl", ["-s", "-o", "/dev/null", "--max-time", "30"] + headers
                                  + ["-H", "Content-Encoding: gzip", "--data-binary", "@" + bombPath + ".gz", forge.server.url + "/alice/demo.git/git-upload-pack"])
        #expect(cut.status != 0, "the answer is cut short")
        let deadline = Date().addingTimeInterval(20)
        while !forge.server.log.contains("larger than the 16777216 bytes") && Date() < deadline { usleep(20_000) }
        #expect(forge.server.log.contains("larger than the 16777216 bytes"), "\(forge.server.log.suffix(1000))")
        #expect(forge.childrenGone())
    }

    @Test func refusalsAreTextAndGitsOwnErrorsStayInTheLog() throws {
        let forge = try GitHTTPForge()
        let dumb = try forge.server.curl("/alice/demo.git/info/refs")
        #expect(dumb.status == 403 && dumb.body.contains("smart HTTP only") && dumb.headers["content-type"] == "text/plain; charset=utf-8")
        let archive = try forge.server.curl("/alice/demo.git/info/refs?service=git-upload-archive")
        #expect(archive.status == 403 && archive.body.contains("unknown service"))
        let json = try forge.server.curl("/alice/demo.git/git-upload-pack", ["-H", "Content-Type: application/json", "--data-binary", "{}"])
        #expect(json.status == 415 && json.body.contains("application/x-git-upload-pack-request"))
        let deflate = try forge.server.curl("/alice/demo.git/git-upload-pack", ["-H", "Content-Type: application/x-git-upload-pack-request",
                                                                               "-H", "Content-Encoding: br", "--data-binary", "x"])
        #expect(deflate.status == 415)

        // Not pkt-lines: git complains on its standard error, which goes to the log only.
        let garbage = try forge.server.curl("/alice/demo.git/git-upload-pack", ["-H", "Content-Type: application/x-git-upload-pack-request",
                                                                               "--data-binary", "this is not a git request"])
        #expect(!garbage.body.contains("fatal") && !garbage.body.contains("protocol error"), "\(garbage.body)")
        let deadline = Date().addingTimeInterval(10)
        while !forge.server.log.contains("protocol error") && Date() < deadline { usleep(20_000) }
        #expect(forge.server.log.contains("git-upload-pack for alice/demo exited"), "\(forge.server.log)")
        #expect(forge.childrenGone())
    }

    /// The most memory the process has held (VmHWM), in KiB.
    func peakMemoryKiB(_ pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") })
        return try #require(Int(line.split(separator: " ").dropFirst().first ?? ""))
    }
}

/// Results gathered from several threads.
final class ResultList: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var results: [(Int, CommandResult?)] = []
    func append(_ index: Int, _ result: CommandResult?) { lock.withLock { results.append((index, result)) } }
    var all: [(Int, CommandResult?)] { lock.withLock { results.sorted { $0.0 < $1.0 } } }
}
