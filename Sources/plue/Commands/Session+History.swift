import ArgumentParser
import PlueKit

extension PlueCommand.SessionCommand {
    struct Undo: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "undo",
            abstract: "Bring back the state before the last operation; again to go further back.",
            discussion: """
                As Jujutsu's undo: after an undo, undo again goes back from the state that undo brought back, \
                and an undo of an operation made after an undo skips the undone operations, so repeated undo and \
                redo act as an editor's undo and redo. The working directory is snapshotted first, so edits made \
                since the last operation are kept in the log, and an undo then takes back that snapshot.
                """)
        @Argument(help: "The session id.") var id: String
        @OptionGroup var work: SessionWorkOptions
        @OptionGroup var options: ReportOptions

        func run() throws {
            options.render(try work.sessions(options.open()).undo(id, as: .operator), SnapshotText.describe)
        }
    }

    struct Redo: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "redo", abstract: "Take back the last undo; again to walk forward.",
            discussion: """
                As Jujutsu's redo: it takes back undos made in a row, newest first, and fails once another \
                operation (a snapshot, a restore, a turn) has been recorded since them, as an editor's redo does.
                """)
        @Argument(help: "The session id.") var id: String
        @OptionGroup var work: SessionWorkOptions
        @OptionGroup var options: ReportOptions

        func run() throws {
            options.render(try work.sessions(options.open()).redo(id, as: .operator), SnapshotText.describe)
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore", abstract: "Bring back the state an operation left (itself a new operation, so it can be undone).")
        @Argument(help: "The session id.") var id: String
        @Argument(help: "The operation id (see `plue session ops`).") var operation: Int64
        @OptionGroup var work: SessionWorkOptions
        @OptionGroup var options: ReportOptions

        func run() throws {
            options.render(try work.sessions(options.open()).restore(id, operation: operation, as: .operator), SnapshotText.describe)
        }
    }
}
