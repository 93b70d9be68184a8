import Foundation
import PlueTestSupport
import Testing

/// The agent-facing output of sessions through the built binary: diff formats against the git
/// CLI, JSON errors, delete, gc, and what list, show and messages report.
@Suite struct SessionOutputEndToEndTests {
    let directory = TemporaryDirectory("plue-session-output")
    var home: String { directory.child("home") }
    var repository: String { home + "/repos/alice/demo.git" }

    func started() throws -> (PlueRunner, String) {
        let plue = try PlueRunner(home: home)
        try plue.setUpDemo(seed: directory.child("seed"), files: ["a.txt": "a\n", "gone.txt": "gone\n", "b.txt": "b\n"])
        let session = try #require(try plue.json(["session", "new", "alice/demo"]) as? [String: Any])
        return (plue, try #require(session["id"] as? String))
    }

    func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func refs() throws -> String { try Command.git(["-C", repository, "for-each-ref", "refs/plue/"]) }

    @Test func diffFormatsMatchGitAndFilesHaveSizes() throws {
        let (plue, id) = try started()
        let work = home + "/sessions/\(id)/work"
        try "a\nmore\n".write(toFile: work + "/a.txt", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: work + "/gone.txt")
        try FileManager.default.moveItem(atPath: work + "/b.txt", toPath: work + "/c.txt")
        try Data([0, 1, 2, 3]).write(to: URL(fileURLWithPath: work + "/bin.dat"))
        try plue.ok(["session", "snapshot", id])
        let session = try object(try plue.run(["session", "show", id, "--json"]).output)
        let base = try #require(session["baseCommit"] as? String), head = try #require(session["workingCopy"] as? String)
        for format in ["--stat", "--name-status", "--name-only"] {
            let ours = try plue.run(["session", "diff", id, format])
            let theirs = try Command.run("/usr/bin/git", ["-C", repository, "diff", format, base, head],
                                         environment: Command.environment(["COLUMNS": "80"]))
            #expect(ours.status == 0 && ours.text == theirs.text, "\(format):\n\(ours.text)\n---\n\(theirs.text)")
        }
        let aLine = try plue.ok(["session", "diff", id, "--stat"]).split(separator: "\n").first { $0.hasPrefix(" a.txt ") }
        #expect(aLine?.hasSuffix(" 1 +") == true && aLine?.contains("-") == false, "one added line is one plus: \(aLine ?? "")")

        let diff = try object(try plue.run(["session", "diff", id, "--json"]).output)
        let files = try #require(diff["files"] as? [[String: Any]])
        #expect(files.map { $0["status"] as? String } == ["A", "M", "R", "D"].map(Optional.some) || files.count == 4)
        #expect(files.first { $0["path"] as? String == "c.txt" }?["oldPath"] as? String == "b.txt")
        #expect(files.first { $0["path"] as? String == "bin.dat" }?["binary"] as? Bool == true)
        #expect(diff["patch"] as? String == (try plue.ok(["session", "diff", id])))
        #expect(try plue.run(["session", "diff", id, "--json", "--stat"]).status == 64)

        let listing = try #require(try plue.json(["session", "files", id]) as? [[String: Any]])
        for entry in listing {
            let object = try #require(entry["object"] as? String)
            #expect((entry["size"] as? Int).map(String.init) == (try Command.git(["-C", repository, "cat-file", "-s", object])))
        }
    }

    @Test func withJSONErrorsAreOneJSONObjectOnStandardError() throws {
        let (plue, id) = try started()
        let cases: [([String], Int32, String)] = [
            (["session", "show", "0000000000000000", "--json"], 66, "notFound"),
            (["session", "show", "../x", "--json"], 65, "invalidInput"),
            (["session", "delete", "../x", "--yes", "--json"], 65, "invalidInput"),
            (["session", "delete", id, "--json"], 64, "usage"),
            (["session", "show", "--json"], 64, "usage"),
            (["session", "diff", id, "--json", "--no-such-flag"], 64, "usage"),
            (["session", "gc", "--older-than=-5", "--json"], 65, "invalidInput"),
            (["session", "gc", "alice/nope", "--json"], 66, "notFound"),
            (["repo", "show", "alice/nope", "--json"], 66, "notFound"),
            (["session", "messages", "0000000000000000", "--json"], 66, "notFound"),
        ]
        for (arguments, status, code) in cases {
            let result = try plue.run(arguments)
            #expect(result.status == status, "\(arguments)")
            #expect(result.output.isEmpty, "\(arguments)")
            let error = try object(Data(result.errorOutput.utf8))["error"] as? [String: Any]
            #expect(error?["code"] as? String == code, "\(arguments): \(result.errorOutput)")
            #expect((error?["message"] as? String)?.isEmpty == false)
            // Without --json the same failure is text, with the same exit code.
            let text = try plue.run(arguments.filter { $0 != "--json" })
            #expect(text.status == status && !text.errorOutput.hasPrefix("{"), "\(arguments)")
        }
        // --json after -- belongs to the agent's command, not to plue.
        let turn = try plue.raw(["session", "turn", "0000000000000000", "--home", home, "-m", "x", "--", "echo", "--json"])
        #expect(turn.status == 66 && turn.errorOutput.hasPrefix("error: "))
        #expect(try plue.run(["session", "show", id, "--json", "--help"]).status == 0)
    }

    @Test func deleteRemovesEverythingOfTheSessionAndNothingElse() throws {
        let (plue, id) = try started()
        try "x\n".write(toFile: home + "/sessions/\(id)/work/x.txt", atomically: true, encoding: .utf8)
        try plue.ok(["session", "commit", id, "-m", "x"])
        let other = try #require((try plue.json(["session", "new", "alice/demo"]) as? [String: Any])?["id"] as? String)
        let refused = try plue.run(["session", "delete", id])
        #expect(refused.status == 64 && refused.errorOutput.contains("--yes"))
        #expect(try refs().contains(id))

        let deleted = try #require(try plue.json(["session", "delete", id, "--yes"]) as? [String: Any])
        #expect(deleted["id"] as? String == id && (deleted["bytesFreed"] as? Int ?? 0) > 0)
        let after = try refs()
        #expect(!after.contains(id) && after.contains(other))
        #expect(!FileManager.default.fileExists(atPath: home + "/sessions/\(id)"))
        _ = try Command.git(["-C", repository, "fsck", "--no-progress"])
        #expect(try plue.run(["session", "show", id]).status == 66)
        #expect(try plue.run(["session", "delete", id, "--yes"]).status == 66, "deleting twice")
        #expect(try plue.run(["session", "delete", "../\(other)", "--yes"]).status == 65)
        #expect(FileManager.default.fileExists(atPath: home + "/sessions/\(other)/work"))
        let listed = try #require(try plue.json(["session", "list", "--all"]) as? [[String: Any]])
        #expect(listed.map { $0["id"] as? String } == [other])
    }

    @Test func aRunningTurnShowsInMessagesAndBlocksDeleteUntilForced() throws {
        let (plue, id) = try started()
        #expect(try plue.raw(["session", "turn", id, "--home", home, "-m", "first", "--", "sh", "-c", "echo done"]).status == 0)
        let agent = Process()
        agent.executableURL = URL(fileURLWithPath: try PlueBinary.path)
        agent.arguments = ["session", "turn", id, "--home", home, "-m", "second", "--", "sleep", "4"]
        agent.environment = Command.environment()
        agent.standardOutput = FileHandle.nullDevice
        agent.standardError = FileHandle.nullDevice
        try agent.run()
        defer { agent.waitUntilExit() }
        var messages: [[String: Any]] = []
        for _ in 0..<150 {
            messages = try #require(try plue.json(["session", "messages", id]) as? [[String: Any]])
            if messages.count == 2 { break }
            usleep(20_000)
        }
        #expect(messages.map { $0["state"] as? String } == ["done", "running"])
        #expect(try plue.ok(["session", "messages", id]).contains("[2] agent (running)"))
        let show = try #require(try plue.json(["session", "show", id]) as? [String: Any])
        #expect(show["turnCount"] as? Int == 2)

        let busy = try plue.run(["session", "delete", id, "--yes", "--json"])
        #expect(busy.status == 75)
        #expect((try object(Data(busy.errorOutput.utf8))["error"] as? [String: Any])?["code"] as? String == "unavailable")
        agent.waitUntilExit()
        let messagesAfter = try #require(try plue.json(["session", "messages", id]) as? [[String: Any]])
        #expect(messagesAfter.map { $0["state"] as? String } == ["done", "done"])
        try plue.ok(["session", "delete", id, "--yes", "--force"])
        #expect(!(try refs()).contains(id))
    }

    @Test func gcCollectsAbortedSessionsKeepsTheirHistoryAndLeavesBusyOnes() throws {
        let (plue, id) = try started()
        try "kept\n".write(toFile: home + "/sessions/\(id)/work/kept.txt", atomically: true, encoding: .utf8)
        try plue.ok(["session", "commit", id, "-m", "kept"])
        try plue.ok(["session", "abort", id])
        let busy = try #require((try plue.json(["session", "new", "alice/demo"]) as? [String: Any])?["id"] as? String)
        try plue.ok(["session", "abort", busy])
        let active = try #require((try plue.json(["session", "new", "alice/demo"]) as? [String: Any])?["id"] as? String)
        sleep(1)  // --older-than 0 takes sessions whose last operation is before this second

        #expect(try plue.ok(["session", "gc"]).contains("0 working directories removed"), "the default is 14 days")
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = [home + "/sessions/\(busy)/lock", "sleep", "6"]
        try holder.run()
        defer { holder.terminate(); holder.waitUntilExit() }
        usleep(300_000)
        let before = try refs()
        let collected = try #require(try plue.json(["session", "gc", "alice/demo", "--older-than", "0"]) as? [String: Any])
        let removed = try #require(collected["removed"] as? [[String: Any]])
        let left = try #require(collected["left"] as? [[String: Any]])
        #expect(removed.map { $0["id"] as? String } == [id] && (collected["bytesFreed"] as? Int ?? 0) > 0)
        #expect(left.map { $0["id"] as? String } == [busy])
        #expect(!FileManager.default.fileExists(atPath: home + "/sessions/\(id)/work"))
        #expect(FileManager.default.fileExists(atPath: home + "/sessions/\(busy)/work"))
        #expect(FileManager.default.fileExists(atPath: home + "/sessions/\(active)/work"))
        #expect(try refs() == before, "history and refs stay")

        let fork = try #require(try plue.json(["session", "fork", id]) as? [String: Any])
        let workdir = try #require(fork["workdir"] as? String)
        #expect(try String(contentsOfFile: workdir + "/kept.txt", encoding: .utf8) == "kept\n")
        #expect(try plue.ok(["session", "diff", id, "--name-only"]) == "kept.txt\n")
        let listed = try #require(try plue.json(["session", "list", "--all"]) as? [[String: Any]])
        for session in listed {
            #expect(session["sizeOnDisk"] is Int && session["lastActivity"] is String && session["turnCount"] as? Int == 0)
        }
        #expect(try plue.ok(["session", "show", id]).contains("size on disk:"))
        _ = try Command.git(["-C", repository, "fsck", "--no-progress"])
    }
}
