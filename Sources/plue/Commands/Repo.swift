import ArgumentParser
import Foundation
import PlueKit

extension PlueCommand {
    struct Repo: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "repo",
            abstract: "Create, import, inspect and delete repositories.",
            discussion: """
                A repository is named OWNER/NAME; its bare git directory is HOME/repos/OWNER/NAME.git. \
                NAME: 1 to 100 letters, digits, '.', '-' or '_', not '.' or '..', not starting with '-', \
                not ending in '.git'; unique per owner ignoring case. Every push to it, by any transport, \
                is recorded as a push event (`plue repo events`).
                """,
            subcommands: [Create.self, Import.self, List.self, Show.self, Delete.self,
                          Log.self, Tree.self, Cat.self, Events.self, CollaboratorCommand.self])
    }
}

extension PlueCommand.Repo {
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Create an empty repository.")

        @Argument(help: ArgumentHelp("The repository to create.", valueName: "owner/name")) var fullName: String
        @Option(help: "A one-line description.") var description = ""
        @Flag(help: "Make the repository private: only its owner and collaborators may read it.") var `private` = false
        @Option(help: "The branch HEAD names.") var defaultBranch = "main"
        @OptionGroup var options: ReportOptions

        func run() throws {
            let repository = try options.open().repositories.create(
                fullName, description: description, isPrivate: `private`, defaultBranch: defaultBranch, as: .operator)
            // A new repository has no branches; its JSON has the same shape as `repo show`.
            options.render(RepositoryDetails(repository: repository, branches: [])) { details in
                let repository = details.repository
                return """
                Created \(repository.fullName) (\(repository.isPrivate ? "private" : "public"), default branch \(repository.defaultBranch))
                  path: \(repository.path)
                Push to it with: git push \(repository.path) \(repository.defaultBranch)
                """
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Create a repository with every ref of another one.",
            discussion: """
                SOURCE is a local path or an https, http, ssh or git URL, as `git clone --mirror` takes it; other \
                transports (ext::, fd::, ...) are refused. The default branch is the one the source's HEAD names. \
                git is stopped, and nothing is left behind, when it shows no progress for --timeout seconds or \
                plue is interrupted. A password or token in the URL is never printed or kept.
                """)

        @Argument(help: ArgumentHelp("The repository to create.", valueName: "owner/name")) var fullName: String
        @Option(help: ArgumentHelp("The repository to copy.", valueName: "path-or-url")) var from: String
        @Option(help: "A one-line description.") var description = ""
        @Flag(help: "Make the repository private.") var `private` = false
        @Option(help: ArgumentHelp("Stop when git shows no progress for this long.", valueName: "seconds")) var timeout: Double = 120
        @OptionGroup var options: ReportOptions

        func run() throws {
            let plue = try options.open()
            let repository = try plue.repositories.importRepository(
                fullName, from: from, description: description, isPrivate: `private`,
                showProgress: !options.json && isatty(2) == 1, idleTimeout: timeout, as: .operator)
            options.render(try plue.repositories.show(repository.fullName, as: .operator)) { details in
                let repository = details.repository
                return "Imported \(Redaction.credentials(in: from)) as \(repository.fullName) (default branch \(repository.defaultBranch), \(details.branches.count) branches)\n  path: \(repository.path)"
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List repositories, all or one owner's.")
        @Argument(help: "Only this owner's repositories.") var owner: String?
        @OptionGroup var options: ReportOptions

        func run() throws {
            let repositories = try options.open().repositories.list(owner: owner, as: .operator)
            options.render(repositories) { repositories in
                TextTable.render(
                    header: ["REPOSITORY", "VISIBILITY", "DEFAULT BRANCH", "DESCRIPTION"],
                    rows: repositories.map { [$0.fullName, $0.isPrivate ? "private" : "public", $0.defaultBranch, $0.description] },
                    empty: "No repositories yet; create one with `plue repo create OWNER/NAME`.")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a repository: default branch, branches with their tips, size.")
        @Argument(help: ArgumentHelp("The repository.", valueName: "owner/name")) var fullName: String
        @OptionGroup var options: ReportOptions

        func run() throws {
            let details = try options.open().repositories.show(fullName, as: .operator)
            options.render(details) { details in
                let repository = details.repository
                var lines = [
                    "repository:     \(repository.fullName)",
                    "description:    \(repository.description)",
                    "visibility:     \(repository.isPrivate ? "private" : "public")",
                    "default branch: \(repository.defaultBranch)",
                    "path:           \(repository.path)",
                    "size:           \(repository.sizeBytes) bytes",
                    "created:        \(Timestamp.iso8601(repository.createdAt))",
                    "branches:       \(details.branches.isEmpty ? "none yet" : String(details.branches.count))",
                ]
                lines += details.branches.map { "  \($0.commit)  \($0.name)" }
                return lines.joined(separator: "\n")
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete",
            abstract: "Delete a repository, its git directory, its push events and its sessions.",
            discussion: """
                This cannot be undone; pass --yes to confirm. Unless --force, it is refused while one \
                of the repository's sessions is open (land or abort it first), runs a turn, or has \
                files in its working directory that no operation stores.
                """)
        @Argument(help: ArgumentHelp("The repository.", valueName: "owner/name")) var fullName: String
        @Flag(help: "Confirm the deletion.") var yes = false
        @Flag(help: "Delete even when open sessions, or a session's unstored work, go with it.") var force = false
        @OptionGroup var options: ReportOptions

        func run() throws {
            guard yes else {
                throw PlueError.usage("refusing to delete \(fullName) without confirmation; run `plue repo delete \(fullName) --yes`")
            }
            let repository = try options.open().repositories.delete(fullName, force: force, as: .operator)
            options.render(repository) { "Deleted \($0.fullName)" }
        }
    }
}
