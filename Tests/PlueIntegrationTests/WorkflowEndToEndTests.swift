import Foundation
import PlueTestSupport
import Testing

/// Workflows with the built binary: pushes start them, `plue runner` runs them as an unprivileged
/// account, and what a run records is read back with `plue workflow` and checked against what the
/// steps did.
@Suite struct WorkflowEndToEndTests {
    static let echo = "on:\n  push: {branches: [main]}\n  manual: {}\njobs:\n  build:\n    steps:\n      - run: echo built $PLUE_SHA\n"

    @Test func aPushStartsTheWorkflowsItMatchesOnceEach() throws {
        let forge = try WorkflowForge()
        let head = try forge.commit([
            ".plue/workflows/main.yml": Self.echo,
            ".plue/workflows/tags.yml": "on:\n  push: {tags: [\"v*\"]}\njobs: {t: {steps: [{run: \"true\"}]}}\n",
            ".plue/workflows/docs.yml": "on:\n  push: {paths: [\"docs/**\"]}\njobs: {d: {steps: [{run: \"true\"}]}}\n",
            ".plue/workflows/other.yml": "on:\n  push: {branches: [release]}\njobs: {o: {steps: [{run: \"true\"}]}}\n",
        ])
        try forge.push()
        try forge.runOnce()
        var runs = try forge.runs()
        #expect(runs.map { $0["workflow"] as? String } == ["main"], "only the main-branch workflow: \(runs)")
        let first = try #require(runs.first)
        #expect(first["status"] as? String == "success")
        #expect(first["commit"] as? String == head)
        #expect(first["event"] as? String == "push" && first["ref"] as? String == "refs/heads/main")
        #expect(try forge.logs(first["id"] as! Int).contains("built \(head)"), "the step saw PLUE_SHA")

        // A tag and a docs change start theirs; a second trigger pass starts nothing again.
        try forge.commit(["docs/a.md": "doc\n"])
        try forge.push()
        try Command.git(["tag", "v1"], in: forge.work)
        try forge.push("v1")
        try forge.runOnce()
        try forge.runOnce()
        runs = try forge.runs()
        #expect(runs.compactMap { $0["workflow"] as? String }.sorted() == ["docs", "main", "main", "tags"], "\(runs)")
        #expect(runs.allSatisfy { $0["status"] as? String == "success" })

        // [skip ci] in the head commit's message skips push runs.
        try forge.commit(["docs/b.md": "b\n"], message: "docs only [skip ci]")
        try forge.push()
        try forge.runOnce()
        #expect(try forge.runs().count == 4)
    }

    @Test func aBrokenFileGivesAFailedRunSayingWhereAndWhy() throws {
        let forge = try WorkflowForge()
        try forge.commit([".plue/workflows/ok.yml": Self.echo,
                          ".plue/workflows/broken.yml": "on: push\njobs:\n  a:\n    steps:\n      - run: x\n    runs-on: ubuntu\n"])
        try forge.push()
        try forge.runOnce()
        let runs = try forge.runs()
        let broken = try #require(runs.first { $0["workflow"] as? String == "broken" })
        #expect(broken["status"] as? String == "failure")
        #expect((broken["error"] as? String)?.hasPrefix(".plue/workflows/broken.yml:6: unknown key 'runs-on'") == true, "\(broken)")
        #expect(runs.first { $0["workflow"] as? String == "ok" }?["status"] as? String == "success", "one broken file stops no other")
        let listed = try forge.plue.ok(["workflow", "list", "alice/demo"])
        #expect(listed.contains("broken.yml:6"))

        // A file name git holds as bytes that are not UTF-8 is that file's failure, not the push's;
        // a name with a newline cannot forge a line of `workflow show`.
        let named = ".plue/workflows/named.yml"
        try forge.commit([named: "name: \"CI\\nstatus:    success\"\non: push\njobs:\n  a:\n    steps: [{run: exit 1}]\n"])
        let raw = try Command.run("/bin/sh", ["-c", "printf 'on: push\\njobs: {a: {steps: [{run: \"true\"}]}}\\n' > \"$(printf '.plue/workflows/e\\377.yml')\" && git add -A && git commit -qm odd"],
                                  in: forge.work)
        #expect(raw.status == 0, "\(raw.errorOutput)")
        try forge.push()
        try forge.runOnce()
        let after = try forge.runs()
        #expect(after.count == 6, "ok, broken, named and the odd file each got a second run: \(after.map { $0["path"] ?? "" })")
        #expect(after.contains { ($0["error"] as? String)?.contains("cannot read the file") == true })
        #expect(after.contains { $0["workflow"] as? String == "ok" && $0["pushEvent"] as? Int == 2 })
        let forged = try #require(after.first { ($0["path"] as? String) == named }?["id"] as? Int)
        let shown = try forge.plue.ok(["workflow", "show", String(forged)])
        #expect(shown.split(separator: "\n").filter { $0.hasPrefix("status:") }.count == 1, "\(shown)")
    }

