import ArgumentParser
import Foundation
import PlueKit

extension PlueCommand {
    struct WorkflowCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "workflow",
            abstract: "Workflows (.plue/workflows/*.yml): definitions, runs, logs.",
            discussion: """
                A workflow is YAML in .plue/workflows/ in the subset of GitHub Actions' syntax Plue runs: \
                `on:` push (branches, branches-ignore, tags, tags-ignore, paths, paths-ignore), land, manual; \
                `env:`; `jobs:` with name, needs, env, timeout-minutes and steps (name, run, env, \
                working-directory, continue-on-error, timeout-minutes). A push starts the matching workflows \
                at its commit with no further step, unless its head commit's message says [skip ci]; a file \
                that does not parse gives a failed run saying where and why. Runners (`plue runner`, \
                `plue serve --runner-account`) run the jobs. Run states: queued, running, success, failure, \
                cancelled, timed_out, skipped.
                """,
            subcommands: [List.self, Run.self, Runs.self, Show.self, Logs.self, Cancel.self])
    }
}

extension PlueCommand.WorkflowCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List a repository's workflows at a ref, with their triggers and parse errors.")
        @Argument(help: ArgumentHelp("The repository.", valueName: "owner/name")) var fullName: String
        @Option(help: "A branch, tag or commit (default: the default branch).") var ref: String?
        @OptionGroup var options: ReportOptions

        func run() throws {
            let files = try options.open().workflows.list(fullName, ref: ref, as: .operator)
            options.render(files) { files in
                TextTable.render(
                    header: ["NAME", "FILE", "TRIGGERS", "JOBS"],
                    rows: files.map { file in
                        guard let workflow = file.workflow else {
                            return [file.name, file.path, "-", "error: \(file.result.errorDescription)"]
                        }
                        let triggers = [workflow.on.push != nil ? "push" : nil, workflow.on.land ? "land" : nil,
                                        workflow.on.manual ? "manual" : nil].compactMap { $0 }
                        return [workflow.name, file.path, triggers.joined(separator: ","), workflow.jobs.map(\.id).joined(separator: ",")]
                    },
                    empty: "No workflows in .plue/workflows.")
            }
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run", abstract: "Start a workflow by hand (its `on` must have manual).",
            discussion: """
                Without a name, starts every workflow with a manual trigger. Without --detach, runs the jobs \
                here (as --as ACCOUNT or --same-account, as `plue runner` does), prints their logs as they \
                come, and exits 0 when every run succeeded and 1 otherwise. With --detach, queues the runs for \
                the home's runners and prints them.
                """)
        @Argument(help: ArgumentHelp("The repository.", valueName: "owner/name")) var fullName: String
        @Argument(help: "The workflow's name or file.") var workflow: String?
        @Option(help: "A branch, tag or commit (default: the default branch).") var ref: String?
        @Flag(help: "Queue the runs and return.") var detach = false
        @OptionGroup var account: RunnerAccountOptions
        @OptionGroup var options: ReportOptions

        func run() throws {
            if detach {
                let runs = try options.open().workflows.dispatch(fullName, workflow: workflow, ref: ref, as: .operator)
                options.render(runs) { runs in runs.map { "Queued run \($0.id) of \($0.workflowName) at \($0.commit.prefix(12))" }.joined(separator: "\n") }
                return
            }
            let plue = try options.invocation.openServer()
            let runnerAccount = try account.resolve(plue.home)
            let runs = try plue.workflows.dispatch(fullName, workflow: workflow, ref: ref, as: .operator)
            let ids = runs.map(\.id)
            let stop = RunnerStop()
            let sources = RunnerSignals.stopOnSignals(stop)
            defer { withExtendedLifetime(sources) {} }
            let runner = plue.runner(account: runnerAccount, index: 0, leaseSeconds: 30, stop: stop)
            let done = RunnerStop()
            Thread {
                defer { done.stop() }
                while !stop.isStopped {
                    let ran = (try? runner.runNext(onlyRuns: ids)) ?? false
                    let open = ids.contains { id in !((try? plue.workflows.show(id, as: .operator).status.isFinished) ?? true) }
                    if !open { return }
                    if !ran { usleep(100_000) }
                }
            }.start()
            // Text: the logs as they come. JSON: one document, the finished runs (their logs are
            // `plue workflow logs RUN --json`).
            if !options.json {
                for id in ids { try LogFollower(plue: plue, run: id, job: nil, json: false).follow(until: { done.isStopped }) }
            }
            while !done.isStopped { usleep(50_000) }
            let finished = try ids.map { try plue.workflows.show($0, as: .operator) }
            if options.json {
                finished.json.write()
            } else {
                for run in finished { print(TerminalText.line("run \(run.id) (\(run.workflowName)): \(run.status.rawValue)")) }
            }
            if !finished.allSatisfy({ $0.status == .success }) { throw ExitCode(1) }
        }
    }

    struct Runs: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "runs", abstract: "List a repository's workflow runs, newest first.")
        @Argument(help: ArgumentHelp("The repository.", valueName: "owner/name")) var fullName: String
        @Option(help: "The page, from 1.") var page = 1
        @Option(help: "Runs a page, 1 to 50.") var limit = 20
        @OptionGroup var options: ReportOptions

        func run() throws {
            let runs = try options.open().workflows.runs(fullName, page: Page(number: page, size: limit), as: .operator).items
            options.render(runs) { runs in
                TextTable.render(
                    header: ["ID", "STATUS", "WORKFLOW", "EVENT", "REF", "COMMIT", "CREATED"],
                    rows: runs.map { [String($0.id), $0.status.rawValue, $0.workflowName, $0.event.rawValue, $0.ref,
                                      String($0.commit.prefix(12)), Timestamp.iso8601($0.createdAt)] },
                    empty: "No workflow runs.")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a run: its jobs and their steps.")
        @Argument(help: "The run's id.") var id: Int64
        @OptionGroup var options: ReportOptions

        func run() throws {
            let run = try options.open().workflows.show(id, as: .operator)
            options.render(run, WorkflowText.describe)
        }
    }

    struct Logs: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "logs", abstract: "Print a run's logs, each line with its time, job and step.",
            discussion: """
                Each line: its time (UTC, milliseconds), the job, the step (0: the runner's own lines), and the text. \
                With --follow, keeps printing lines as the run's jobs write them until the run ends. With --json, one \
                array of {id, job, attempt, step, time, text}; with --json --follow, one such object a line as they come.
                """)
        @Argument(help: "The run's id.") var id: Int64
        @Option(help: "Only this job (its key in the workflow).") var job: String?
        @Flag(help: "Wait for new lines until the run finishes.") var follow = false
        @OptionGroup var options: ReportOptions

        func run() throws {
            let plue = try options.open()
            let follower = LogFollower(plue: plue, run: id, job: job, json: options.json)
            if follow {
                try follower.follow(until: { false })
            } else if options.json {
                let lines = try plue.workflows.logs(id, job: job, limit: 1_000_000, as: .operator)
                options.render(lines) { _ in "" }
            } else {
                try follower.printAvailable()
            }
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel", abstract: "Cancel a queued or running run; running steps stop within seconds.")
        @Argument(help: "The run's id.") var id: Int64
        @OptionGroup var options: ReportOptions

        func run() throws {
            let run = try options.open().workflows.cancel(id, as: .operator)
            options.render(run) { "Cancelled run \($0.id) (\($0.workflowName)); now \($0.status.rawValue)" }
        }
    }
}

