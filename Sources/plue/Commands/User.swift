import ArgumentParser
import PlueKit

extension PlueCommand {
    struct User: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "user",
            abstract: "Create, list and show accounts.",
            subcommands: [Create.self, List.self, Show.self])
    }
}

extension PlueCommand.User {
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create an account.",
            discussion: """
                NAME: 1 to 39 letters, digits, '-' or '_', starting with a letter or digit; unique \
                ignoring case; a few names such as admin, api and login are reserved.
                """)

        @Argument(help: "The account name.") var name: String
        @Option(help: "The account's email address, unique ignoring case.") var email: String
        @Flag(help: "Make the account a site administrator.") var admin = false
        @OptionGroup var options: ReportOptions

        func run() throws {
            let user = try options.open().users.create(name: name, email: email, admin: admin, as: .operator)
            options.render(user) { "Created user \($0.name) <\($0.email)>\($0.admin ? " (admin)" : "")" }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List accounts.")
        @OptionGroup var options: ReportOptions

        func run() throws {
            let users = try options.open().users.list(as: .operator)
            options.render(users) { users in
                TextTable.render(
                    header: ["NAME", "EMAIL", "ADMIN", "CREATED"],
                    rows: users.map { [$0.name, $0.email, $0.admin ? "yes" : "no", Timestamp.iso8601($0.createdAt)] },
                    empty: "No users yet; create one with `plue user create NAME --email EMAIL`.")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show an account.")
        @Argument(help: "The account name.") var name: String
        @OptionGroup var options: ReportOptions

        func run() throws {
            let user = try options.open().users.show(name, as: .operator)
            options.render(user) { user in
                """
                name:    \(user.name)
                email:   \(user.email)
                admin:   \(user.admin ? "yes" : "no")
                created: \(Timestamp.iso8601(user.createdAt))
                """
            }
        }
    }
}
