import ArgumentParser
import PlueKit

extension PlueCommand.SessionCommand {
    struct Turns: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "turns",
            abstract: "List every turn of a session, shown or not: state, times, exit status and the files it changed.",
            discussion: """
                States: running (its command runs now), done, failed (non-zero exit), timeout, aborted, and \
                interrupted (the plue process running it died; the next command recorded its files).
                """)
        @Argument(help: "The session id.") var id: String
        @OptionGroup var options: ReportOptions

        func run() throws {
            let turns = try options.open().sessions.turns(id, as: .operator)
            options.render(turns) { turns in
                guard !turns.isEmpty else { return "No turns yet; run one with `plue session turn \(id) -m MESSAGE -- COMMAND`." }
                return turns.map { turn in
                    var line = "[\(turn.number)] \(turn.state.rawValue)"
                    if let status = turn.exitStatus { line += ", exit \(status)" }
                    line += ", started \(Timestamp.iso8601(turn.startedAt))"
                    if let finished = turn.finishedAt { line += ", finished \(Timestamp.iso8601(finished))" }
                    line += ": \(TerminalText.line(turn.prompt.split(separator: "\n").first.map(String.init) ?? ""))"
                    return ([line] + turn.changedFiles.map { "    \($0.status.rawValue): \(TerminalText.line($0.path))" }).joined(separator: "\n")
                }.joined(separator: "\n")
            }
        }
    }
}
