import ArgumentParser
import PlueKit

extension PlueCommand {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create a Plue home: the database, the repositories folder and a random server secret.",
            discussion: """
                Creates DIR/plue.db (SQLite in WAL mode, schema applied), DIR/repos/ and DIR/secret \
                (32 random bytes, mode 0600). The home is built aside and moved into place at once, \
                so an interrupted init leaves nothing behind. Refuses a directory that is not empty.
                """)

        @OptionGroup var options: ReportOptions

        func run() throws {
            let summary = try HomeInitializer.initialize(options.homeOptions.resolve())
            options.render(summary) { summary in
                """
                Initialized a Plue home at \(summary.home)
                  database:     \(summary.database) (journal mode \(summary.journalMode))
                  repositories: \(summary.repositories)
                  secret:       \(summary.secret) (mode 0600)
                Next: plue user create NAME --email EMAIL --home \(summary.home)
                """
            }
        }
    }
}
