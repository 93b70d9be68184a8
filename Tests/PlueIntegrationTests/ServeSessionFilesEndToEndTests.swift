import Foundation
import PlueTestSupport
import Testing

/// Writing, deleting and patching a session's files over HTTP, as an agent without a shell does:
/// each an operation the CLI lists and undoes, the bytes checked on disk and with git, and
/// nothing reaching outside the working directory whatever the path, link or patch.
@Suite struct ServeSessionFilesEndToEndTests {
    let directory = TemporaryDirectory("plue-session-files")

    /// The bytes at `path` in the session's bookmark, as git stores them.
    func stored(_ forge: SessionAPIForge, _ path: String) throws -> Data {
        try Command.run("/usr/bin/git", ["-C", forge.repository, "cat-file", "blob", "refs/plue/sessions/\(forge.session):\(path)"]).output
    }

    @Test func aFileMovedAsideIsNamedWithoutTheServersPaths() throws {
        let forge = try SessionAPIForge(directory)
        // A FIFO where a file is written goes to the session's trash; the answer names the path
        // in the working directory, never where the trash is on the server.
        #expect(mkfifo(forge.workdir + "/pipe", 0o600) == 0)
        let overFIFO = try forge.call("PUT", SessionAPIForge.base + "/sessions/\(forge.session)/files/pipe", body: "data")
        #expect(overFIFO.status == 200 && overFIFO.body.contains("\"trashed\"") && !overFIFO.body.contains(forge.plue.home), "\(overFIFO.body)")
    }

    /// Two clients writing one session: each sends the ETag it read as `If-Match`; one that is
    /// stale (another client's write, or edits made in the working directory since) gets 412 and
    /// changes nothing, over PUT, DELETE and patch alike.
    @Test func ifMatchKeepsClientsFromOverwritingEachOther() throws {
        let forge = try SessionAPIForge(directory)
        let session = SessionAPIForge.base + "/sessions/\(forge.session)"
        let tag = try #require(try forge.call("GET", session).headers["etag"])
        #expect(tag.hasPrefix("\"") && tag.hasSuffix("\""), "\(tag)")
        let first = try forge.call("PUT", session + "/files/notes.txt", body: "first", ["-H", "If-Match: \(tag)"])
        #expect(first.status == 200, "\(first.body)")
        let newTag = try #require(first.headers["etag"])
        #expect(newTag != tag)
        #expect(try forge.call("GET", session).headers["etag"] == newTag)

        let operations = try forge.operationKinds().count
        let patch = "--- a/notes.txt\n+++ b/notes.txt\n@@ -1 +1 @@\n-first\n\\ No newline at end of file\n+patched\n"
        for (method, path, body) in [("PUT", "/files/notes.txt", "second"), ("DELETE", "/files/notes.txt", nil), ("POST", "/patch", patch)] {
            let stale = try forge.call(method, session + path, body: body, ["-H", "If-Match: \(tag)"])
            #expect(stale.status == 412 && SessionAPIForge.errorCode(stale.body) == "precondition_failed", "\(method): \(stale.status) \(stale.body)")
        }
        #expect(forge.read("notes.txt") == Data("first".utf8))
        #expect(try stored(forge, "notes.txt") == Data("first".utf8))
        #expect(try forge.operationKinds().count == operations, "a refused write records nothing")

        // Edits in the working directory since the read are a change too: recorded, and the write refused.
        try "by hand\n".write(toFile: forge.workdir + "/hand.txt", atomically: true, encoding: .utf8)
        let afterHand = try forge.call("PUT", session + "/files/notes.txt", body: "third", ["-H", "If-Match: \(newTag)"])
        #expect(afterHand.status == 412, "\(afterHand.body)")
        #expect(forge.read("notes.txt") == Data("first".utf8))
        #expect(try stored(forge, "hand.txt") == Data("by hand\n".utf8))

        let current = try #require(try forge.call("GET", session).headers["etag"])
        #expect(try forge.call("POST", session + "/patch", body: patch, ["-H", "If-Match: \(current)"]).status == 200)
        #expect(forge.read("notes.txt") == Data("patched\n".utf8))
        #expect(try forge.call("PUT", session + "/files/notes.txt", body: "any", ["-H", "If-Match: *"]).status == 200)
        for bad in ["12", "W/\"12\"", "\"x\"", "\"+1\"", "\"1\", \"2\""] {
            let refused = try forge.call("PUT", session + "/files/notes.txt", body: "bad", ["-H", "If-Match: \(bad)"])
            #expect(refused.status == 422 && refused.body.contains("If-Match"), "\(bad): \(refused.status) \(refused.body)")
        }
        #expect(forge.read("notes.txt") == Data("any".utf8))
        // Undo and the other moves answer with the new ETag too, so a client need not read again.
        let undone = try forge.call("POST", session + "/undo")
        let undoneTag = try #require(undone.headers["etag"], "\(undone)")
        #expect(try forge.call("GET", session).headers["etag"] == undoneTag)
        #expect(try forge.call("PUT", session + "/files/notes.txt", body: "after undo", ["-H", "If-Match: \(undoneTag)"]).status == 200)
    }

