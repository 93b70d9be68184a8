import Foundation
import PlueTestSupport
import Testing

/// The built binary, the real git client, a real home on disk: what a user does, checked with git.
@Suite struct EndToEndTests {
    let directory = TemporaryDirectory("plue-e2e")
    var home: String { directory.child("home") }

    @Test func createPushInspectDelete() throws {
        let plue = try PlueRunner(home: home)
        let initialized = try #require(try plue.json(["init"]) as? [String: Any])
        #expect(initialized["journalMode"] as? String == "wal")

        let user = try #require(try plue.json(["user", "create", "alice", "--email", "alice@example.com", "--admin"]) as? [String: Any])
        #expect(user["name"] as? String == "alice" && user["email"] as? String == "alice@example.com" && user["admin"] as? Bool == true)
        #expect(user["id"] as? Int == 1)

        let created = try #require(try plue.json(["repo", "create", "alice/demo", "--description", "Demo"]) as? [String: Any])
        let path = try #require(created["path"] as? String)
        #expect(created["fullName"] as? String == "alice/demo" && created["owner"] as? String == "alice")
        #expect(created["defaultBranch"] as? String == "main" && created["private"] as? Bool == false)
        #expect((created["branches"] as? [Any])?.isEmpty == true && created["empty"] as? Bool == true)
        #expect(path == home + "/repos/alice/demo.git")

        // Clone the empty repository over a local path, commit, push: the hooks record the push.
        let clone = directory.child("clone")
        try Command.git(["clone", "-q", path, clone])
        try "hello\n".write(toFile: clone + "/hello.txt", atomically: true, encoding: .utf8)
        try Data([0, 159, 146, 150, 0, 10]).write(to: URL(fileURLWithPath: clone + "/data.bin"))
        try Command.git(["add", "-A"], in: clone)
        try Command.git(["commit", "-q", "-m", "First commit"], in: clone)
        let push = try Command.run("/usr/bin/git", ["push", "origin", "main"], in: clone)
        #expect(push.status == 0, "\(push.errorOutput)")
        let tip = try Command.git(["-C", path, "rev-parse", "refs/heads/main"])
        #expect(tip == (try Command.git(["rev-parse", "HEAD"], in: clone)))

        let events = try #require(try plue.json(["repo", "events", "alice/demo"]) as? [[String: Any]])
        #expect(events.count == 1)
        #expect(events.first?["ref"] as? String == "refs/heads/main")
        #expect(events.first?["oldCommit"] as? String == String(repeating: "0", count: 40))
        #expect(events.first?["newCommit"] as? String == tip)
        #expect(events.first?["repository"] as? String == "alice/demo")
        #expect(events.first?["pusher"] is NSNull, "a local push has no known pusher")
        #expect((events.first?["pushedAt"] as? String)?.hasSuffix("Z") == true)

        let shown = try #require(try plue.json(["repo", "show", "alice/demo"]) as? [String: Any])
        let branches = try #require(shown["branches"] as? [[String: Any]])
        #expect(branches.count == 1 && branches[0]["name"] as? String == "main" && branches[0]["commit"] as? String == tip)
        #expect(shown["defaultBranch"] as? String == "main" && shown["path"] as? String == path)

        let log = try #require(try plue.json(["repo", "log", "alice/demo"]) as? [[String: Any]])
        #expect(log.count == 1 && log[0]["commit"] as? String == tip && log[0]["summary"] as? String == "First commit")
        #expect((log[0]["parents"] as? [String])?.isEmpty == true)
        let author = try #require(log[0]["author"] as? [String: Any])
        #expect(author["name"] as? String == "Test Author" && author["email"] as? String == "author@example.com")
        let time = try #require(author["time"] as? String)
        let gitTime = try Command.git(["-C", path, "log", "-1", "--format=%ad", "--date=format-local:%Y-%m-%dT%H:%M:%SZ", "main"], environment: ["TZ": "UTC"])
        #expect(time == gitTime)

        let tree = try plue.ok(["repo", "tree", "alice/demo"])
        #expect(tree.contains("hello.txt") && tree.contains("data.bin"))
        let bytes = try plue.run(["repo", "cat", "alice/demo", "data.bin"])
        #expect(bytes.status == 0 && bytes.output == Data([0, 159, 146, 150, 0, 10]))

        // Deleting a branch is a push too: its event has an all-zero new commit.
        try Command.git(["push", "-q", "origin", "main:refs/heads/topic"], in: clone)
        try Command.git(["push", "-q", "origin", ":refs/heads/topic"], in: clone)
        let newest = try #require(try plue.json(["repo", "events", "alice/demo", "-n", "1"]) as? [[String: Any]])
        #expect(newest.count == 1 && newest[0]["ref"] as? String == "refs/heads/topic")
        #expect(newest[0]["newCommit"] as? String == String(repeating: "0", count: 40))

        let refused = try plue.run(["repo", "delete", "alice/demo"])
        #expect(refused.status == 64 && refused.errorOutput.contains("--yes"))
        #expect(FileManager.default.fileExists(atPath: path))
        try plue.ok(["repo", "delete", "alice/demo", "--yes"])
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try plue.run(["repo", "show", "alice/demo"]).status == 66)
        #expect(try plue.json(["repo", "list"]) as? [Any] != nil)
    }

    @Test func thePusherATransportNamesIsRecorded() throws {
        let plue = try PlueRunner(home: home)
        try plue.ok(["init"])
        try plue.ok(["user", "create", "alice", "--email", "alice@example.com"])
        try plue.ok(["repo", "create", "alice/demo"])
        let work = directory.child("work")
        try Command.git(["init", "-q", "-b", "main", work])
        try Command.git(["commit", "-q", "--allow-empty", "-m", "empty"], in: work)
        try Command.git(["push", "-q", home + "/repos/alice/demo.git", "main"], in: work, environment: ["PLUE_PUSHER": "alice"])
        let events = try #require(try plue.json(["repo", "events", "alice/demo"]) as? [[String: Any]])
        #expect(events.first?["pusher"] as? String == "alice")

        // A pusher that is not an account is refused before any ref moves.
        try Command.git(["commit", "-q", "--allow-empty", "-m", "second"], in: work)
        let push = try Command.run("/usr/bin/git", ["push", home + "/repos/alice/demo.git", "main"], in: work,
                                   environment: Command.environment(["PLUE_PUSHER": "mallory"]))
        #expect(push.status != 0 && push.errorOutput.contains("mallory"))
        #expect(try Command.git(["-C", home + "/repos/alice/demo.git", "rev-parse", "main"]) == (try Command.git(["rev-parse", "main~1"], in: work)))
        #expect((try plue.json(["repo", "events", "alice/demo"]) as? [Any])?.count == 1)
    }

    @Test func importCopiesARepository() throws {
        let plue = try PlueRunner(home: home)
        try plue.ok(["init"])
        try plue.ok(["user", "create", "alice", "--email", "alice@example.com"])
        let source = directory.child("source")
        try Command.git(["init", "-q", "-b", "develop", source])
        try Command.git(["commit", "-q", "--allow-empty", "-m", "one"], in: source)
        try Command.git(["tag", "v1"], in: source)
        let imported = try #require(try plue.json(["repo", "import", "alice/copy", "--from", source]) as? [String: Any])
        #expect(imported["defaultBranch"] as? String == "develop")
        #expect((imported["branches"] as? [[String: Any]])?.map { $0["name"] as? String } == ["develop"])
        let path = try #require(imported["path"] as? String)
        #expect(try Command.git(["-C", path, "show-ref"]) == (try Command.git(["-C", source, "show-ref"])))
        #expect(try plue.run(["repo", "import", "alice/bad", "--from", directory.child("missing")]).status == 1)
        #expect(!FileManager.default.fileExists(atPath: home + "/repos/alice/bad.git"))
    }
}