    @Test func aRequiredNameTwoFilesAnswerToFailsTheLand() throws {
        let forge = try WorkflowForge()
        try forge.commit([".plue/workflows/gate.yml": "name: gate\non: {land: {}}\njobs:\n  check:\n    steps:\n      - run: exit 1\n"])
        try forge.push()
        try forge.plue.ok(["branch", "protect", "alice/demo", "main", "--require", "gate"])
        // The branch adds a passing workflow that also calls itself gate, sorted before the real one.
        try Command.git(["checkout", "-q", "-b", "sneak"], in: forge.work)
        try forge.commit([".plue/workflows/aaa.yml": "name: gate\non: {land: {}}\njobs:\n  check:\n    steps:\n      - run: \"true\"\n"])
        try forge.push("sneak")
        try forge.plue.ok(["land", "enqueue", "alice/demo", "--branch", "sneak"])
        try forge.plue.ok(["land", "run", "alice/demo", "--once"])
        try forge.runOnce()
        try forge.plue.ok(["land", "run", "alice/demo", "--once"])
        let entry = try #require(try forge.plue.json(["land", "show", "1"]) as? [String: Any])
        #expect(entry["state"] as? String == "failed", "\(entry)")
        let run = try #require(try forge.runs().first)
        #expect((run["error"] as? String)?.contains("2 workflow files answer to 'gate'") == true, "\(run)")
    }

