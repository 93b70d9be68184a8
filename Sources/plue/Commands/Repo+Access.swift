import ArgumentParser
import PlueKit

extension PlueCommand.Repo {
    struct CollaboratorCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "collaborator",
            abstract: "Give accounts read, write or admin permission on a repository.",
            discussion: """
                Owners have admin. Any account may read a public repository; a private one only its owner, \
                its collaborators and site admins. Adding a collaborator again changes their permission.
                """,
            subcommands: [Add.self, List.self, Remove.self])
    }
}

extension PlueCommand.Repo.CollaboratorCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a collaborator or change their permission.")
        @Argument(help: ArgumentHelp("The repository.", valueName: "owner/name")) var fullName: String
        @Argument(help: "The account.") var user: String
        @Option(help: "read, write or admin.") var permission: String
        @OptionGroup var options: ReportOptions

        func run() throws {
            let collaborator = try options.open().access.addCollaborator(
                repository: fullName, user: user, permission: Permission.parse(permission), as: .operator)
            options.render(collaborator) { "\($0.user) has \($0.permission.rawValue) permission on \($0.repository)" }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List a repository's collaborators.")
        @Argument(help: ArgumentHelp("The repository.", valueName: "owner/name")) var fullName: String
        @OptionGroup var options: ReportOptions

        func run() throws {
            let collaborators = try options.open().access.collaborators(repository: fullName, as: .operator)
            options.render(collaborators) { collaborators in
                TextTable.render(header: ["USER", "PERMISSION", "ADDED"],
                                 rows: collaborators.map { [$0.user, $0.permission.rawValue, Timestamp.iso8601($0.createdAt)] },
                                 empty: "No collaborators.")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a collaborator.")
        @Argument(help: ArgumentHelp("The repository.", valueName: "owner/name")) var fullName: String
        @Argument(help: "The account.") var user: String
        @OptionGroup var options: HomeOptions

        func run() throws {
            try options.open().access.removeCollaborator(repository: fullName, user: user, as: .operator)
            print("Removed \(user) from \(fullName)")
        }
    }
}

extension PlueCommand {
    struct DeployKeyCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "deploy-key",
            abstract: "Keys that reach one repository only: read-only unless added with --write.",
            subcommands: [Add.self, List.self, Remove.self])
    }
}

extension PlueCommand.DeployKeyCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a deploy key to a repository.")
        @Argument(help: ArgumentHelp("The repository.", valueName: "owner/name")) var fullName: String
        @Option(help: "A name for the key, such as the machine that deploys.") var title: String
        @Option(help: ArgumentHelp("The public key file (.pub), or - for standard input.", valueName: "path")) var file: String
        @Flag(help: "Let the key push, not only fetch.") var write = false
        @OptionGroup var options: ReportOptions

        func run() throws {
            let text = try KeyInput.read(file: file, positional: nil)
            let key = try options.open().keys.addDeployKey(repository: fullName, title: title, publicKey: text, writable: write,
                                                          as: .operator)
            options.render(key) { "Added \($0.writable ? "read-write" : "read-only") deploy key \($0.id) to \($0.repository): \($0.fingerprint)" }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List a repository's deploy keys.")
        @Argument(help: ArgumentHelp("The repository.", valueName: "owner/name")) var fullName: String
        @OptionGroup var options: ReportOptions

        func run() throws {
            let keys = try options.open().keys.deployKeys(repository: fullName, as: .operator)
            options.render(keys) { keys in
                TextTable.render(header: ["ID", "FINGERPRINT", "ACCESS", "TITLE", "ADDED"],
                                 rows: keys.map { ["\($0.id)", $0.fingerprint, $0.writable ? "read-write" : "read-only", $0.title,
                                                   Timestamp.iso8601($0.createdAt)] },
                                 empty: "No deploy keys.")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a deploy key by its id.")
        @Argument(help: ArgumentHelp("The repository.", valueName: "owner/name")) var fullName: String
        @Argument(help: "The key's id (see `plue deploy-key list`).") var id: Int64
        @OptionGroup var options: ReportOptions

        func run() throws {
            let key = try options.open().keys.removeDeployKey(repository: fullName, id: id, as: .operator)
            options.render(key) { "Removed deploy key \($0.id) (\($0.fingerprint)) from \($0.repository)" }
        }
    }
}
