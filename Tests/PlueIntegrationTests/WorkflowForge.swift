import Foundation
import PlueTestSupport
import Testing

/// A home with alice/demo, a work tree pushing to it by path, and the unprivileged account the
/// tests' runners run steps as (made once with useradd: CI runs as root).
struct WorkflowForge {
    static let account = "plue-test-ci"

    let directory: TemporaryDirectory
    let plue: PlueRunner
    let work: String
    var repository: String { plue.home + "/repos/alice/demo.git" }

    /// `home`: where the home goes (under the temporary directory when nil).
    init(home: String? = nil) throws {
        try Self.ensureAccount()
        directory = TemporaryDirectory("plue-workflow")
        plue = try PlueRunner(home: home ?? directory.child("home"))
        try plue.setUpDemo()
        work = directory.child("work")
        try Command.git(["init", "-q", "-b", "main", work])
    }

    static func ensureAccount() throws {
        if try Command.run("/usr/bin/id", ["-u", account]).status == 0 { return }
        let made = try Command.run("/usr/sbin/useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", account])
        // 9: made meanwhile by a test running beside this one.
        guard made.status == 0 || made.status == 9 else {
            throw CommandFailure(description: "useradd \(account) exited \(made.status): \(made.errorOutput)")
        }
    }

    /// Writes (nil: removes) `files` in the work tree, commits them on the current branch.
    @discardableResult
    func commit(_ files: [String: String?], message: String = "change") throws -> String {
        for (name, contents) in files {
            let path = work + "/" + name
            if let contents {
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try contents.write(toFile: path, atomically: true, encoding: .utf8)
            } else {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
        try Command.git(["add", "-A"], in: work)
        try Command.git(["commit", "-q", "--allow-empty", "-m", message], in: work)
        return try Command.git(["rev-parse", "HEAD"], in: work).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func push(_ refspec: String = "main") throws {
        try Command.git(["push", "-q", "-f", repository, refspec], in: work)
    }

    /// `plue runner --once` as the test account.
    @discardableResult
    func runOnce(_ extra: [String] = []) throws -> CommandResult {
        let result = try plue.run(["runner", "--once", "--as", Self.account] + extra)
        #expect(result.status == 0, "runner: \(result.errorOutput)")
        return result
    }

    /// A runner left running (`plue runner --as ...`), its output into `log`.
    func startRunner(_ extra: [String] = [], log: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: plue.binary)
        process.arguments = ["runner", "--as", Self.account, "--home", plue.home] + extra
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    func runs() throws -> [[String: Any]] {
        try #require(try plue.json(["workflow", "runs", "alice/demo", "--limit", "50"]) as? [[String: Any]])
    }

    func run(_ id: Int) throws -> [String: Any] {
        try #require(try plue.json(["workflow", "show", String(id)]) as? [String: Any])
    }

    func jobs(_ id: Int) throws -> [String: [String: Any]] {
        let jobs = try #require(try run(id)["jobs"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: jobs.map { ($0["key"] as? String ?? "", $0) })
    }

    func logs(_ id: Int, _ extra: [String] = []) throws -> String {
        try plue.ok(["workflow", "logs", String(id)] + extra)
    }

    /// Waits up to `seconds` for `condition`; false if it never held.
    func wait(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(50_000)
        }
        return try condition()
    }

    /// Processes of the test account whose command line contains `text`.
    static func processes(containing text: String) throws -> String {
        try Command.run("/usr/bin/pgrep", ["-a", "-u", account, "-f", text]).text
    }
}
