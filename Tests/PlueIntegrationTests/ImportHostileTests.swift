import Foundation
import PlueTestSupport
import Testing

/// `repo import` as an attacker or an unlucky network would drive it: transports that run commands
/// or wait forever, a source that never answers, a SIGTERM mid-clone, credentials in the URL.
@Suite struct ImportHostileTests {
    /// A TCP port that takes connections (the kernel completes them from the backlog) and never
    /// answers: a git:// clone from it waits forever unless stopped.
    final class SilentServer {
        let descriptor: Int32
        let port: UInt16

        init() throws {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
            }
            guard bound, listen(descriptor, 16) == 0 else { throw CommandFailure(description: "cannot listen on 127.0.0.1") }
            (self.descriptor, port) = (descriptor, UInt16(bigEndian: address.sin_port))
        }

        deinit { close(descriptor) }
    }

    func setUp() throws -> (PlueRunner, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        let plue = try PlueRunner(home: directory.path + "/home")
        try plue.ok(["init"])
        try plue.ok(["user", "create", "alice", "--email", "alice@example.com"])
        return (plue, directory)
    }

    /// Nothing staged, no repository recorded.
    func expectNothingLeft(_ plue: PlueRunner) throws {
        let staged = (try? FileManager.default.contentsOfDirectory(atPath: plue.home + "/repos/.staging")) ?? []
        #expect(staged.isEmpty, "left in staging: \(staged)")
        #expect((try plue.json(["repo", "list"]) as? [Any])?.isEmpty == true)
    }

    /// Processes whose command line holds `marker`, this test's own excepted.
    func processes(mentioning marker: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> String? in
            guard Int32(entry) != nil, Int32(entry) != getpid(),
                  let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let line = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return line.contains(marker) ? "\(entry): \(line)" : nil
        }
    }

    @Test func transportsThatRunCommandsOrWaitOnDescriptorsAreRefusedAtOnce() throws {
        let (plue, directory) = try setUp()
        let marker = directory.path + "/pwned"
        for source in ["fd::3", "fd::0,1/x", "ext::sh -c touch% \(marker)"] {
            let started = Date()
            let result = try plue.run(["repo", "import", "alice/copy", "--from", source, "--timeout", "30"])
            #expect(result.status == 1, "\(source): \(result.status) \(result.errorOutput)")
            #expect(Date().timeIntervalSince(started) < 10, "\(source) took \(Date().timeIntervalSince(started)) s")
            #expect(result.errorOutput.contains("not allowed"), "\(source): \(result.errorOutput)")
        }
        #expect(!FileManager.default.fileExists(atPath: marker))
        try expectNothingLeft(plue)
    }

    @Test func aSourceThatNeverAnswersIsStoppedAfterTheNoProgressTimeout() throws {
        let (plue, directory) = try setUp()
        defer { withExtendedLifetime(directory) {} }
        let server = try SilentServer()
        let url = "git://127.0.0.1:\(server.port)/stalled.git"
        let started = Date()
        let result = try plue.run(["repo", "import", "alice/copy", "--from", url, "--timeout", "2", "--json"])
        let elapsed = Date().timeIntervalSince(started)
        #expect(result.status == 75, "\(result.status) \(result.errorOutput)")
        #expect(elapsed < 15, "took \(elapsed) s")
        #expect(result.errorOutput.contains("no progress for 2 s"), "\(result.errorOutput)")
        #expect(processes(mentioning: ":\(server.port)/stalled").isEmpty, "\(processes(mentioning: ":\(server.port)/stalled"))")
        try expectNothingLeft(plue)
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func aSignalStopsGitAndItsHelpersAndRemovesTheStaging(signal: Int32) throws {
        let (plue, directory) = try setUp()
        defer { withExtendedLifetime(directory) {} }
        let server = try SilentServer()
        let url = "git://127.0.0.1:\(server.port)/signalled.git"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: plue.binary)
        process.arguments = ["repo", "import", "alice/copy", "--from", url, "--home", plue.home]
        process.environment = Command.environment()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until git is connected and waiting, so the signal lands mid-clone.
        let deadline = Date().addingTimeInterval(20)
        var staging: [String] = []
        while Date() < deadline {
            staging = (try? FileManager.default.contentsOfDirectory(atPath: plue.home + "/repos/.staging")) ?? []
            if processes(mentioning: ":\(server.port)/signalled").count >= 2 && !staging.isEmpty { break }
            usleep(50_000)
        }
        #expect(!staging.isEmpty, "the clone should be under way")
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == signal,
                "\(process.terminationReason) \(process.terminationStatus)")
        #expect(processes(mentioning: ":\(server.port)/signalled").isEmpty, "\(processes(mentioning: ":\(server.port)/signalled"))")
        try expectNothingLeft(plue)
    }

    @Test func credentialsInTheURLAreNeverPrinted() throws {
        let (plue, directory) = try setUp()
        defer { withExtendedLifetime(directory) {} }
        // Nothing listens on port 1: git fails at once, naming the URL in its own message.
        for url in ["https://alice:s3cr3t-pass@127.0.0.1:1/x.git", "http://ghp_t0ken0123456789@127.0.0.1:1/x.git"] {
            for json in [false, true] {
                let result = try plue.run(["repo", "import", "alice/copy", "--from", url] + (json ? ["--json"] : []))
                #expect(result.status == 1, "\(result.status) \(result.errorOutput)")
                #expect(!result.errorOutput.contains("s3cr3t") && !result.errorOutput.contains("t0ken"), "\(result.errorOutput)")
                #expect(result.errorOutput.contains("***@127.0.0.1:1"), "\(result.errorOutput)")
            }
        }
        try expectNothingLeft(plue)
    }

    /// git gets an allow-list of plue's environment: GIT_TRACE, GIT_CONFIG_PARAMETERS (which could
    /// allow fd:: again) and the like stay with plue.
    @Test func gitGetsAnAllowListedEnvironment() throws {
        let (plue, directory) = try setUp()
        let source = directory.path + "/source.git"
        try Command.git(["init", "-q", "--bare", "-b", "main", source])
        let trace = directory.path + "/trace"
        let environment = ["GIT_TRACE": trace, "GIT_CONFIG_PARAMETERS": "'protocol.fd.allow'='always'", "GIT_DIR": "/nonexistent"]
        let result = try plue.run(["repo", "import", "alice/copy", "--from", source], environment: environment)
        #expect(result.status == 0, "\(result.errorOutput)")
        #expect(!FileManager.default.fileExists(atPath: trace), "git saw GIT_TRACE")
        let refused = try plue.run(["repo", "import", "alice/fd", "--from", "fd::3", "--timeout", "5"], environment: environment)
        #expect(refused.status == 1 && refused.errorOutput.contains("not allowed"), "\(refused.errorOutput)")
    }

    @Test func anImportKeepsNoSourceURLInTheRepository() throws {
        let (plue, directory) = try setUp()
        let source = directory.path + "/source.git"
        try Command.git(["init", "-q", "--bare", "-b", "main", source])
        _ = try plue.ok(["repo", "import", "alice/copy", "--from", source])
        let config = try String(contentsOfFile: plue.home + "/repos/alice/copy.git/config", encoding: .utf8)
        #expect(!config.contains("[remote") && !config.contains(source), "\(config)")
    }

    /// The source's HEAD becomes the default branch only if it passes the rule a typed one does.
    @Test func aSourceWhoseHEADNamesABadBranchIsRefused() throws {
        let (plue, directory) = try setUp()
        let work = directory.path + "/work"
        try Command.git(["init", "-q", "-b", "main", work])
        try Command.git(["commit", "-q", "--allow-empty", "-m", "seed"], in: work)
        for bad in ["-evil", "refs/plue/keep/x"] {
            let source = directory.path + "/source-\(bad.count).git"
            try Command.git(["clone", "-q", "--bare", work, source])
            try Command.git(["--git-dir", source, "update-ref", "refs/heads/" + bad, "main"])
            try Command.git(["--git-dir", source, "symbolic-ref", "HEAD", "refs/heads/" + bad])
            let result = try plue.run(["repo", "import", "alice/copy", "--from", source])
            #expect(result.status == 65 && result.errorOutput.contains("HEAD names the branch"), "\(bad): \(result.errorOutput)")
            try expectNothingLeft(plue)
        }
    }
}
