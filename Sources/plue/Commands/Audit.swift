import ArgumentParser
import PlueKit

extension PlueCommand {
    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit",
            abstract: "Show the audit log: the requests API tokens were refused.",
            subcommands: [List.self])
    }
}

extension PlueCommand.Audit {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the newest audit events, newest first.",
            discussion: """
                Each event is a request refused because its token lacked the scope the route needs \
                (missing_scope), named another repository or session than the token is limited to \
                (outside_repositories, outside_session), or was site administration by an account that \
                is not an administrator (not_admin).
                """)
        @Option(help: "How many events to show, 1 to 100000.") var limit = 50
        @OptionGroup var options: ReportOptions

        func run() throws {
            let events = try options.open().audit.list(limit: limit, as: .operator)
            options.render(events) { events in
                TextTable.render(
                    header: ["TIME", "TOKEN", "USER", "ROUTE", "SCOPE NEEDED", "REMOTE", "OUTCOME"],
                    rows: events.map { event in
                        [Timestamp.iso8601(event.time), event.tokenID.map(String.init) ?? "-", event.user, event.route,
                         event.scopeNeeded, event.remoteAddress ?? "-", event.outcome]
                    },
                    empty: "No audit events.")
            }
        }
    }
}
