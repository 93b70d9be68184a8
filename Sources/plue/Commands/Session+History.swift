import ArgumentParser
import PlueKit

extension PlueCommand.SessionCommand {
    struct Undo: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "undo",
            abstract: "Bring back the state before the last operation; again to go further back.",
            discussion: "The working directory is snapshotted first, so edits made since the last operation are kept in the log.")
        @Argument(help: "The session id.") var id: String
        @OptionGroup var options: ReportOptions

        func run() throws {
            options.render(try options.open().sessions.undo(id), SnapshotText.describe)
        }
    }

    struct Redo: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "redo", abstract: "Take back the last undo; again to walk forward.")
        @Argument(help: "The session id.") var id: String
        @OptionGroup var options: ReportOptions

        func run() throws {
            options.render(try options.open().sessions.redo(id), SnapshotText.describe)
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore", abstract: "Bring back the state an operation left (itself a new operation, so it can be undone).")
        @Argument(help: "The session id.") var id: String
        @Argument(help: "The operation id (see `plue session ops`).") var operation: Int64
        @OptionGroup var options: ReportOptions

        func run() throws {
            options.render(try options.open().sessions.restore(id, operation: operation), SnapshotText.describe)
        }
    }
}
