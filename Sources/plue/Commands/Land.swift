import ArgumentParser
import Foundation
import PlueKit

extension PlueCommand {
    struct Land: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "land",
            abstract: "The landing queue: land sessions and branches on a target branch.",
            discussion: """
                An entry pins the source's head when it is queued. `plue land run` builds exactly that on the \
                target's current tip (under refs/plue/land/ID) and moves the target from that tip to the result \
                by compare-and-swap: a push that arrives meanwhile makes it build again, never lose the push. \
                Each land is recorded as a push event. States: queued, checking, landed, conflicted, stale \
                (the source moved after it was queued), failed, cancelled.
                """,
            subcommands: [Enqueue.self, List.self, Show.self, Cancel.self, Check.self, Run.self])
    }
}

/// `--session ID | --branch BRANCH`, exactly one.
struct LandSourceOptions: ParsableArguments {
    @Option(help: "Land this session (its last snapshot; enqueue snapshots it first).") var session: String?
    @Option(help: "Land this branch.") var branch: String?

    func source() throws -> LandSource { try Self.source(session: session, branch: branch) }

    static func source(session: String?, branch: String?) throws -> LandSource {
        switch (session, branch) {
        case (let session?, nil): return .session(session)
        case (nil, let branch?): return .branch(branch)
        default: throw PlueError.usage("give exactly one of --session ID and --branch BRANCH")
        }
    }
}

extension LandStrategy: ExpressibleByArgument {}

