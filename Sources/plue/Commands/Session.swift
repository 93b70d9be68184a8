import Foundation
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
                          TurnCommand.self, Messages.self, Revert.self, Unrevert.self, UndoTurns.self, Abort.self, Config.self, Turns.self,
                          Delete.self, GC.self])
    }
}

extension PlueCommand.SessionCommand {
    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "new", abstract: "Start a session on a repository.")
        @Argument(help: ArgumentHelp("The repository.", valueName: "owner/name")) var fullName: String
        @Option(help: "The branch to start from (default: the repository's default branch).") var base: String?
        @Option(help: "A one-line title.") var title = ""
        @Option(help: "The session's limit for new files, in bytes (default 1048576); see `plue session config`.")
        var maxNewFileSize: Int64?
        @OptionGroup var options: ReportOptions

        func run() throws {
            let session = try options.open().sessions.new(repository: fullName, base: base, title: title, maxNewFileSize: maxNewFileSize,
                                                         as: .operator)
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
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List active sessions, all or one repository's.",
            discussion: """
                Each with its owner (the account that started it, or operator; in JSON null for the operator), its \
                size on disk (bytes of the regular files below HOME/sessions/ID, symbolic links not followed), its \
                last activity (the time of its newest operation) and how many turns it has had; in JSON as owner, \
                sizeOnDisk, lastActivity and turnCount.
                """)
        @Argument(help: ArgumentHelp("Only this repository's sessions.", valueName: "owner/name")) var fullName: String?
        @Flag(help: "Include aborted, closed and landed sessions.") var all = false
        @OptionGroup var options: ReportOptions

        func run() throws {
            let sessions = try options.open().sessions
            options.render(try sessions.measured(sessions.list(repository: fullName, all: all, as: .operator))) { sessions in
                TextTable.render(header: ["ID", "REPOSITORY", "OWNER", "BASE", "STATUS", "CHANGE", "SIZE", "TURNS", "LAST ACTIVITY", "TITLE"],
                                 rows: sessions.map { [$0.id, $0.repository, $0.owner ?? "operator", $0.baseBranch, $0.status.rawValue,
                                                       String($0.currentChange.prefix(12)), "\($0.sizeOnDisk ?? 0)",
                                                       "\($0.turnCount ?? 0)", $0.lastActivity.map(Timestamp.iso8601) ?? "-", $0.title] },
                                 empty: "No sessions; start one with `plue session new OWNER/NAME`.")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a session.",
            discussion: """
                The owner is the account that started the session (or forked it), or operator when the command \
                line did (null in JSON). Size on disk is the bytes of the regular files below HOME/sessions/ID, \
                symbolic links not followed.
                """)
        @Argument(help: "The session id.") var id: String
        @OptionGroup var options: ReportOptions

        func run() throws {
            let sessions = try options.open().sessions
            options.render(try sessions.measured([sessions.show(id, as: .operator)])[0]) { session in
                """
                session:       \(session.id)
                repository:    \(session.repository)
                owner:         \(session.owner ?? "operator")
                title:         \(session.title)
                status:        \(session.status.rawValue)
                base:          \(session.baseBranch) at \(session.baseCommit)
                workdir:       \(session.workdir)
                change:        \(session.currentChange)
                working copy:  \(session.workingCopy)
                operation:     \(session.headOperation)
                created:       \(Timestamp.iso8601(session.createdAt))
                last activity: \(session.lastActivity.map(Timestamp.iso8601) ?? "-")
                turns:         \(session.turnCount ?? 0)
                size on disk:  \(session.sizeOnDisk ?? 0) bytes
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
        @OptionGroup var work: SessionWorkOptions
        @OptionGroup var options: ReportOptions

        func run() throws {
            let result = try work.sessions(options.open()).snapshot(id, message: message, as: .operator)
            options.render(result, SnapshotText.describe)
        }
    }

    struct Commit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "commit", abstract: "Describe the current change and start a new empty one on top.")
        @Argument(help: "The session id.") var id: String
        @Option(name: .short, help: "The change's description.") var message: String
        @OptionGroup var work: SessionWorkOptions
        @OptionGroup var options: ReportOptions

        func run() throws {
            let result = try work.sessions(options.open()).commit(id, message: message, as: .operator)
            options.render(result, SnapshotText.describe)
        }
    }

    struct Changes: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "changes", abstract: "List the session's changes, newest first.")
        @Argument(help: "The session id.") var id: String
        @OptionGroup var options: ReportOptions

        func run() throws {
            let changes = try options.open().sessions.changes(id, as: .operator)
            options.render(changes) { changes in
                changes.map { change in
                    let summary = change.description.split(separator: "\n").first.map(String.init) ?? "(no description)"
                    return "\(change.changeID.prefix(12))  \(change.commit.prefix(12))  \(change.filesChanged.count) files  \(TerminalText.line(summary))"
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
            let change = try options.open().sessions.change(id, revision, as: .operator)
            options.render(change) { change in
                """
                change:  \(change.changeID)
                commit:  \(change.commit)
                parents: \(change.parents.joined(separator: " "))
                files:   \(change.filesChanged.map(TerminalText.line).joined(separator: " "))

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
            let operations = try options.open().sessions.operations(id, as: .operator)
            options.render(operations) { operations in
                TextTable.render(header: ["ID", "PARENT", "KIND", "TIME", "DESCRIPTION"],
                                 rows: operations.map { ["\($0.id)", $0.parent.map(String.init) ?? "-", $0.kind,
                                                         Timestamp.iso8601($0.time), TerminalText.line($0.description)] },
                                 empty: "No operations.")
            }
        }
    }
}