    @Test func needsSkipsContinueOnErrorAndTimeLimits() throws {
        let forge = try WorkflowForge()
        try forge.commit([".plue/workflows/ci.yml": """
            on: {manual: {}}
            env: {WHO: workflow}
            jobs:
              fails:
                steps:
                  - run: exit 3
                  - run: echo never
              after-failure:
                needs: fails
                steps: [{run: echo skipped}]
              lenient:
                env: {WHO: job}
                steps:
                  - run: exit 4
                    continue-on-error: true
                  - run: echo "still here as $WHO"
                    env: {WHO: step}
              slow:
                timeout-minutes: 0.03
                steps:
                  - run: setsid sleep 29 </dev/null >/dev/null 2>&1 & exec setsid sleep 30
              chain:
                needs: [lenient]
                steps:
                  - run: pwd && ls
                    working-directory: sub
            """, "sub/marker": "x\n"])
        try forge.push()
        let run = try forge.plue.run(["workflow", "run", "alice/demo", "ci", "--as", WorkflowForge.account])
        #expect(run.status == 1, "a failed run exits 1: \(run.errorOutput)")
        #expect(run.text.contains("still here as step"), "logs stream while it runs")
        let runs = try forge.runs()
        let id = try #require(runs.first?["id"] as? Int)
        let jobs = try forge.jobs(id)
        #expect(jobs["fails"]?["status"] as? String == "failure")
        let failedSteps = try #require(jobs["fails"]?["steps"] as? [[String: Any]])
        #expect(failedSteps.map { $0["status"] as? String } == ["failure", "skipped"])
        #expect(failedSteps.first?["exitCode"] as? Int == 3)
        #expect(jobs["after-failure"]?["status"] as? String == "skipped")
        #expect(jobs["lenient"]?["status"] as? String == "success")
        #expect(jobs["slow"]?["status"] as? String == "timed_out")
        #expect(jobs["chain"]?["status"] as? String == "success")
        #expect(try forge.run(id)["status"] as? String == "failure")
        let logs = try forge.logs(id, ["--job", "chain"])
        #expect(logs.contains("/tmp/checkout/sub") && logs.contains("marker"))
        #expect(try forge.wait(3) { try WorkflowForge.processes(containing: "sleep 29|sleep 30").isEmpty },
                "the timed-out step was killed, with what it set loose (setsid)")
    }

    @Test func cancelStopsARunningStepWithinSeconds() throws {
        let forge = try WorkflowForge()
        try forge.commit([".plue/workflows/ci.yml": "on: manual\njobs:\n  long:\n    steps:\n      - run: echo going; setsid sleep 62 </dev/null >/dev/null 2>&1 & sleep 61\n"])
        try forge.push()
        let runner = try forge.startRunner(log: forge.directory.child("runner.log"))
        defer { runner.terminate(); runner.waitUntilExit() }
        try forge.plue.ok(["workflow", "run", "alice/demo", "--detach"])
        #expect(try forge.wait(15) { try forge.logs(1).contains("going") })
        try forge.plue.ok(["workflow", "cancel", "1"])
        let started = Date()
        #expect(try forge.wait(10) { try forge.run(1)["status"] as? String == "cancelled" })
        #expect(Date().timeIntervalSince(started) < 5, "cancelled within seconds")
        #expect(try forge.jobs(1)["long"]?["status"] as? String == "cancelled")
        #expect(try forge.wait(3) { try WorkflowForge.processes(containing: "sleep 6[12]").isEmpty }, "no step process is left")
        let again = try forge.plue.run(["workflow", "cancel", "1"])
        #expect(again.status == 1 && again.errorOutput.contains("has finished"))
    }

    @Test func aRunnerKilledMidJobIsRecoveredAndTakesItsStepWithIt() throws {
        let forge = try WorkflowForge()
        try forge.commit([".plue/workflows/ci.yml": "on: manual\njobs:\n  work:\n    steps:\n      - run: echo attempt; setsid sleep 70 </dev/null >/dev/null 2>&1 & sleep 7; echo done\n"])
        try forge.push()
        let runner = try forge.startRunner(["--lease", "2"], log: forge.directory.child("runner.log"))
        try forge.plue.ok(["workflow", "run", "alice/demo", "--detach"])
        #expect(try forge.wait(15) { try forge.logs(1).contains("attempt") })
        kill(runner.processIdentifier, SIGKILL)
        runner.waitUntilExit()
        #expect(try forge.wait(3) { try WorkflowForge.processes(containing: "sleep 7").isEmpty }, "the killed runner's step died with it, setsid or not")
        #expect(try forge.jobs(1)["work"]?["status"] as? String == "running", "still claimed until its lease expires")
        // The next runner takes the job back once the lease has expired, and runs it again.
        usleep(2_500_000)
        try forge.runOnce(["--lease", "2"])
        let job = try #require(try forge.jobs(1)["work"])
        #expect(job["status"] as? String == "success")
        #expect(job["attempts"] as? Int == 2)
        // Both attempts' lines are kept, each marked with its attempt.
        let lines = try #require(try forge.plue.json(["workflow", "logs", "1"]) as? [[String: Any]])
        #expect(lines.contains { $0["attempt"] as? Int == 1 && $0["text"] as? String == "attempt" })
        #expect(lines.contains { $0["attempt"] as? Int == 2 && $0["text"] as? String == "done" })
    }

    @Test func logsAreReadableWhileTheJobRuns() throws {
        let forge = try WorkflowForge()
        // The step waits for a file the test makes: no timing to guess on a loaded machine.
        let signal = "/opt/plue-test-signal-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: signal) }
        try forge.commit([".plue/workflows/ci.yml": """
            on: manual
            jobs:
              talk:
                timeout-minutes: 2
                steps:
                  - run: echo first; while [ ! -e \(signal) ]; do sleep 0.1; done; echo second
            """])
        try forge.push()
        let runner = try forge.startRunner(log: forge.directory.child("runner.log"))
        defer { runner.terminate(); runner.waitUntilExit() }
        try forge.plue.ok(["workflow", "run", "alice/demo", "--detach"])
        // "| first" is the step's line; the step's name holds both words.
        #expect(try forge.wait(30) { try forge.logs(1).contains("| first\n") })
        #expect(try forge.run(1)["status"] as? String == "running")
        #expect(!(try forge.logs(1).contains("| second\n")))
        FileManager.default.createFile(atPath: signal, contents: nil)
        let followed = try forge.plue.ok(["workflow", "logs", "1", "--follow"])
        #expect(followed.contains("| first\n") && followed.contains("| second\n"), "--follow ends with the run: \(followed)")
        #expect(try forge.run(1)["status"] as? String == "success")
        let line = try #require(followed.split(separator: "\n").first { $0.hasSuffix("| first") })
        #expect(line.hasPrefix("20") && line.contains("Z talk 1 |"), "time, job and step on each line: \(line)")
    }

    @Test func aLandWaitsForItsRequiredWorkflowAndPassesOnlyWhenItSucceeds() throws {
        let forge = try WorkflowForge()
        try forge.commit([".plue/workflows/gate.yml": "name: gate\non: {land: {}}\njobs:\n  check:\n    steps:\n      - run: test -f ok\n",
                          ".plue/workflows/after.yml": "on:\n  push: {branches: [main]}\njobs: {a: {steps: [{run: \"true\"}]}}\n"],
                         message: "gate [skip ci]")
        try forge.push()
        try forge.plue.ok(["branch", "protect", "alice/demo", "main", "--require", "gate"])
        #expect(try forge.plue.ok(["branch", "protection", "alice/demo"]).contains("gate"))
        let main = try Command.git(["-C", forge.repository, "rev-parse", "main"]).trimmingCharacters(in: .whitespacesAndNewlines)

        // Without the file the gate fails, and the land with it.
        try Command.git(["checkout", "-q", "-b", "bad"], in: forge.work)
        try forge.commit(["feature": "x\n"])
        try forge.push("bad")
        try forge.plue.ok(["land", "enqueue", "alice/demo", "--branch", "bad"])
        try forge.plue.ok(["land", "run", "alice/demo", "--once"])
        var entry = try #require(try forge.plue.json(["land", "show", "1"]) as? [String: Any])
        #expect(entry["state"] as? String == "checking" && (entry["reason"] as? String)?.contains("waiting for required workflow") == true, "\(entry)")
        try forge.runOnce()
        try forge.plue.ok(["land", "run", "alice/demo", "--once"])
        entry = try #require(try forge.plue.json(["land", "show", "1"]) as? [String: Any])
        #expect(entry["state"] as? String == "failed", "\(entry)")
        let runID = try #require(try forge.runs().first?["id"] as? Int)
        #expect((entry["reason"] as? String)?.contains("run \(runID)") == true, "\(entry)")
        #expect(try forge.run(runID)["event"] as? String == "land")
        #expect(try Command.git(["-C", forge.repository, "rev-parse", "main"]).trimmingCharacters(in: .whitespacesAndNewlines) == main,
                "main did not move")

        // With it the gate passes, and the branch moves to exactly the result the gate checked.
        try Command.git(["checkout", "-q", "-b", "good", "main"], in: forge.work)
        try forge.commit(["ok": "yes\n"])
        try forge.push("good")
        try forge.plue.ok(["land", "enqueue", "alice/demo", "--branch", "good"])
        try forge.plue.ok(["land", "run", "alice/demo", "--once"])
        try forge.runOnce()
        try forge.plue.ok(["land", "run", "alice/demo", "--once"])
        entry = try #require(try forge.plue.json(["land", "show", "2"]) as? [String: Any])
        #expect(entry["state"] as? String == "landed", "\(entry)")
        let checked = try #require(try forge.runs().first)
        #expect(checked["status"] as? String == "success" && checked["event"] as? String == "land")
        let landed = try Command.git(["-C", forge.repository, "rev-parse", "main"]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(landed == checked["commit"] as? String)

        // The land is a push to main like any other: it starts main's push workflows.
        try forge.runOnce()
        let pushed = try #require(try forge.runs().first)
        #expect(pushed["workflow"] as? String == "after" && pushed["commit"] as? String == landed && pushed["pushEvent"] as? Int != nil,
                "\(pushed)")
        #expect(pushed["status"] as? String == "success")
    }

    @Test func aLandWaitingForItsWorkflowsCanBeCancelled() throws {
        let forge = try WorkflowForge()
        try forge.commit([".plue/workflows/gate.yml": "name: gate\non: {land: {}}\njobs:\n  check:\n    steps:\n      - run: \"true\"\n"])
        try forge.push()
        try forge.plue.ok(["branch", "protect", "alice/demo", "main", "--require", "gate"])
        try Command.git(["checkout", "-q", "-b", "feature"], in: forge.work)
        try forge.commit(["feature": "x\n"])
        try forge.push("feature")
        let main = try Command.git(["-C", forge.repository, "rev-parse", "main"])
        try forge.plue.ok(["land", "enqueue", "alice/demo", "--branch", "feature"])
        try forge.plue.ok(["land", "run", "alice/demo", "--once"])
        let cancelled = try #require(try forge.plue.json(["land", "cancel", "1"]) as? [String: Any])
        #expect(cancelled["state"] as? String == "cancelled", "\(cancelled)")
        #expect(try forge.runs().first?["status"] as? String == "cancelled", "its run is cancelled with it")
        try forge.runOnce()
        try forge.plue.ok(["land", "run", "alice/demo", "--once"])
        #expect(try (forge.plue.json(["land", "show", "1"]) as? [String: Any])?["state"] as? String == "cancelled")
        #expect(try Command.git(["-C", forge.repository, "rev-parse", "main"]) == main, "main did not move")
    }
}
