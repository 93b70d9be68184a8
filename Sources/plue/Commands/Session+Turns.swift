import ArgumentParser
import Glibc
import PlueKit

extension PlueCommand.SessionCommand {
    struct TurnCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "turn",
            abstract: "Record a user message; with a command after --, run it in the workdir as the agent and record its reply.",
            discussion: """
                The command runs in its own process group with standard input from /dev/null; what it prints \
                (at most 1 MiB) is the reply, and the working directory is snapshotted afterwards. The turn \
                is recorded whatever the command does; plue exits 1 when the command failed, timed out or \
                was aborted, after printing the turn. \
                Example: plue session turn ID -m "fix the tests" -- my-agent --task fix
                """)
        @Argument(help: "The session id.") var id: String
        @Option(name: .short, help: "The user's message.") var message: String
        @Option(help: "Stop the command's whole process group after this many seconds.") var timeout: Double?
        @Option(name: .customLong("env"), help: ArgumentHelp(
            "Pass this variable of plue's environment on to the agent (repeatable); it gets only PATH, HOME, USER, LANG, LC_*, TERM, TZ, TMPDIR and these.",
            valueName: "NAME")) var passing: [String] = []
        @Argument(parsing: .postTerminator, help: "The agent's command and its arguments, after --.") var command: [String] = []
        @OptionGroup var work: SessionWorkOptions
        @OptionGroup var options: ReportOptions

        func run() throws {
            let result = try work.sessions(options.open()).turn(id, prompt: message, command: command.isEmpty ? nil : command,
                                                                timeout: timeout, passing: passing, as: .operator)
            options.render(result) { result in
                var lines = ["Turn \(result.turn.number) (\(result.turn.state.rawValue))"
                    + (result.turn.exitStatus.map { ", exit \($0)" } ?? "") + ": operation \(result.operation.id)"]
                lines += result.turn.changedFiles.map {
                    "  \($0.status.rawValue): \(TerminalText.line($0.path))" + ($0.size.map { " (\($0) bytes)" } ?? "")
                }
                lines += result.skipped.map(SnapshotText.skippedLine)
                if !result.turn.reply.isEmpty { lines.append(result.turn.reply) }
                return lines.joined(separator: "\n")
            }
            // Recorded, but the agent did not succeed: a script driving turns must be able to tell.
            if [.failed, .timeout, .aborted].contains(result.turn.state) { Glibc.exit(PlueError.Code.failed.exitCode) }
        }
    }

    struct Messages: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "messages", abstract: "Show the conversation: each visible turn's message and reply.",
            discussion: """
                After the turns the current view shows comes a turn still running, or one whose runner died \
                (interrupted), marked as such: its reply so far is not recorded until it ends.
                """)
        @Argument(help: "The session id.") var id: String
        @OptionGroup var options: ReportOptions

        func run() throws {
            let turns = try options.open().sessions.conversation(id, as: .operator)
            options.render(turns) { turns in
                turns.map { turn in
                    var text = "[\(turn.number)] user: \(turn.prompt)"
                    switch turn.state {
                    case .running: text += "\n[\(turn.number)] agent (running): no reply yet"
                    case .interrupted: text += "\n[\(turn.number)] agent (interrupted): " + (turn.reply.isEmpty ? "its runner stopped before it finished" : turn.reply)
                    default: if turn.command != nil { text += "\n[\(turn.number)] agent (\(turn.state.rawValue)): \(turn.reply)" }
                    }
                    return text
                }.joined(separator: "\n")
            }
        }
    }

    struct Revert: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revert", abstract: "Bring files and visible messages back to the end of a turn.")
        @Argument(help: "The session id.") var id: String
        @Option(help: "The turn to go back to.") var toTurn: Int64
        @OptionGroup var work: SessionWorkOptions
        @OptionGroup var options: ReportOptions

        func run() throws { options.render(try work.sessions(options.open()).revert(id, toTurn: toTurn, as: .operator), SnapshotText.describe) }
    }

    struct Unrevert: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "unrevert", abstract: "Take back the last revert.")
        @Argument(help: "The session id.") var id: String
        @OptionGroup var work: SessionWorkOptions
        @OptionGroup var options: ReportOptions

        func run() throws { options.render(try work.sessions(options.open()).unrevert(id, as: .operator), SnapshotText.describe) }
    }

    struct UndoTurns: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "undo-turns", abstract: "Remove the last N turns, their files and messages, in one operation (itself undoable).")
        @Argument(help: "The session id.") var id: String
        @Argument(help: "How many turns (default 1).") var count = 1
        @OptionGroup var work: SessionWorkOptions
        @OptionGroup var options: ReportOptions

        func run() throws { options.render(try work.sessions(options.open()).undoTurns(id, count: count, as: .operator), SnapshotText.describe) }
    }

    struct Abort: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "abort", abstract: "Stop a running turn's whole process group and mark the session aborted; everything is kept.")
        @Argument(help: "The session id.") var id: String
        @OptionGroup var options: ReportOptions

        func run() throws {
            let session = try options.open().sessions.abort(id, as: .operator)
            options.render(session) { "Session \($0.id) is \($0.status.rawValue); fork it to go on from where it stopped." }
        }
    }
}