enum SnapshotText {
    static func describe(_ result: SnapshotResult) -> String {
        var lines = [result.operation.map { "Recorded operation \($0.id) (\($0.kind)): change \(result.session.currentChange.prefix(12)) is \(result.session.workingCopy.prefix(12))" }
            ?? "Nothing changed; no operation recorded."]
        lines += result.skipped.map(skippedLine)
        lines += result.trashed.map { "moved out of the way (not stored): \(TerminalText.line($0.path)); bring it back with: \($0.terminalRestoreCommand)" }
        return lines.joined(separator: "\n")
    }

    static func skippedLine(_ file: SkippedFile) -> String {
        "not recorded, left in place: \(TerminalText.line(file.path)): \(file.explanation)"
    }
}

/// What a command that reads the working directory (`@`) takes: the limit for new files of the
/// snapshot it makes first (none while a turn holds the session).
struct NewFileLimitOptions: ParsableArguments {
    @Option(help: "Leave out (and report) new files larger than this many bytes when snapshotting first (default: the session's limit, else 1048576).")
    var maxNewFileSize: Int64?

    func validate() throws {
        if let maxNewFileSize, maxNewFileSize < 0 { throw ValidationError("--max-new-file-size takes 0 or more bytes") }
    }

    func sessions(_ plue: Plue) -> SessionService { plue.sessions.limitingNewFiles(to: maxNewFileSize) }
}

/// What every command that changes a session takes: how long to wait for a busy session, and the
/// limit for new files its snapshot applies.
struct SessionWorkOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Wait up to this many seconds while another command (a running turn) holds the session, instead of exiting 75 at once.",
                               valueName: "seconds"))
    var wait: Double = 0
    @Option(help: "Leave out (and report) new files larger than this many bytes (default: the session's limit, else 1048576); files already recorded are always recorded.")
    var maxNewFileSize: Int64?

    func validate() throws {
        guard wait >= 0, wait <= 86_400 else { throw ValidationError("--wait takes 0 to 86400 seconds") }
        if let maxNewFileSize, maxNewFileSize < 0 { throw ValidationError("--max-new-file-size takes 0 or more bytes") }
    }

    func sessions(_ plue: Plue) -> SessionService {
        let sessions = plue.sessions.waiting(wait).limitingNewFiles(to: maxNewFileSize)
        // PLUE_TEST_CHECKOUT_CRASH_AFTER=N kills the command with SIGKILL once a move of the working
        // directory has written N files, as git's GIT_TEST_* variables do: tests stop it half-way.
        guard let limit = Environment.value("PLUE_TEST_CHECKOUT_CRASH_AFTER").flatMap(Int.init) else { return sessions }
        return sessions.pausing(SessionPauses { count in if count >= limit { kill(getpid(), SIGKILL) } })
    }
}

extension PlueCommand.SessionCommand {
    struct Config: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "config", abstract: "Show or change a session's settings: its limit for new files.",
            discussion: """
                New files larger than the limit are left out of snapshots, left in place and reported (as Jujutsu's \
                snapshot.max-new-file-size); files already recorded are recorded whatever their size.
                """)
        @Argument(help: "The session id.") var id: String
        @Option(help: "The limit for new files, in bytes.") var maxNewFileSize: Int64?
        @Flag(help: "Go back to the default limit (1048576 bytes).") var defaultLimit = false
        @OptionGroup var options: ReportOptions

        func validate() throws {
            if maxNewFileSize != nil && defaultLimit { throw ValidationError("give --max-new-file-size or --default-limit, not both") }
        }

        func run() throws {
            let sessions = try options.open().sessions
            let settings = maxNewFileSize != nil || defaultLimit
                ? try sessions.configure(id, maxNewFileSize: maxNewFileSize, as: .operator) : try sessions.settings(id, as: .operator)
            options.render(settings) { "max-new-file-size: \($0.maxNewFileSize)" + ($0.isDefault ? " (the default)" : "") }
        }
    }
}