    @Test func writesDeletesAndPatchesAreOperationsThatUndoTakesBack() throws {
        let forge = try SessionAPIForge(directory)
        let files = SessionAPIForge.base + "/sessions/\(forge.session)/files/"
        let binary = Data([0, 1, 2, 255, 254, 10, 13, 0])
        let binaryPath = directory.child("binary.bin")
        try binary.write(to: URL(fileURLWithPath: binaryPath))

        let written = try forge.object("PUT", "/files/assets/blob%20one.bin", body: "@" + binaryPath)
        #expect((written["operation"] as? [String: Any])?["kind"] as? String == "write")
        #expect(try forge.read("assets/blob one.bin") == binary && (try stored(forge, "assets/blob one.bin")) == binary)
        let script = try forge.object("PUT", "/files/run.sh", body: "#!/bin/sh\necho hi\n", ["-H", "X-Plue-Mode: 100755"])
        #expect(script["changed"] as? Bool == true && FileManager.default.isExecutableFile(atPath: forge.workdir + "/run.sh"))
        #expect(try forge.git(["ls-tree", "refs/plue/sessions/\(forge.session)", "run.sh"]).hasPrefix("100755 blob"))
        let link = try forge.object("PUT", "/files/readme-link", body: "README.md", ["-H", "X-Plue-Mode: 120000"])
        #expect(link["changed"] as? Bool == true)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: forge.workdir + "/readme-link") == "README.md")
        #expect(try forge.call("PUT", files + "x.txt", body: "x", ["-H", "X-Plue-Mode: 100777"]).status == 422)
        #expect(forge.read("x.txt") == nil)

        let deleted = try forge.object("DELETE", "/files/README.md")
        #expect((deleted["operation"] as? [String: Any])?["description"] as? String == "delete README.md" && forge.read("README.md") == nil)
        #expect(try forge.call("DELETE", files + "README.md").status == 404)

        let patch = """
            diff --git a/src/main.swift b/src/main.swift
            --- a/src/main.swift
            +++ b/src/main.swift
            @@ -1 +1,2 @@
             print(1)
            +print(2)

            """
        let patched = try forge.object("POST", "/patch", body: patch)
        #expect((patched["operation"] as? [String: Any])?["kind"] as? String == "patch")
        #expect(forge.read("src/main.swift") == Data("print(1)\nprint(2)\n".utf8))
        #expect(try forge.operationKinds().prefix(5) == ["patch", "delete", "write", "write", "write"])

        // Undone from the command line and over HTTP alike; the bytes come back on disk and in git.
        try forge.plue.ok(["session", "undo", forge.session])
        #expect(forge.read("src/main.swift") == Data("print(1)\n".utf8))
        #expect(try stored(forge, "src/main.swift") == Data("print(1)\n".utf8))
        _ = try forge.object("POST", "/undo")
        #expect(try forge.read("README.md") == Data("# Demo\n".utf8) && (try stored(forge, "README.md")) == Data("# Demo\n".utf8))
        for _ in 0..<3 { _ = try forge.object("POST", "/undo") }
        #expect(forge.read("assets/blob one.bin") == nil && forge.read("run.sh") == nil && forge.read("readme-link") == nil)
        #expect(!FileManager.default.fileExists(atPath: forge.workdir + "/assets"))
        try forge.plue.ok(["session", "redo", forge.session])
        #expect(forge.read("assets/blob one.bin") == binary)

        // A body over --max-body-size is refused whole; nothing is recorded.
        let before = try forge.operationKinds().count
        let big = directory.child("big")
        try Data(repeating: 65, count: 5000).write(to: URL(fileURLWithPath: big))
        let tooLarge = try forge.call("PUT", files + "big.txt", body: "@" + big)
        #expect(tooLarge.status == 413 && SessionAPIForge.errorCode(tooLarge.body) == "body_too_large")
        #expect(try forge.call("POST", SessionAPIForge.base + "/sessions/\(forge.session)/patch", body: "@" + big).status == 413)
        #expect(try forge.read("big.txt") == nil && (try forge.operationKinds().count) == before)
        // A compressed body is refused before it is read, not written as the file's bytes.
        let gzipped = directory.child("small.gz")
        try Command.run("/bin/sh", ["-c", "printf 'hello\\n' | gzip -c > '\(gzipped)'"])
        for (method, suffix) in [("PUT", "/files/small.txt"), ("POST", "/patch"), ("POST", "/snapshot")] {
            let encoded = try forge.call(method, SessionAPIForge.base + "/sessions/\(forge.session)" + suffix, body: "@" + gzipped,
                                         ["-H", "Content-Encoding: gzip", "-H", "Content-Type: application/json"])
            #expect(encoded.status == 415 && SessionAPIForge.errorCode(encoded.body) == "unsupported_media_type", "\(suffix): \(encoded.body)")
        }
        #expect(try forge.read("small.txt") == nil && (try forge.operationKinds().count) == before)
        let identity = try forge.call("PUT", files + "plain.txt", body: "plain", ["-H", "Content-Encoding: identity"])
        #expect(identity.status == 200 && forge.read("plain.txt") == Data("plain".utf8), "\(identity.body)")
        // An empty body is an empty file; an empty patch is refused.
        #expect(try forge.object("PUT", "/files/empty.txt", body: "")["changed"] as? Bool == true && forge.read("empty.txt") == Data())
        #expect(try forge.call("POST", SessionAPIForge.base + "/sessions/\(forge.session)/patch", body: "").status == 422)
    }

