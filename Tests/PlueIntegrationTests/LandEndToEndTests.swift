import Foundation
import PlueTestSupport
import Testing

/// `plue land` as a user runs it: the built binary, real git pushes, runners killed with SIGKILL.
@Suite struct LandEndToEndTests {
    let directory = TemporaryDirectory("plue-land")
    var home: String { directory.child("home") }
    var seed: String { directory.child("seed") }
    var repository: String { home + "/repos/alice/demo.git" }

    func setUp() throws -> PlueRunner {
        let plue = try PlueRunner(home: home)
        try plue.setUpDemo(seed: seed, files: ["a.txt": "one\ntwo\nthree\n"])
        return plue
    }

    func git(_ arguments: [String]) throws -> String { try Command.git(["-C", repository] + arguments) }

    /// A branch from main's seed commit that adds `file`, pushed.
    @discardableResult
    func pushBranch(_ branch: String, file: String, contents: String = "new\n") throws -> String {
        try Command.git(["checkout", "-q", "-B", branch, "main"], in: seed)
        try contents.write(toFile: seed + "/" + file, atomically: true, encoding: .utf8)
        try Command.git(["add", "-A"], in: seed)
        try Command.git(["commit", "-q", "-m", "add \(file)"], in: seed)
        try Command.git(["push", "-q", repository, branch], in: seed)
        return try Command.git(["rev-parse", "HEAD"], in: seed)
    }

    func entry(_ plue: PlueRunner, _ id: Int) throws -> [String: Any] {
        try #require(try plue.json(["land", "show", String(id)]) as? [String: Any])
    }

    /// Push events on main made by lands (the ones with a pusher), oldest first.
    func landEvents(_ plue: PlueRunner) throws -> [[String: Any]] {
        let events = try #require(try plue.json(["repo", "events", "alice/demo", "-n", "1000"]) as? [[String: Any]])
        return events.filter { $0["ref"] as? String == "refs/heads/main" && $0["pusher"] as? String == "alice" }.reversed()
    }

