import Foundation
import PlueTestSupport
import Testing

/// The queue and the trigger under concurrency and kill -9: every job runs exactly once however
/// many runners share the queue, and every push starts its runs exactly once however often the
/// trigger dies.
@Suite struct WorkflowQueueTests {
    @Test func eightRunnersRunAThousandJobsEachExactlyOnce() throws {
        let forge = try WorkflowForge()
        var files: [String: String] = [:]
        for file in 1...4 {
            let jobs = (1...250).map { "  j\($0):\n    steps: [{run: \"true\"}]\n" }.joined()
            files[".plue/workflows/w\(file).yml"] = "on: manual\njobs:\n" + jobs
        }
        try forge.commit(files)
        try forge.push()
        try forge.plue.ok(["workflow", "run", "alice/demo", "--detach"])
        let runners = try (1...8).map { index in
            try forge.startRunnerOnce(log: forge.directory.child("runner-\(index).log"))
        }
        for runner in runners { runner.waitUntilExit() }
        var started: [String] = []
        for index in 1...8 {
            let log = try String(contentsOfFile: forge.directory.child("runner-\(index).log"), encoding: .utf8)
            started += log.split(separator: "\n").filter { $0.contains("): started") }.map { String($0.split(separator: " ")[2]) }
        }
        #expect(started.count == 1000, "jobs started \(started.count) times")
        #expect(Set(started).count == 1000, "no job ran twice")
        let runs = try forge.runs()
        #expect(runs.count == 4 && runs.allSatisfy { $0["status"] as? String == "success" })
        for run in runs {
            let jobs = try forge.jobs(run["id"] as! Int)
            #expect(jobs.count == 250 && jobs.values.allSatisfy { $0["attempts"] as? Int == 1 && $0["status"] as? String == "success" })
        }
    }

    @Test func eachPushStartsItsRunsOnceThoughTheTriggerIsKilledAgainAndAgain() throws {
        let forge = try WorkflowForge()
        try forge.commit([".plue/workflows/ci.yml": "on: push\njobs: {a: {steps: [{run: \"true\"}]}}\n"])
        let pushes = 30
        let done = Flag()
        let killer = Thread {
            var round = 0
            while !done.isSet {
                round += 1
                guard let runner = try? forge.startRunner(["--lease", "2"], log: forge.directory.child("killed-\(round).log")) else { continue }
                usleep(useconds_t(50_000 + (round * 37_000) % 250_000))
                kill(runner.processIdentifier, SIGKILL)
                runner.waitUntilExit()
            }
        }
        killer.start()
        for index in 1...pushes {
            try forge.commit(["n": "\(index)\n"])
            try forge.push("HEAD:refs/heads/b\(index)")
        }
        done.set()
        while !killer.isFinished { usleep(20_000) }
        // Jobs the killed runners held wait out their two-second leases, then run here.
        try forge.runOnce(["--lease", "2"])
        let runs = try #require(try forge.plue.json(["workflow", "runs", "alice/demo", "--limit", "50"]) as? [[String: Any]])
        let events = runs.compactMap { $0["pushEvent"] as? Int }
        #expect(events.count == pushes, "one run per push: \(events.count)")
        #expect(Set(events).count == pushes, "no push started twice")
        // A job whose runners were killed three times is failed and says so (the runners die here
        // too); every other one ran.
        for run in runs where run["status"] as? String != "success" {
            let job = try #require((run["jobs"] as? [[String: Any]])?.first)
            #expect((job["reason"] as? String)?.contains("its runner stopped 3 times") == true, "\(job)")
        }
    }
}

extension WorkflowQueueTests {
    @Test func aJobsLogStopsAtItsLimitCountingEveryLine() throws {
        let forge = try WorkflowForge()
        try forge.commit([".plue/workflows/ci.yml": "on: manual\njobs:\n  flood:\n    steps:\n      - run: yes '' | head -n 1000000\n"])
        try forge.push()
        let run = try forge.plue.run(["workflow", "run", "alice/demo", "--as", WorkflowForge.account])
        #expect(run.status == 0, "\(run.errorOutput)")
        #expect(run.text.contains("[plue] the log reached its limit"))
        #expect(run.text.contains("[plue] step 1 exited with 0"), "the runner's own lines are kept past the limit")
        let size = { (path: String) in ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0 }
        let stored = size(forge.plue.home + "/plue.db") + size(forge.plue.home + "/plue.db-wal")
        #expect(stored < 30_000_000, "a million empty lines stored \(stored) bytes")
    }

    @Test func aFloodedRepositoryDoesNotHoldAnothersJobsBack() throws {
        let forge = try WorkflowForge()
        let jobs = (1...12).map { "  j\($0):\n    steps: [{run: sleep 1}]\n" }.joined()
        try forge.commit([".plue/workflows/ci.yml": "on: manual\njobs:\n" + jobs])
        try forge.push()
        try forge.plue.ok(["repo", "create", "alice/other"])
        let other = forge.directory.child("other")
        try Command.git(["init", "-q", "-b", "main", other])
        try FileManager.default.createDirectory(atPath: other + "/.plue/workflows", withIntermediateDirectories: true)
        try "on: manual\njobs:\n  quick:\n    steps: [{run: \"true\"}]\n".write(toFile: other + "/.plue/workflows/ci.yml", atomically: true, encoding: .utf8)
        try Command.git(["add", "-A"], in: other)
        try Command.git(["commit", "-q", "-m", "ci"], in: other)
        try Command.git(["push", "-q", forge.plue.home + "/repos/alice/other.git", "main"], in: other)
        try forge.plue.ok(["workflow", "run", "alice/demo", "--detach"])
        try forge.plue.ok(["workflow", "run", "alice/other", "--detach"])
        try forge.runOnce(["--concurrency", "2"])
        func started(_ run: Int) throws -> [Date] {
            let lines = try #require(try forge.plue.json(["workflow", "logs", String(run)]) as? [[String: Any]])
            let format = ISO8601DateFormatter()
            format.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return lines.filter { ($0["text"] as? String)?.hasPrefix("[plue] step 1:") == true }.compactMap { format.date(from: $0["time"] as? String ?? "") }.sorted()
        }
        let flooded = try started(1), quick = try #require(try started(2).first)
        #expect(flooded.count == 12)
        #expect(quick < flooded[2], "the other repository's job ran beside the first of the twelve, not after them all")
    }
}

final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

extension WorkflowForge {
    func startRunnerOnce(log: String) throws -> Process {
        try startRunner(["--once"], log: log)
    }
}
