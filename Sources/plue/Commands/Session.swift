import ArgumentParser
import PlueKit

extension PlueCommand {
    struct SessionCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "session",
            abstract: "Agent sessions: a private working copy with snapshots, stable change ids and an operation log.",
            discussion: """
                A session works on HOME/sessions/ID/work, started from a base branch. Every state it records is a \
                commit with a change-id header, kept under refs/plue/keep/ so nothing is ever lost; the session's \
                bookmark is refs/plue/sessions/ID. Sessions never move refs/heads/*.
                """,
            subcommands: [New.self, List.self, Show.self, Snapshot.self, Commit.self, Changes.self, Change.self, Ops.self,
                          Undo.self, Redo.self, Restore.self, Diff.self, Files.self, Cat.self, Fork.self, Conflicts.self,
                          TurnCommand.self, Messages.self, Revert.self, Unrevert.self, UndoTurns.self, Abort.self])
    }
}

extension PlueCommand.SessionCommand {
    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "new", abstract: "Start a session on a repository.")
        @Argument(help: ArgumentHelp("The repository.", valueName: "owner/name")) var fullName: String
        @Option(help: "The branch to start from (default: the repository's default branch).") var base: String?
        @Option(help: "A one-line title.") var title = ""
        @OptionGroup var options: ReportOptions

        func run() throws {
            let session = try options.open().sessions.new(repository: fullName, base: base, title: title)
            options.render(session) { session in
                """
                Started session \(session.id) on \(session.repository) from \(session.baseBranch) (\(session.baseCommit.prefix(12)))
                  workdir: \(session.workdir)
                  change:  \(session.currentChange)
                """
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List active sessions, all or one repository's.")
        @Argument(help: ArgumentHelp("Only this repository's sessions.", valueName: "owner/name")) var fullName: String?
        @Flag(help: "Include aborted and closed sessions.") var all = false
        @OptionGroup var options: ReportOptions

        func run() throws {
            let sessions = try options.open().sessions.list(repository: fullName, all: all)
            options.render(sessions) { sessions in
                TextTable.render(header: ["ID", "REPOSITORY", "BASE", "STATUS", "CHANGE", "TITLE"],
                                 rows: sessions.map { [$0.id, $0.repository, $0.baseBranch, $0.status.rawValue,
                                                       String($0.currentChange.prefix(12)), $0.title] },
                                 empty: "No sessions; start one with `plue session new OWNER/NAME`.")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a session.")
        @Argument(help: "The session id.") var id: String
        @OptionGroup var options: ReportOptions

        func run() throws {
            let session = try options.open().sessions.show(id)
            options.render(session) { session in
                """
                session:      \(session.id)
                repository:   \(session.repository)
                title:        \(session.title)
                status:       \(session.status.rawValue)
                base:         \(session.baseBranch) at \(session.baseCommit)
                workdir:      \(session.workdir)
                change:       \(session.currentChange)
                working copy: \(session.workingCopy)
                operation:    \(session.headOperation)
                created:      \(Timestamp.iso8601(session.createdAt))
                """
            }
        }
    }

    struct Snapshot: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "snapshot",
            abstract: "Record the working directory as the current change (an operation only when something changed).")
        @Argument(help: "The session id.") var id: String
        @Option(name: .short, help: "What the snapshot is for, shown in the operation log.") var message: String?
        @Option(help: "Leave out (and report) files larger than this many bytes.") var maxFileSize: Int64 = SessionService.defaultMaxFileSize
        @OptionGroup var options: ReportOptions

        func run() throws { try Self.execute(id, message: message, maxFileSize: maxFileSize, options.invocation) }

        /// Shared with `FastPath`: agents snapshot often.
        static func execute(_ id: String, message: String?, maxFileSize: Int64 = SessionService.defaultMaxFileSize,
                            _ invocation: Invocation) throws {
            let result = try invocation.open().sessions.snapshot(id, message: message, maxFileSize: maxFileSize)
            invocation.render(result, SnapshotText.describe)
        }
    }

    struct Commit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "commit", abstract: "Describe the current change and start a new empty one on top.")
        @Argument(help: "The session id.") var id: String
        @Option(name: .short, help: "The change's description.") var message: String
        @Option(help: "Leave out (and report) files larger than this many bytes.") var maxFileSize: Int64 = SessionService.defaultMaxFileSize
        @OptionGroup var options: ReportOptions

        func run() throws {
            let result = try options.open().sessions.commit(id, message: message, maxFileSize: maxFileSize)
            options.render(result, SnapshotText.describe)
        }
    }

    struct Changes: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "changes", abstract: "List the session's changes, newest first.")
        @Argument(help: "The session id.") var id: String
        @OptionGroup var options: ReportOptions

        func run() throws {
            let changes = try options.open().sessions.changes(id)
            options.render(changes) { changes in
                changes.map { change in
                    let summary = change.description.split(separator: "\n").first.map(String.init) ?? "(no description)"
                    return "\(change.changeID.prefix(12))  \(change.commit.prefix(12))  \(change.filesChanged.count) files  \(summary)"
                }.joined(separator: "\n")
            }
        }
    }

    struct Change: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "change", abstract: "Show one change: its id, commit, description, parents and files changed.")
        @Argument(help: "The session id.") var id: String
        @Argument(help: "A change id or unique prefix, a commit id or prefix, base or @.") var revision: String
        @OptionGroup var options: ReportOptions

        func run() throws {
            let change = try options.open().sessions.change(id, revision)
            options.render(change) { change in
                """
                change:  \(change.changeID)
                commit:  \(change.commit)
                parents: \(change.parents.joined(separator: " "))
                files:   \(change.filesChanged.joined(separator: " "))

                \(change.description)
                """
            }
        }
    }

    struct Ops: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ops", abstract: "List the session's operations, newest first.")
        @Argument(help: "The session id.") var id: String
        @OptionGroup var options: ReportOptions

        func run() throws {
            let operations = try options.open().sessions.operations(id)
            options.render(operations) { operations in
                TextTable.render(header: ["ID", "PARENT", "KIND", "TIME", "DESCRIPTION"],
                                 rows: operations.map { ["\($0.id)", $0.parent.map(String.init) ?? "-", $0.kind,
                                                         Timestamp.iso8601($0.time), $0.description] },
                                 empty: "No operations.")
            }
        }
    }
}

enum SnapshotText {
    static func describe(_ result: SnapshotResult) -> String {
        var lines = [result.operation.map { "Recorded operation \($0.id) (\($0.kind)): change \(result.session.currentChange.prefix(12)) is \(result.session.workingCopy.prefix(12))" }
            ?? "Nothing changed; no operation recorded."]
        lines += result.skipped.map { "skipped (too large): \($0)" }
        return lines.joined(separator: "\n")
    }
}
