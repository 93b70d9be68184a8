import Foundation
import PlueTestSupport
import Testing

/// Files and directories over a real socket, checked against git: contents and raw bytes at a ref,
/// links returned as their target text and never followed, and every kind of path that tries to
/// leave the repository's tree refused or not found, never answered from the server's disk.
@Suite struct ServeRepositoryFilesEndToEndTests {
    let directory = TemporaryDirectory("plue-api-files")

    /// alice/demo with one more commit: nested files, binary and image bytes, HTML and SVG, a name
    /// with a space and a non-ASCII letter, and links out of the tree.
    func forge(serveArguments: [String] = []) throws -> APIForge {
        let forge = try APIForge(directory, serveArguments: serveArguments)
        let seed = forge.seed
        try FileManager.default.createDirectory(atPath: seed + "/src", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: seed + "/dir with space", withIntermediateDirectories: true)
        try "print(1)\n".write(toFile: seed + "/src/main.swift", atomically: true, encoding: .utf8)
        try Data([0, 1, 2, 255, 254, 0]).write(to: URL(fileURLWithPath: seed + "/bin.dat"))
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]).write(to: URL(fileURLWithPath: seed + "/pic.png"))
        try "<html><script>alert(1)</script></html>\n".write(toFile: seed + "/page.html", atomically: true, encoding: .utf8)
        try "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>\n".write(toFile: seed + "/image.svg", atomically: true, encoding: .utf8)
        try "unicode\n".write(toFile: seed + "/dir with space/ü.txt", atomically: true, encoding: .utf8)
        try "hello again\n".write(toFile: seed + "/README", atomically: true, encoding: .utf8)
        symlink("/etc/passwd", seed + "/passwd")
        symlink("..", seed + "/up")
        symlink("../../../../../../etc", seed + "/outside")
        try Command.git(["add", "-A"], in: seed)
        try Command.git(["commit", "-q", "-m", "files"], in: seed)
        try Command.git(["push", "-q", forge.plue.home + "/repos/alice/demo.git", "main"], in: seed)
        return forge
    }

    /// The raw answer's status, bytes and content type, by `curl -o`.
    func raw(_ forge: APIForge, _ path: String, _ arguments: [String] = []) throws -> (status: Int, bytes: Data, type: String?) {
        let output = directory.child("raw-\(UUID().uuidString)")
        let result = try Command.run("/usr/bin/curl", ["-s", "-o", output, "-w", "%{http_code} %{content_type}"] + arguments
                                     + [forge.server.url + "/api/v1/repos/alice/demo/raw/" + path])
        let fields = result.trimmed.split(separator: " ", maxSplits: 1).map(String.init)
        return (Int(fields.first ?? "") ?? 0, (try? Data(contentsOf: URL(fileURLWithPath: output))) ?? Data(), fields.count > 1 ? fields[1] : nil)
    }

    @Test func contentsListDirectoriesAndCarryFilesAndLinkTargets() throws {
        let forge = try forge()
        let root = try forge.curl("/api/v1/repos/alice/demo/contents").array()
        let names = try Command.git(["ls-tree", "--name-only", "main"], in: forge.seed).split(separator: "\n").map(String.init)
        #expect(root.compactMap { $0["name"] as? String } == names.map { $0.hasPrefix("\"") ? "dir with space" : $0 })
        let types = Dictionary(uniqueKeysWithValues: root.map { ($0["name"] as? String ?? "", $0["type"] as? String ?? "") })
        #expect(types["src"] == "dir" && types["passwd"] == "symlink" && types["up"] == "symlink" && types["README"] == "file")
        #expect(root.allSatisfy { $0["content"] == nil }, "a listing carries no contents")

        let file = try forge.curl("/api/v1/repos/alice/demo/contents/src/main.swift").object()
        #expect(file["type"] as? String == "file" && file["encoding"] as? String == "base64" && file["path"] as? String == "src/main.swift")
        let content = try #require(Data(base64Encoded: file["content"] as? String ?? ""))
        #expect(content == Data("print(1)\n".utf8))
        #expect(file["sha"] as? String == (try Command.git(["rev-parse", "main:src/main.swift"], in: forge.seed)))

        let link = try forge.curl("/api/v1/repos/alice/demo/contents/passwd").object()
        #expect(link["type"] as? String == "symlink" && link["target"] as? String == "/etc/passwd" && link["content"] == nil, "\(link)")
        let directory = try forge.curl("/api/v1/repos/alice/demo/contents/src").array()
        #expect(directory.compactMap { $0["path"] as? String } == ["src/main.swift"])
        let older = try forge.curl("/api/v1/repos/alice/demo/contents/README?ref=main~1").object()
        #expect(Data(base64Encoded: older["content"] as? String ?? "") == Data("hello\n".utf8))
        #expect(try forge.curl("/api/v1/repos/alice/demo/contents/README?ref=nothing").status == 404)
        #expect(try forge.curl("/api/v1/repos/alice/demo/contents/nothing").status == 404)
    }

    @Test func rawFilesAreTheirBytesTypedByContentAndLinksAreTheirTargets() throws {
        let forge = try forge()
        let binary = try raw(forge, "bin.dat")
        #expect(binary.status == 200 && binary.bytes == Data([0, 1, 2, 255, 254, 0]) && binary.type == "application/octet-stream")
        #expect(try raw(forge, "pic.png").type == "image/png")
        for name in ["page.html", "image.svg", "README"] {
            let answer = try forge.curl("/api/v1/repos/alice/demo/raw/" + name)
            #expect(answer.headers["content-type"] == "text/plain; charset=utf-8" && answer.headers["x-content-type-options"] == "nosniff", "\(name)")
            #expect(answer.headers["content-security-policy"]?.contains("sandbox") == true)
            #expect(Data(answer.body.utf8) == (try Data(contentsOf: URL(fileURLWithPath: forge.seed + "/" + name))))
        }
        #expect(try raw(forge, "dir%20with%20space/%C3%BC.txt").bytes == Data("unicode\n".utf8))
        #expect(try raw(forge, "README?ref=main~1").bytes == Data("hello\n".utf8))
        let link = try raw(forge, "passwd")
        #expect(link.status == 200 && link.bytes == Data("/etc/passwd".utf8), "a link is its target, never the file it names")
        #expect(try raw(forge, "src").status == 422, "a directory has no raw bytes")
        #expect(try raw(forge, "nothing").status == 404)
    }

    @Test func largeFilesStreamFromGitWithTheirLengthAndComeWithoutContent() throws {
        let forge = try forge()
        let seed = forge.seed
        var generator = SystemRandomNumberGenerator()
        let large = Data((0..<(3 << 19)).map { _ in UInt8.random(in: 0...255, using: &generator) })  // 1.5 MiB
        try large.write(to: URL(fileURLWithPath: seed + "/large.bin"))
        try Data(repeating: 0x61, count: 1 << 20).write(to: URL(fileURLWithPath: seed + "/limit.txt"))  // 1 MiB: still inline
        try Command.git(["add", "-A"], in: seed)
        try Command.git(["commit", "-q", "-m", "large"], in: seed)
        // A pusher's replace ref does not change what the raw route reads, large or small.
        let decoy = try Command.run("/usr/bin/git", ["hash-object", "-w", "--stdin"], in: seed, environment: Command.environment(),
                                    input: Data("decoy\n".utf8)).trimmed
        let largeObject = try Command.git(["rev-parse", "main:large.bin"], in: seed)
        let readmeObject = try Command.git(["rev-parse", "main:README"], in: seed)
        try Command.git(["update-ref", "refs/replace/" + largeObject, decoy], in: seed)
        try Command.git(["update-ref", "refs/replace/" + readmeObject, decoy], in: seed)
        try Command.git(["push", "-q", forge.plue.home + "/repos/alice/demo.git", "main", "refs/replace/*"], in: seed)

        let streamed = try raw(forge, "large.bin")
        #expect(streamed.status == 200 && streamed.bytes == large && streamed.type == "application/octet-stream")
        let headers = try forge.curl("/api/v1/repos/alice/demo/raw/large.bin", ["-I"]).headers
        #expect(headers["content-length"] == String(large.count) && headers["x-content-type-options"] == "nosniff", "\(headers)")
        #expect(try raw(forge, "README").bytes == Data("hello again\n".utf8))
        let limit = try raw(forge, "limit.txt")
        #expect(limit.bytes.count == 1 << 20 && limit.type == "text/plain; charset=utf-8", "up to the limit, typed by content")

        let entry = try forge.curl("/api/v1/repos/alice/demo/contents/large.bin").object()
        #expect(entry["size"] as? Int == large.count && entry["sha"] as? String == largeObject, "\(entry)")
        #expect(entry["content"] is NSNull && entry["encoding"] is NSNull, "too large to carry: \(entry)")
        #expect(try forge.curl("/api/v1/repos/alice/demo/contents/limit.txt").object()["encoding"] as? String == "base64")
        let listed = try forge.curl("/api/v1/repos/alice/demo/contents").array().first { $0["name"] as? String == "large.bin" }
        #expect(listed?["size"] as? Int == large.count)
        #expect(!forge.server.log.contains("cat-file for"), "git cat-file logged a failure: \(forge.server.log)")
    }

    @Test func largeFilesCountAmongTheServersGitProcesses() throws {
        let forge = try forge(serveArguments: ["--max-git-requests", "1"])
        // Larger than the kernel's socket buffers can take at once, so git is still writing.
        try Data(repeating: 0x62, count: 32 << 20).write(to: URL(fileURLWithPath: forge.seed + "/large.bin"))
        try Command.git(["add", "-A"], in: forge.seed)
        try Command.git(["commit", "-q", "-m", "large"], in: forge.seed)
        try Command.git(["push", "-q", forge.plue.home + "/repos/alice/demo.git", "main"], in: forge.seed)
        // A slow reader holds the one git process the server runs.
        let slow = Process()
        slow.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        slow.arguments = ["-s", "-o", "/dev/null", "--limit-rate", "16k", forge.server.url + "/api/v1/repos/alice/demo/raw/large.bin"]
        try slow.run()
        // SIGKILL: a child of the test process may inherit SIGTERM blocked.
        defer { kill(slow.processIdentifier, SIGKILL); slow.waitUntilExit() }
        // Once its git runs (a request of ours sent earlier could take the slot instead).
        let gitDirectory = forge.plue.home + "/repos/alice/demo.git"
        func catFileRuns() -> Bool {
            ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).contains { pid in
                let command = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
                return String(decoding: command, as: UTF8.self).contains(gitDirectory + "\u{0}cat-file")
            }
        }
        for _ in 0..<100 where !catFileRuns() { usleep(50_000) }
        #expect(catFileRuns(), "the slow reader's git cat-file never started")
        let busy = try forge.curl("/api/v1/repos/alice/demo/raw/large.bin")
        #expect(busy.status == 503 && busy.headers["retry-after"] == "5" && busy.errorCode == "unavailable", "\(busy.status) \(busy.headers)")
        // Small files need no git process.
        #expect(try raw(forge, "README").status == 200)
    }

    @Test func pathsThatLeaveTheTreeAreRefusedOrNotFoundNeverReadFromDisk() throws {
        let forge = try forge()
        let hostile = [
            "../../../../etc/passwd", "src/../../README", "%2e%2e/%2e%2e/etc/passwd", "src/%2E%2E/README", "./README",
            "src%2F..%2F..%2Fetc%2Fpasswd", "a%00b", "README%00.png", "%2Fetc%2Fpasswd", "/etc/passwd", "//etc/passwd",
            "up/README", "up/up/etc/passwd", "outside/passwd", "passwd/x", "src//main.swift", "%E2%80%AEtxt.exe",
            "%ZZ", String(repeating: "a/", count: 5000) + "x",
        ]
        for path in hostile {
            for route in ["raw", "contents"] {
                let answer = try forge.curl("/api/v1/repos/alice/demo/\(route)/" + path, ["--path-as-is"])
                #expect([400, 404, 422].contains(answer.status) && answer.errorCode != nil, "\(route)/\(path.prefix(60)): \(answer.status) \(answer.body.prefix(200))")
                #expect(!answer.body.contains("root:"), "\(route)/\(path.prefix(60)) answered from the disk")
            }
        }
        // The ones that name a path inside the tree through a link are simply not there.
        for path in ["up/README", "outside/passwd", "passwd/x"] {
            #expect(try forge.curl("/api/v1/repos/alice/demo/raw/" + path).status == 404, "\(path)")
        }
        #expect(try forge.curl("/api/v1/repos/alice/demo/raw/..%2F..%2Fetc%2Fpasswd").status == 422)
        #expect(!forge.server.log.contains("request failed"), "no hostile path reached an unexpected error")
    }
}