extension PlueCommand.Land {
    struct Enqueue: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "enqueue", abstract: "Queue a session or a branch for landing.",
            discussion: """
                The target defaults to the session's base branch, or the repository's default branch. Strategies: \
                rebase (default; one commit per change, change ids kept), merge (a merge commit), squash (one commit). \
                -m gives the merge or squash commit's message, and the message of undescribed changes under rebase.
                """)
        @Argument(help: ArgumentHelp("The repository.", valueName: "owner/name")) var fullName: String
        @OptionGroup var sourceOptions: LandSourceOptions
        @Option(help: ArgumentHelp("The branch to land on.", valueName: "branch")) var onto: String?
        @Option(help: "rebase, merge or squash.") var strategy: LandStrategy = .rebase
        @Option(name: .short, help: "The commit message (see above).") var message: String?
        @Option(help: ArgumentHelp("The account that asks for the land; a branch's land is pushed as them.", valueName: "name"))
        var user: String?
        @OptionGroup var limit: NewFileLimitOptions
        @OptionGroup var options: ReportOptions

        func run() throws {
            let plue = try options.open()
            // The operator acts as --user when given: the land is then that account's, with its rights.
            let principal: Principal = try user.map { .user(try plue.users.show($0, as: .operator)) } ?? .operator
            let entry = try plue.landing.enqueue(
                fullName, source: sourceOptions.source(), onto: onto, strategy: strategy, message: message,
                maxNewFileSize: limit.maxNewFileSize, as: principal)
            options.render(entry) { entry in
                "Queued entry \(entry.id) at position \(entry.position ?? 0): \(entry.source.description) at \(entry.headCommit.prefix(12)) onto \(entry.target) by \(entry.strategy.rawValue)"
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List a repository's landing queue.")
        @Argument(help: ArgumentHelp("The repository.", valueName: "owner/name")) var fullName: String
        @Flag(help: "Include finished entries (landed, conflicted, stale, failed, cancelled).") var all = false
        @OptionGroup var options: ReportOptions

        func run() throws {
            let entries = try options.open().landing.list(fullName, all: all, as: .operator)
            options.render(entries) { entries in
                TextTable.render(header: ["ID", "STATE", "SOURCE", "HEAD", "TARGET", "STRATEGY", "REASON"],
                                 rows: entries.map { [String($0.id), $0.state.rawValue, $0.source.description,
                                                      String($0.headCommit.prefix(12)), $0.target, $0.strategy.rawValue, $0.reason] },
                                 empty: all ? "No land entries." : "The landing queue is empty.")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a land entry.")
        @Argument(help: "The entry id.") var id: Int64
        @OptionGroup var options: ReportOptions

        func run() throws {
            let entry = try options.open().landing.show(id, as: .operator)
            options.render(entry, LandText.describe)
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel", abstract: "Take a queued entry out of the queue, or one waiting for its required workflows (they are cancelled too).")
        @Argument(help: "The entry id.") var id: Int64
        @OptionGroup var options: ReportOptions

        func run() throws {
            let entry = try options.open().landing.cancel(id, as: .operator)
            options.render(entry) { "Cancelled entry \($0.id) (\($0.source.description))" }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check", abstract: "Would this land cleanly now? A dry run that writes nothing.",
            discussion: """
                The three-way merge git merge-tree --write-tree makes of the target's tip and the source's head. \
                A session is checked as last snapshotted. Exit status 0 whether clean or conflicted; read `clean`.
                """)
        @Argument(help: ArgumentHelp("The repository.", valueName: "owner/name")) var fullName: String
        @OptionGroup var sourceOptions: LandSourceOptions
        @Option(help: ArgumentHelp("The branch to land on.", valueName: "branch")) var onto: String?
        @OptionGroup var options: ReportOptions

        func run() throws {
            let check = try options.open().landing.check(fullName, source: sourceOptions.source(), onto: onto, as: .operator)
            options.render(check) { check in
                let head = "\(check.source.description) (\(check.sourceCommit.prefix(12))) onto \(check.target) (\(check.targetCommit.prefix(12)))"
                guard !check.clean else { return "Clean: \(head)" }
                return (["Conflicts: \(head)"] + check.conflicts.map { "  \($0.kind): \(TerminalText.line($0.path))" }).joined(separator: "\n")
            }
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run", abstract: "Land the queue's entries, head by head.",
            discussion: """
                Without --once it keeps waiting for new entries. Several runners may share a queue; one killed \
                in the middle is followed by the next without landing anything twice. With --json, one JSON \
                document per finished entry (with --once: one array at the end).
                """)
        @Argument(help: ArgumentHelp("The repository.", valueName: "owner/name")) var fullName: String
        @Flag(help: "Exit when the queue is empty.") var once = false
        @OptionGroup var options: ReportOptions

        func run() throws {
            // A runner may run for days: SIGTERM and SIGINT stop it, even when whoever started it
            // had them blocked (the mask is inherited). Stopping at any point is safe.
            var stoppers = sigset_t()
            sigemptyset(&stoppers)
            sigaddset(&stoppers, SIGTERM)
            sigaddset(&stoppers, SIGINT)
            sigprocmask(SIG_UNBLOCK, &stoppers, nil)
            var finished: [LandEntry] = []
            try options.open().landing.run(fullName, once: once, pauses: Self.testPauses(), as: .operator) { entry in
                if options.json && once {
                    finished.append(entry)
                } else {
                    options.render(entry, LandText.line)
                    fflush(nil)
                }
            }
            if options.json && once { options.render(finished) { _ in "" } }
        }

        /// PLUE_TEST_LAND_CRASH=before-update|after-update kills the runner there (git's GIT_TEST_*
        /// variables do the same): how the tests stop a runner at an exact point with kill -9.
        static func testPauses() -> LandRunPauses {
            let die: @Sendable (LandEntry) throws -> Void = { _ in kill(getpid(), SIGKILL) }
            switch Environment.value("PLUE_TEST_LAND_CRASH") {
            case "before-update": return LandRunPauses(beforeTargetUpdate: die)
            case "after-update": return LandRunPauses(afterTargetUpdate: die)
            default: return LandRunPauses()
            }
        }
    }
}

enum LandText {
    static func line(_ entry: LandEntry) -> String {
        var text = "\(entry.state.rawValue) entry \(entry.id) (\(entry.source.description) onto \(entry.target)): \(entry.reason)"
        for conflict in entry.conflicts { text += "\n  \(conflict.kind): \(TerminalText.line(conflict.path))" }
        return text
    }

    static func describe(_ entry: LandEntry) -> String {
        var lines = [
            "entry:     \(entry.id)", "state:     \(entry.state.rawValue)" + (entry.reason.isEmpty ? "" : " (\(entry.reason))"),
            "source:    \(entry.source.description) at \(entry.headCommit)", "target:    \(entry.target)",
            "strategy:  \(entry.strategy.rawValue)", "queued:    \(Timestamp.iso8601(entry.queuedAt))",
        ]
        if let position = entry.position { lines.append("position:  \(position)") }
        if let requester = entry.requestedBy { lines.append("requester: \(requester)") }
        if let started = entry.startedAt { lines.append("started:   \(Timestamp.iso8601(started))") }
        if let finished = entry.finishedAt { lines.append("finished:  \(Timestamp.iso8601(finished))") }
        if let builtOn = entry.builtOn { lines.append("built on:  \(builtOn)") }
        if let result = entry.result { lines.append("result:    \(result) (\(entry.ref))") }
        for conflict in entry.conflicts { lines.append("conflict:  \(conflict.kind): \(TerminalText.line(conflict.path))") }
        return lines.joined(separator: "\n")
    }
}
