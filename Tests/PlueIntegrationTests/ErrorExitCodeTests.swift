import Foundation
import PlueTestSupport
import Testing

/// Each kind of bad input gets its documented exit code, an `error:` line that says how to fix it,
/// and changes nothing.
@Suite struct ErrorExitCodeTests {
    let directory = TemporaryDirectory("plue-errors")
    var home: String { directory.child("home") }

    func initialized() throws -> PlueRunner {
        let plue = try PlueRunner(home: home)
        try plue.ok(["init"])
        try plue.ok(["user", "create", "alice", "--email", "alice@example.com"])
        try plue.ok(["repo", "create", "alice/demo"])
        return plue
    }

    func snapshot() throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: home + "/repos").filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test func aMissingHomeIsNotFoundAndSaysHowToCreateOne() throws {
        let plue = try PlueRunner(home: directory.child("nowhere"))
        let result = try plue.run(["repo", "list"])
        #expect(result.status == 66)
        #expect(result.errorOutput.hasPrefix("error: ") && result.errorOutput.contains("plue init"))
        #expect(!FileManager.default.fileExists(atPath: directory.child("nowhere")))
    }

    @Test func usageErrorsExit64() throws {
        let plue = try initialized()
        #expect(try plue.run(["repo", "create"]).status == 64)
        #expect(try plue.run(["repo", "create", "alice/x", "--no-such-flag"]).status == 64)
        #expect(try plue.run(["frobnicate"]).status == 64)
        #expect(try plue.run(["repo", "log", "alice/demo", "-n", "many"]).status == 64)
        #expect(try plue.run(["repo", "delete", "alice/demo"]).status == 64)
        #expect(FileManager.default.fileExists(atPath: home + "/repos/alice/demo.git"))
    }

    @Test func invalidInputExits65AndCreatesNothing() throws {
        let plue = try initialized()
        let before = try snapshot()
        let cases: [[String]] = [
            ["repo", "create", "alice/-x"],
            ["repo", "create", "alice/.."],
            ["repo", "create", "alice/../../etc"],
            ["repo", "create", "../alice/x"],
            ["repo", "create", "alice/x.git.git"],
            ["repo", "create", "alice/a\nb"],
            ["repo", "create", "alice/a b"],
            ["repo", "create", "alice/" + String(repeating: "x", count: 5000)],
            ["repo", "create", "alice/ok", "--default-branch", "bad..branch"],
            ["repo", "create", "alice/ok", "--default-branch", "refs/plue/keep/x"],
            ["repo", "create", "alice/ok", "--default-branch", "@"],
            ["repo", "create", "alice/ok", "--default-branch", "HEAD"],
            ["repo", "create", "alice/ok", "--default-branch=-evil"],
            ["repo", "create", "alice/ok", "--default-branch", "a@{1}"],
            ["repo", "create", "alice/ok", "--description", "line\nbreak"],
            ["user", "create", "bad name", "--email", "a@example.com"],
            ["user", "create", "admin", "--email", "a@example.com"],
            ["user", "create", "bob", "--email", "nope"],
            ["repo", "tree", "alice/demo", "../x"],
            ["repo", "cat", "alice/demo", "a/../../b"],
            ["repo", "log", "alice/demo", "--ref=--all"],
            ["repo", "log", "alice/demo", "-n", "0"],
            ["repo", "import", "alice/copy", "--from=--upload-pack=touch /tmp/plue-pwned"],
        ]
        for arguments in cases {
            let result = try plue.run(arguments)
            #expect(result.status == 65, "\(arguments): \(result.status) \(result.errorOutput)")
            #expect(result.errorOutput.hasPrefix("error: "), "\(arguments)")
            #expect(!result.errorOutput.dropLast().contains("\n") || result.errorOutput.contains("cause:"), "one line: \(result.errorOutput)")
        }
        for name in ["-bad/x", "-x"] {
            let result = try plue.raw(["repo", "create", "--home", home, "--", name])
            #expect(result.status == 65, "\(name): \(result.status) \(result.errorOutput)")
        }
        #expect(try snapshot() == before)
        #expect((try plue.json(["user", "list"]) as? [Any])?.count == 1)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/plue-pwned"))
    }

    @Test func notFoundExits66() throws {
        let plue = try initialized()
        for arguments in [["repo", "show", "alice/nope"], ["repo", "show", "bob/demo"], ["user", "show", "bob"],
                          ["repo", "create", "bob/x"], ["repo", "list", "bob"], ["repo", "log", "alice/demo"],
                          ["repo", "delete", "alice/nope", "--yes"], ["repo", "events", "alice/nope"]] {
            let result = try plue.run(arguments)
            #expect(result.status == 66, "\(arguments): \(result.status) \(result.errorOutput)")
        }
    }

    @Test func badKeysAndAccessRequestsAreRefused() throws {
        let plue = try initialized()
        let keys = TemporaryDirectory("plue-error-keys")
        let key = try GeneratedKey.make("ed25519", in: keys.path)
        let huge = keys.child("huge.pub")
        try Data(repeating: 0x41, count: 2 << 20).write(to: URL(fileURLWithPath: huge))
        let cases: [([String], Int32)] = [
            (["ssh-key", "add", "alice", "--title", "t", "--file", keys.child("missing.pub")], 66),
            (["ssh-key", "add", "alice", "--title", "t", "--file", huge], 65),
            (["ssh-key", "add", "alice", "--title", "t", "--file", key.privateKeyPath], 65),
            (["ssh-key", "add", "alice", "--title", "t"], 64),
            (["ssh-key", "add", "nobody", "--title", "t", "--file", key.publicKeyPath], 66),
            (["ssh-key", "remove", "999"], 66),
            (["ssh-key", "remove", "-1"], 64),
            (["repo", "collaborator", "add", "alice/demo", "alice", "--permission", "read"], 65),
            (["repo", "collaborator", "add", "alice/demo", "nobody", "--permission", "read"], 66),
            (["repo", "collaborator", "add", "alice/demo", "alice", "--permission", "owner"], 65),
            (["deploy-key", "add", "alice/nope", "--title", "t", "--file", key.publicKeyPath], 66),
            (["deploy-key", "remove", "alice/demo", "1"], 66),
            (["init", "--git-user", "Bad User"], 65),
        ]
        for (arguments, status) in cases {
            let result = try plue.run(arguments)
            #expect(result.status == status, "\(arguments): \(result.status) \(result.errorOutput)")
        }
        #expect(try plue.ok(["ssh-key", "list", "alice"]).contains("No keys"))
        try plue.ok(["ssh-key", "add", "alice", "--title", "t", "--file", key.publicKeyPath])
        #expect(try plue.run(["deploy-key", "add", "alice/demo", "--title", "t", "--file", key.publicKeyPath]).status == 73)
    }

    @Test func duplicatesExit73() throws {
        let plue = try initialized()
        #expect(try plue.run(["init"]).status == 73)
        #expect(try plue.run(["user", "create", "ALICE", "--email", "x@example.com"]).status == 73)
        let result = try plue.run(["repo", "create", "alice/Demo"])
        #expect(result.status == 73 && result.errorOutput.contains("choose another name"))
        #expect(try snapshot().filter { $0.hasSuffix(".git") } == ["alice/demo.git"])
    }

    @Test func aCorruptRepositoryIsReportedNotHidden() throws {
        let plue = try initialized()
        try FileManager.default.removeItem(atPath: home + "/repos/alice/demo.git/objects")
        try FileManager.default.removeItem(atPath: home + "/repos/alice/demo.git/HEAD")
        let result = try plue.run(["repo", "show", "alice/demo"])
        #expect(result.status == 1 && result.errorOutput.hasPrefix("error: "))
    }

    @Test func aDamagedDatabaseIsReportedNotHidden() throws {
        let plue = try initialized()
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: home + "/plue.db"))
        try? FileManager.default.removeItem(atPath: home + "/plue.db-wal")
        try? FileManager.default.removeItem(atPath: home + "/plue.db-shm")
        let result = try plue.run(["repo", "list"])
        #expect(result.status == 1 && result.errorOutput.contains("damaged"))
    }
}
