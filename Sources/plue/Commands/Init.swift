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

        @Option(help: "The system account people log in as over SSH.") var gitUser = SSHAuthorizer.defaultGitUser
        @OptionGroup var options: ReportOptions

        func run() throws {
            let summary = try HomeInitializer.initialize(options.invocation.resolveHome(), gitUser: gitUser)
            options.render(summary) { summary in
                """
                Initialized a Plue home at \(summary.home)
                  database:     \(summary.database) (journal mode \(summary.journalMode))
                  repositories: \(summary.repositories)
                  secret:       \(summary.secret) (mode 0600)
                  git user:     \(summary.gitUser) (the account SSH logins use)
                Next: plue user create NAME --email EMAIL --home \(summary.home)
                """
            }
        }
    }
}