/// Prints a run's log lines as they are stored.
struct LogFollower {
    let plue: Plue
    let run: Int64
    let job: String?
    let json: Bool

    @discardableResult
    func printAvailable(after start: Int64 = 0) throws -> Int64 {
        var last = start
        while true {
            let lines = try plue.workflows.logs(run, job: job, after: last, limit: 1000, as: .operator)
            for line in lines {
                if json {
                    print(line.json.rendered().replacingOccurrences(of: "\n", with: ""))
                } else {
                    print("\(Timestamp.iso8601Milliseconds(line.time)) \(line.job) \(line.step) | \(TerminalText.line(line.text))")
                }
            }
            fflush(nil)
            guard let newest = lines.last else { return last }
            last = newest.id
        }
    }

    /// Prints lines until the run has finished and every line is out (or `until` says to stop).
    func follow(until: () -> Bool) throws {
        var last: Int64 = 0
        while true {
            let finished = try plue.workflows.show(run, as: .operator).status.isFinished
            last = try printAvailable(after: last)
            if finished || until() {
                _ = try printAvailable(after: last)
                return
            }
            usleep(100_000)
        }
    }
}

enum WorkflowText {
    /// Every value a push or a workflow file chose (names, refs, errors) goes through
    /// TerminalText.line: a newline in a step's name cannot print a line of its own.
    static func describe(_ run: WorkflowRun) -> String {
        let line = TerminalText.line
        var lines = [
            "run:       \(run.id)", "workflow:  \(line(run.workflowName)) (\(line(run.workflowPath)))", "status:    \(run.status.rawValue)",
            "event:     \(run.event.rawValue)", "ref:       \(line(run.ref))", "commit:    \(run.commit)",
            "created:   \(Timestamp.iso8601(run.createdAt))",
        ]
        if let requester = run.requestedBy { lines.append("requester: \(requester)") }
        if let land = run.landEntryID { lines.append("land:      entry \(land)") }
        if let finished = run.finishedAt { lines.append("finished:  \(Timestamp.iso8601(finished))") }
        if let error = run.error { lines.append("error:     \(line(error))") }
        for job in run.jobs {
            lines.append("job \(job.key): \(job.status.rawValue)" + (job.reason.isEmpty ? "" : " (\(line(job.reason)))"))
            for step in job.steps {
                lines.append("  \(step.position). \(line(step.name)): \(step.status.rawValue)" + (step.exitCode.map { ", exit \($0)" } ?? ""))
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension Result where Failure == WorkflowError {
    var errorDescription: String {
        if case .failure(let error) = self { return error.description }
        return ""
    }
}

extension PlueCommand {
    struct Branch: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "branch", abstract: "Branch rules: workflows a land must pass.",
            subcommands: [Protect.self, Unprotect.self, Protection.self])
    }
}

extension PlueCommand.Branch {
    struct Protect: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "protect", abstract: "Make the landing queue run workflows on a land's result before it moves the branch.",
            discussion: """
                Each --require names a workflow (its name, or its file's name without .yml). The landing queue runs \
                them (event land) on the result it built under refs/plue/land/ID and lands only if all succeed; a \
                failure marks the entry failed with the run's id. Replaces the branch's earlier rule.
                """)
        @Argument(help: ArgumentHelp("The repository.", valueName: "owner/name")) var fullName: String
        @Argument(help: "The branch.") var branch: String
        @Option(help: ArgumentHelp("A workflow that must succeed (repeat for more).", valueName: "workflow")) var require: [String] = []
        @OptionGroup var options: ReportOptions

        func run() throws {
            guard !require.isEmpty else {
                throw PlueError.usage("name at least one workflow with --require", hint: "to lift the rule, use `plue branch unprotect`")
            }
            let rule = try options.open().workflows.protect(fullName, branch: branch, require: require, as: .operator)
            options.render(rule) { "Landing on \($0.branch) now needs: \($0.requiredWorkflows.joined(separator: ", "))" }
        }
    }

    struct Unprotect: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "unprotect", abstract: "Lift a branch's rule.")
        @Argument(help: ArgumentHelp("The repository.", valueName: "owner/name")) var fullName: String
        @Argument(help: "The branch.") var branch: String
        @OptionGroup var options: ReportOptions

        func run() throws {
            let rule = try options.open().workflows.protect(fullName, branch: branch, require: [], as: .operator)
            options.render(rule) { "Landing on \($0.branch) needs no workflow" }
        }
    }

    struct Protection: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "protection", abstract: "Show a repository's branch rules.")
        @Argument(help: ArgumentHelp("The repository.", valueName: "owner/name")) var fullName: String
        @OptionGroup var options: ReportOptions

        func run() throws {
            let rules = try options.open().workflows.protection(fullName, as: .operator)
            options.render(rules) { rules in
                TextTable.render(header: ["BRANCH", "REQUIRED WORKFLOWS"],
                                 rows: rules.map { [$0.branch, $0.requiredWorkflows.joined(separator: ", ")] },
                                 empty: "No branch rules.")
            }
        }
    }
}
