import ArgumentParser
import PlueKit

extension PlueCommand.SessionCommand {
    struct TurnCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "turn",
            abstract: "Record a user message; with a command after --, run it in the workdir as the agent and record its reply.",
            discussion: """
                The command runs in its own process group with standard input from /dev/null; what it prints \
                (at most 1 MiB) is the reply, and the working directory is snapshotted afterwards. \
                Example: plue session turn ID -m "fix the tests" -- my-agent --task fix
                """)
        @Argument(help: "The session id.") var id: String
        @Option(name: .short, help: "The user's message.") var message: String
        @Option(help: "Stop the command's whole process group after this many seconds.") var timeout: Double?
        @Argument(parsing: .postTerminator, help: "The agent's command and its arguments, after --.") var command: [String] = []
        @OptionGroup var options: ReportOptions

        func run() throws {
            let result = try options.open().sessions.turn(id, prompt: message, command: command.isEmpty ? nil : command, timeout: timeout)
            options.render(result) { result in
                var text = "Turn \(result.turn.number) (\(result.turn.state.rawValue))"
                if let status = result.turn.exitStatus { text += ", exit \(status)" }
                text += ": operation \(result.operation.id)"
                if !result.turn.reply.isEmpty { text += "\n" + result.turn.reply }
                return text
            }
        }
    }

    struct Messages: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "messages", abstract: "Show the conversation: each visible turn's message and reply.")
        @Argument(help: "The session id.") var id: String
        @OptionGroup var options: ReportOptions

        func run() throws {
            let turns = try options.open().sessions.messages(id)
            options.render(turns) { turns in
                turns.map { turn in
                    var text = "[\(turn.number)] user: \(turn.prompt)"
                    if turn.command != nil { text += "\n[\(turn.number)] agent (\(turn.state.rawValue)): \(turn.reply)" }
                    return text
                }.joined(separator: "\n")
            }
        }
    }

    struct Revert: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revert", abstract: "Bring files and visible messages back to the end of a turn.")
        @Argument(help: "The session id.") var id: String
        @Option(help: "The turn to go back to.") var toTurn: Int64
        @OptionGroup var options: ReportOptions

        func run() throws { options.render(try options.open().sessions.revert(id, toTurn: toTurn), SnapshotText.describe) }
    }

    struct Unrevert: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "unrevert", abstract: "Take back the last revert.")
        @Argument(help: "The session id.") var id: String
        @OptionGroup var options: ReportOptions

        func run() throws { options.render(try options.open().sessions.unrevert(id), SnapshotText.describe) }
    }

    struct UndoTurns: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "undo-turns", abstract: "Remove the last N turns, their files and messages, in one operation (itself undoable).")
        @Argument(help: "The session id.") var id: String
        @Argument(help: "How many turns (default 1).") var count = 1
        @OptionGroup var options: ReportOptions

        func run() throws { options.render(try options.open().sessions.undoTurns(id, count: count), SnapshotText.describe) }
    }

    struct Abort: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "abort", abstract: "Stop a running turn's whole process group and mark the session aborted; everything is kept.")
        @Argument(help: "The session id.") var id: String
        @OptionGroup var options: ReportOptions

        func run() throws {
            let session = try options.open().sessions.abort(id)
            options.render(session) { "Session \($0.id) is \($0.status.rawValue); fork it to go on from where it stopped." }
        }
    }
}