    @Test func aLargeFileStreamsFromGitAndASmallOneComesWhole() throws {
        let forge = try SessionAPIForge(directory)
        // A session that records new files of up to 4 MiB (1 MiB unless told).
        let created = try forge.call("POST", SessionAPIForge.base + "/sessions", body: #"{"max_new_file_size": 4194304}"#)
        let session = try #require(try SessionAPIForge.object(created.body)["id"] as? String, "\(created.body)")
        var generator = SystemRandomNumberGenerator()
        let large = Data((0..<(3 << 19)).map { _ in UInt8.random(in: 0...255, using: &generator) })  // 1.5 MiB
        try large.write(to: URL(fileURLWithPath: forge.plue.home + "/sessions/\(session)/work/large.bin"))
        let output = directory.child("large-read")
        let url = forge.server.url + SessionAPIForge.base + "/sessions/\(session)/files/large.bin"
        let read = try Command.run("/usr/bin/curl", ["-s", "-o", output, "-w", "%{http_code} %{size_download}", "-H",
                                                     "Authorization: Bearer \(forge.tokens["alice"]!)", url])
        #expect(read.trimmed == "200 \(large.count)", "\(read.trimmed)")
        #expect(FileManager.default.contents(atPath: output) == large, "the bytes of the snapshot, streamed")
        #expect(forge.server.log.contains("cat-file") == false, "git cat-file logged a failure: \(forge.server.log.suffix(500))")
        let small = try forge.call("GET", SessionAPIForge.base + "/sessions/\(session)/files/README.md")
        #expect(small.status == 200 && small.body == "# Demo\n")
    }

    @Test func hostilePathsLinksAndPatchesTouchNothingOutside() throws {
        let forge = try SessionAPIForge(directory)
        let outside = directory.child("outside")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try "secret\n".write(toFile: outside + "/file", atomically: true, encoding: .utf8)
        symlink(outside, forge.workdir + "/escape")
        symlink(outside + "/file", forge.workdir + "/escape-file")
        let files = SessionAPIForge.base + "/sessions/\(forge.session)/files/"

        let hostile = ["../x", "a/../../x", "%2e%2e/x", "%2E%2E%2Fx", "%2Fetc%2Fplue-test", "/etc/plue-test", ".git/config", ".GIT/hooks/pre-commit",
                       "src/.git/x", "a%00b", "a%0Ab", "a%1B%5B2J", "escape/x", "escape/deeper/x", String(repeating: "d/", count: 2100) + "x",
                       String(repeating: "n", count: 256), "%ZZ"]
        for path in hostile {
            let answer = try forge.call("PUT", files + path, body: "evil", ["--path-as-is"])
            #expect(answer.status == 422, "\(path.prefix(40)): \(answer.status) \(answer.body.prefix(300))")
            let delete = try forge.call("DELETE", files + path, ["--path-as-is"])
            #expect(delete.status == 422 || delete.status == 404, "\(path.prefix(40)): \(delete.status)")
        }
        // The link itself is replaced by the file, never written through.
        #expect(try forge.object("PUT", "/files/escape-file", body: "mine\n")["changed"] as? Bool == true)
        #expect(forge.read("escape-file") == Data("mine\n".utf8) && (try? FileManager.default.destinationOfSymbolicLink(atPath: forge.workdir + "/escape-file")) == nil)

        func added(_ path: String, mode: String = "100644") -> String {
            "diff --git a/\(path) b/\(path)\nnew file mode \(mode)\n--- /dev/null\n+++ b/\(path)\n@@ -0,0 +1 @@\n+evil\n"
        }
        let patches = [
            added("../escaped"), added("/tmp/plue-absolute"), added(".git/hooks/post-checkout", mode: "100755"), added("escape/file2"),
            "diff --git a/made b/made\nnew file mode 120000\n--- /dev/null\n+++ b/made\n@@ -0,0 +1 @@\n+\(outside)\n\\ No newline at end of file\n"
                + added("made/through"),
        ]
        for patch in patches {
            let answer = try forge.call("POST", SessionAPIForge.base + "/sessions/\(forge.session)/patch", body: patch)
            #expect(answer.status == 422, "\(patch.prefix(50)): \(answer.status) \(answer.body)")
        }

        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).sorted() == ["file"])
        #expect(try String(contentsOfFile: outside + "/file", encoding: .utf8) == "secret\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["home", "outside", "seed", "serve.log"])
        #expect(!FileManager.default.fileExists(atPath: "/etc/plue-test") && !FileManager.default.fileExists(atPath: "/tmp/plue-absolute"))
        #expect(!FileManager.default.fileExists(atPath: forge.workdir + "/.git/hooks/post-checkout"))
        #expect(!FileManager.default.fileExists(atPath: forge.workdir + "/.git/hooks/pre-commit"))
        // One write recorded (escape-file), after the snapshot that first recorded the two links.
        #expect(try forge.operationKinds() == ["write", "snapshot", "new"])
    }

    @Test func writesAtOnceEachWinWholeOrAreRefused() throws {
        let forge = try SessionAPIForge(directory)
        let files = SessionAPIForge.base + "/sessions/\(forge.session)/files/"
        let statuses = Statuses()
        DispatchQueue.concurrentPerform(iterations: 6) { index in
            let answer = try? forge.call("PUT", files + "at-once-\(index).txt", body: String(repeating: "\(index)", count: 1000))
            statuses.set(index, answer?.status ?? 0)
        }
        let all = statuses.all
        #expect(all.values.allSatisfy { $0 == 200 || $0 == 503 }, "\(all)")
        let written = all.filter { $0.value == 200 }.keys.sorted()
        #expect(!written.isEmpty)
        for index in 0..<6 {
            let expected = written.contains(index) ? Data(String(repeating: "\(index)", count: 1000).utf8) : nil
            #expect(forge.read("at-once-\(index).txt") == expected, "file \(index)")
        }
        #expect(try forge.operationKinds().filter { $0 == "write" }.count == written.count)
        let tree = try forge.git(["ls-tree", "--name-only", "refs/plue/sessions/\(forge.session)"]).split(separator: "\n")
        #expect(tree.filter { $0.hasPrefix("at-once-") }.count == written.count)
    }
}

/// Statuses by request, written from several threads.
private final class Statuses: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var values: [Int: Int] = [:]
    func set(_ index: Int, _ status: Int) { lock.lock(); values[index] = status; lock.unlock() }
    var all: [Int: Int] { lock.lock(); defer { lock.unlock() }; return values }
}