    @Test func landingFromTheCommandLine() throws {
        let plue = try setUp()
        try pushBranch("feature", file: "f.txt")
        let session = try #require(try plue.json(["session", "new", "alice/demo", "--title", "agent"]) as? [String: Any])
        let id = try #require(session["id"] as? String), workdir = try #require(session["workdir"] as? String)
        try "from the agent\n".write(toFile: workdir + "/s.txt", atomically: true, encoding: .utf8)
        try plue.ok(["session", "commit", id, "-m", "agent adds s"])

        let check = try #require(try plue.json(["land", "check", "alice/demo", "--branch", "feature"]) as? [String: Any])
        #expect(check["clean"] as? Bool == true && (check["conflicts"] as? [Any])?.isEmpty == true)
        let first = try #require(try plue.json(["land", "enqueue", "alice/demo", "--session", id]) as? [String: Any])
        #expect(first["position"] as? Int == 1 && first["state"] as? String == "queued" && first["strategy"] as? String == "rebase")
        let second = try #require(try plue.json(["land", "enqueue", "alice/demo", "--branch", "feature", "--strategy", "merge",
                                                 "-m", "Merge the feature", "--user", "alice"]) as? [String: Any])
        #expect(second["position"] as? Int == 2 && second["requestedBy"] as? String == "alice")
        // A branch lands as its requester's push: someone who may not push may not ask for it.
        try plue.ok(["user", "create", "mallory", "--email", "mallory@example.com"])
        let refused = try plue.run(["land", "enqueue", "alice/demo", "--branch", "feature", "--user", "mallory"])
        #expect(refused.status == 77 && refused.errorOutput.contains("no write access"), "\(refused.errorOutput)")
        try plue.ok(["repo", "collaborator", "add", "alice/demo", "mallory", "--permission", "read"])
        #expect(try plue.run(["land", "enqueue", "alice/demo", "--branch", "feature", "--user", "mallory"]).status == 77)
        #expect((try plue.json(["land", "list", "alice/demo"]) as? [Any])?.count == 2)

        for (arguments, status) in [
            (["land", "enqueue", "alice/demo", "--session", id, "--branch", "feature"], 64),
            (["land", "enqueue", "alice/demo"], 64),
            (["land", "enqueue", "alice/demo", "--branch", "feature", "--strategy", "octopus"], 64),
            (["land", "show", "abc"], 64),
            (["land", "show", "999"], 66),
            (["land", "enqueue", "alice/demo", "--branch", "nope"], 66),
            (["land", "enqueue", "alice/demo", "--branch", "..", "--onto", "main"], 65),
            (["land", "check", "alice/demo", "--branch", "feature", "--onto", "nope"], 66),
            (["land", "enqueue", "alice/demo", "--branch", "feature"], 73),
            (["land", "run", "alice/nope", "--once"], 66),
        ] {
            let result = try plue.run(arguments)
            #expect(result.status == Int32(status), "plue \(arguments.joined(separator: " ")): \(result.errorOutput)")
            #expect(result.errorOutput.hasPrefix("error: ") || status == 64)
        }

        let finished = try #require(try plue.json(["land", "run", "alice/demo", "--once"]) as? [[String: Any]])
        #expect(finished.map { $0["state"] as? String } == ["landed", "landed"])
        #expect(try git(["log", "-1", "--format=%B", "main"]) == "Merge the feature")
        #expect(try git(["log", "--format=%s", "main^1"]) == "agent adds s\nseed")
        #expect(try git(["cat-file", "commit", "main^1"]).contains("change-id "))
        #expect(try git(["ls-tree", "--name-only", "main"]) == "a.txt\nf.txt\ns.txt")
        #expect(try landEvents(plue).count == 2)
        #expect((try plue.json(["session", "show", id]) as? [String: Any])?["status"] as? String == "landed")
        #expect(try plue.run(["land", "cancel", "1"]).status == 1)
        #expect(try plue.ok(["land", "run", "alice/demo", "--once"]).isEmpty)
        #expect(try plue.ok(["land", "list", "alice/demo"]).contains("The landing queue is empty."))
    }

    @Test func aRunnerKilledAtEitherPointIsFollowedWithoutLandingTwice() throws {
        let plue = try setUp()
        for (number, point) in ["before-update", "after-update"].enumerated() {
            try pushBranch("b\(number)", file: "b\(number).txt")
            try plue.ok(["land", "enqueue", "alice/demo", "--branch", "b\(number)", "--user", "alice"])
            let tip = try git(["rev-parse", "main"])
            let killed = try plue.run(["land", "run", "alice/demo", "--once"], environment: ["PLUE_TEST_LAND_CRASH": point])
            #expect(killed.status == SIGKILL, "the runner died at \(point)")
            let left = try entry(plue, number + 1)
            #expect(left["state"] as? String == "checking")
            #expect((left["reason"] as? String)?.hasPrefix("taken up by the runner with process id ") == true)
            let result = try #require(left["result"] as? String)
            #expect(try git(["rev-parse", "main"]) == (point == "before-update" ? tip : result))
            #expect(try landEvents(plue).count == number, "the killed runner recorded no land")

            let finished = try #require(try plue.json(["land", "run", "alice/demo", "--once"]) as? [[String: Any]])
            #expect(finished.map { $0["state"] as? String } == ["landed"])
            let landed = try entry(plue, number + 1)
            #expect(landed["attempts"] as? Int == 2)
            let main = try git(["rev-parse", "main"])
            #expect(landed["result"] as? String == main)
            let events = try landEvents(plue)
            #expect(events.count == number + 1 && events.last?["newCommit"] as? String == main && events.last?["oldCommit"] as? String == tip)
            #expect(try git(["log", "--format=%s", "main"]).components(separatedBy: "add b\(number).txt").count == 2, "landed once")
        }

        try pushBranch("poison", file: "p.txt")
        try plue.ok(["land", "enqueue", "alice/demo", "--branch", "poison"])
        for _ in 0..<5 {
            _ = try plue.run(["land", "run", "alice/demo", "--once"], environment: ["PLUE_TEST_LAND_CRASH": "before-update"])
        }
        let finished = try #require(try plue.json(["land", "run", "alice/demo", "--once"]) as? [[String: Any]])
        #expect(finished.first?["state"] as? String == "failed")
        #expect((finished.first?["reason"] as? String)?.contains("stopped 5 times") == true)
    }

    /// A runner killed inside the target's update leaves `main.lock` holding its result (what
    /// libgit2 writes before the rename). The next runner knows that lock for its own and removes
    /// it; a lock with anything else in it (a push's) is never touched.
    @Test func aRunnersOwnStaleLockOnTheTargetIsRemovedAndAPushsIsKept() throws {
        let plue = try setUp()
        let lock = home + "/repos/alice/demo.git/refs/heads/main.lock"
        try pushBranch("mine", file: "mine.txt")
        try plue.ok(["land", "enqueue", "alice/demo", "--branch", "mine", "--user", "alice"])
        let tip = try git(["rev-parse", "main"])
        _ = try plue.run(["land", "run", "alice/demo", "--once"], environment: ["PLUE_TEST_LAND_CRASH": "before-update"])
        let result = try #require(try entry(plue, 1)["result"] as? String)
        try "\(result)\n".write(toFile: lock, atomically: false, encoding: .utf8)
        let run = try plue.run(["land", "run", "alice/demo", "--once", "--json"])
        #expect(run.status == 0 && run.errorOutput.contains("removed") && run.errorOutput.contains("main.lock"), "\(run.errorOutput)")
        #expect(try entry(plue, 1)["state"] as? String == "landed")
        #expect(try git(["rev-parse", "main"]) == result && result != tip)
        #expect(!FileManager.default.fileExists(atPath: lock))

        // The same crash, but the lock holds another commit: a push's, or anyone's. Kept, and the entry fails naming it.
        try pushBranch("theirs", file: "theirs.txt")
        try plue.ok(["land", "enqueue", "alice/demo", "--branch", "theirs", "--user", "alice"])
        _ = try plue.run(["land", "run", "alice/demo", "--once"], environment: ["PLUE_TEST_LAND_CRASH": "before-update"])
        let main = try git(["rev-parse", "main"])
        try "\(main)\n".write(toFile: lock, atomically: false, encoding: .utf8)
        let failed = try #require(try plue.json(["land", "run", "alice/demo", "--once"]) as? [[String: Any]])
        #expect(failed.first?["state"] as? String == "failed")
        #expect((failed.first?["reason"] as? String)?.contains("main.lock") == true)
        #expect(try String(contentsOfFile: lock, encoding: .utf8) == "\(main)\n")
        #expect(try git(["rev-parse", "main"]) == main)
    }

    @Test func aRunnerWithoutOnceLandsEntriesQueuedWhileItWaits() throws {
        let plue = try setUp()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: plue.binary)
        process.arguments = ["land", "run", "alice/demo", "--home", home]
        process.environment = Command.environment()
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        usleep(300_000)
        #expect(process.isRunning, "an empty queue does not end the runner")

        try pushBranch("late", file: "late.txt")
        let queued = try #require(try plue.json(["land", "enqueue", "alice/demo", "--branch", "late"]) as? [String: Any])
        #expect(queued["reason"] as? String == "queued")
        var state = ""
        for _ in 0..<100 where state != "landed" {
            usleep(100_000)
            state = try entry(plue, 1)["state"] as? String ?? ""
        }
        #expect(state == "landed")
        #expect(try git(["show", "main:late.txt"]) == "new")
        #expect(process.isRunning, "the runner keeps waiting")
        process.terminate()
        process.waitUntilExit()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(printed.hasPrefix("landed entry 1 (branch late onto main)"))
    }

    @Test func twoRunnersAtOnceWithOneKilledLandEveryEntryOnce() throws {
        let plue = try setUp()
        let start = try git(["rev-parse", "main"])
        let count = 8
        for number in 0..<count {
            try pushBranch("b\(number)", file: "b\(number).txt")
            try plue.ok(["land", "enqueue", "alice/demo", "--branch", "b\(number)", "--user", "alice",
                         "--strategy", number % 2 == 0 ? "rebase" : "squash"])
        }
        func runner() throws -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: plue.binary)
            process.arguments = ["land", "run", "alice/demo", "--once", "--home", home]
            process.environment = Command.environment()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        let first = try runner(), second = try runner()
        usleep(150_000)
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        second.waitUntilExit()
        #expect(second.terminationStatus == 0)
        try plue.ok(["land", "run", "alice/demo", "--once"])

        func list() throws -> [[String: Any]] {
            try #require(try plue.json(["land", "list", "alice/demo", "--all"]) as? [[String: Any]])
        }
        func branch(_ entry: [String: Any]) -> String? { (entry["source"] as? [String: Any])?["name"] as? String }
        let lock = repository + "/refs/heads/main.lock"
        if FileManager.default.fileExists(atPath: lock) {
            // The kill fell inside the write of main itself. As with a killed git, the lock stays
            // (a push could hold it), and the entries behind it fail saying to remove it if no push
            // is running: do what that says, and queue them again.
            let stuck = try list().filter { ($0["reason"] as? String)?.contains("main.lock") == true }
            #expect(!stuck.isEmpty, "a leftover main.lock is reported on the entries it stopped")
            try FileManager.default.removeItem(atPath: lock)
            for entry in stuck {
                try plue.ok(["land", "enqueue", "alice/demo", "--branch", try #require(branch(entry)), "--user", "alice"])
            }
            try plue.ok(["land", "run", "alice/demo", "--once"])
        }
        let entries = try list()
        let states = entries.map { "\($0["id"] ?? "?") \($0["state"] ?? "?") \($0["reason"] ?? "")" }
        let landed = entries.filter { $0["state"] as? String == "landed" }
        #expect(landed.count == count && Set(landed.compactMap(branch)).count == count, "\(states)")
        #expect(entries.allSatisfy { ["landed", "failed"].contains($0["state"] as? String) }, "\(states)")
        let subjects = try git(["log", "--format=%s", "main"]).split(separator: "\n")
        for number in 0..<count {
            #expect(subjects.filter { $0.contains("b\(number)") }.count == 1, "b\(number) landed exactly once")
            #expect(try git(["show", "main:b\(number).txt"]) == "new")
        }
        // The target only ever moved from a tip to a result built on that tip.
        let events = try landEvents(plue)
        #expect(events.count == count)
        var tip = start
        for event in events {
            let old = try #require(event["oldCommit"] as? String), new = try #require(event["newCommit"] as? String)
            #expect(old == tip)
            #expect(try git(["rev-parse", "\(new)^1"]) == old)
            tip = new
        }
        #expect(try git(["rev-parse", "main"]) == tip)
    }
}
