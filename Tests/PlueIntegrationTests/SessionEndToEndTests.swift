import Foundation
import PlueTestSupport
import Testing

/// An agent session driven through the built binary, as an agent harness would.
@Suite struct SessionEndToEndTests {
    @Test func aFailedAgentIsRecordedAndTheTurnExits1() throws {
        let directory = TemporaryDirectory("plue-session-failed-agent")
        let plue = try PlueRunner(home: directory.child("home"))
        try plue.setUpDemo(seed: directory.child("seed"), files: ["README": "hello\n"])
        let id = try #require((try plue.json(["session", "new", "alice/demo"]) as? [String: Any])?["id"] as? String)
        let failed = try plue.raw(["session", "turn", id, "--home", plue.home, "--json", "-m", "try", "--",
                                   "sh", "-c", "echo partial > partial.txt; echo giving up; exit 3"])
        #expect(failed.status == 1, "\(failed.errorOutput)")
        let turn = try #require((try JSONSerialization.jsonObject(with: failed.output) as? [String: Any])?["turn"] as? [String: Any])
        #expect(turn["state"] as? String == "failed" && turn["exitStatus"] as? Int == 3, "\(turn)")
        // Its work is recorded all the same.
        #expect(try plue.ok(["session", "diff", id, "--name-only"]).contains("partial.txt"))
        let succeeded = try plue.raw(["session", "turn", id, "--home", plue.home, "-m", "again", "--", "true"])
        #expect(succeeded.status == 0, "\(succeeded.errorOutput)")
    }

    @Test func anAgentTurnThenDiffApplyUndoAndFork() throws {
        let directory = TemporaryDirectory("plue-session-e2e")
        let home = directory.child("home")
        let plue = try PlueRunner(home: home)
        let seed = directory.child("seed")
        try plue.setUpDemo(seed: seed, files: ["README": "hello\n"])

        let session = try #require(try plue.json(["session", "new", "alice/demo", "--title", "agent"]) as? [String: Any])
        let id = try #require(session["id"] as? String)
        let turn = try plue.raw(["session", "turn", id, "--home", home, "--json", "-m", "add a greeting", "--",
                                 "sh", "-c", "echo 'hi there' > greeting.txt && echo added"])
        #expect(turn.status == 0, "\(turn.errorOutput)")
        let turnJSON = try #require(try JSONSerialization.jsonObject(with: turn.output) as? [String: Any])
        #expect((turnJSON["turn"] as? [String: Any])?["reply"] as? String == "added\n")

        // The patch applies to a clone of main with git apply and gives the session's files.
        let patch = try plue.run(["session", "diff", id])
        #expect(patch.status == 0 && patch.text.contains("+hi there"))
        let clone = directory.child("clone")
        try Command.git(["clone", "-q", home + "/repos/alice/demo.git", clone])
        let apply = try Command.run("/usr/bin/git", ["apply"], in: clone, input: patch.output)
        #expect(apply.status == 0, "\(apply.errorOutput)")
        #expect(try String(contentsOfFile: clone + "/greeting.txt", encoding: .utf8) == "hi there\n")

        let messages = try #require(try plue.json(["session", "messages", id]) as? [[String: Any]])
        #expect(messages.map { $0["prompt"] as? String } == ["add a greeting"])
        try plue.ok(["session", "undo", id])
        #expect(!FileManager.default.fileExists(atPath: home + "/sessions/\(id)/work/greeting.txt"))
        #expect((try plue.json(["session", "messages", id]) as? [Any])?.isEmpty == true)
        try plue.ok(["session", "redo", id])
        #expect(FileManager.default.fileExists(atPath: home + "/sessions/\(id)/work/greeting.txt"))

        let fork = try #require(try plue.json(["session", "fork", id]) as? [String: Any])
        #expect(fork["id"] as? String != id)
        let conflicts = try #require(try plue.json(["session", "conflicts", id]) as? [String: Any])
        #expect(conflicts["hasConflicts"] as? Bool == false)
        #expect(try plue.run(["session", "show", "0000000000000000"]).status == 66)
        #expect(try plue.run(["session", "show", "../../etc"]).status == 65)
        #expect(try plue.run(["session", "cat", id, "../secret"]).status == 65)
        #expect(try plue.run(["session", "diff", id, "--from", "nope-not-a-rev"]).status == 65)
        #expect(try Command.git(["-C", home + "/repos/alice/demo.git", "rev-parse", "main"]) == (try Command.git(["rev-parse", "HEAD"], in: seed)))
    }
}
