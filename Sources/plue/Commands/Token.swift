import ArgumentParser
import PlueKit

extension PlueCommand {
    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token",
            abstract: "Create, list and revoke the API tokens HTTP clients and git over HTTP use.",
            discussion: """
                A token is sent as `Authorization: Bearer TOKEN` (or Gitea's `Authorization: token TOKEN`), \
                or as the password of HTTP Basic auth for git. Plue keeps only its SHA-256: the token is \
                shown once, when it is created. Scopes: \(TokenScope.validList); a write scope implies \
                the read scope of the same kind, and all implies every scope. A token never gives more \
                than its user has. Requests a token is refused are kept in the audit log (`plue audit list`).
                """,
            subcommands: [Create.self, List.self, Revoke.self])
    }
}

extension PlueCommand.Token {
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create a token for an account and print it once.",
            discussion: """
                Scopes: read:repository and write:repository cover repositories, their sessions and \
                landing; read:user and write:user the account itself (its keys and tokens); read:admin and \
                write:admin site administration, and only an administrator's token may hold them. --repo limits the token to those repositories; --session limits it to \
                one session (its repository becomes the token's only one): an agent's token that can touch \
                nothing else, and may check a land of its session but not queue one.
                """)

        @Argument(help: "The account the token speaks for.") var user: String
        @Option(help: "A name for the token, unique for the account (ignoring case): one line of 1 to 100 characters.")
        var name: String
        @Option(name: .customLong("scope"),
                help: ArgumentHelp("A scope (repeat the option, or join scopes with commas).", valueName: "scope"),
                completion: .list(TokenScope.allCases.map(\.rawValue)))
        var scopes: [String]
        @Option(name: .customLong("repo"), help: ArgumentHelp("Limit the token to this repository (repeatable).", valueName: "owner/name"))
        var repositories: [String] = []
        @Option(help: ArgumentHelp("Limit the token to this session and its repository.", valueName: "id")) var session: String?
        @Option(help: ArgumentHelp("Expire after this many whole days (default: never).", valueName: "days")) var expiresIn: Int?
        @OptionGroup var options: ReportOptions

        func run() throws {
            let created = try options.open().tokens.create(
                user: user, name: name, scopes: scopes, repositories: repositories, session: session, expiresInDays: expiresIn, as: .operator)
            options.render(created) { created in
                """
                Created token \(created.token.id) (\(created.token.name)) for \(created.token.user): \(PlueCommand.Token.describe(created.token))
                \(created.secret)
                Copy it now: it cannot be shown again.
                """
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List an account's tokens (never their secrets).")
        @Argument(help: "The account.") var user: String
        @OptionGroup var options: ReportOptions

        func run() throws {
            let tokens = try options.open().tokens.list(user: user, as: .operator)
            options.render(tokens) { tokens in
                TextTable.render(
                    header: ["ID", "NAME", "SCOPES", "LIMITED TO", "STATE", "CREATED", "EXPIRES", "LAST USED"],
                    rows: tokens.map { token in
                        [String(token.id), token.name, token.scopes.map(\.rawValue).joined(separator: ","),
                         PlueCommand.Token.limits(token), token.state.rawValue, Timestamp.iso8601(token.createdAt),
                         token.expiresAt.map(Timestamp.iso8601) ?? "never", token.lastUsedAt.map(Timestamp.iso8601) ?? "-"]
                    },
                    empty: "No tokens; create one with `plue token create USER --name NAME --scope SCOPE`.")
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke", abstract: "Revoke a token by its id; it stops working at once.")
        @Argument(help: "The token's id (see `plue token list`).") var id: Int64
        @OptionGroup var options: ReportOptions

        func run() throws {
            let token = try options.open().tokens.revoke(id: id, as: .operator)
            options.render(token) { "Revoked token \($0.id) (\($0.name)) of \($0.user)" }
        }
    }
}

extension PlueCommand.Token {
    /// Scopes, limits and expiry on one line.
    static func describe(_ token: APIToken) -> String {
        let scopes = token.scopes.map(\.rawValue).joined(separator: ", ")
        let expiry = token.expiresAt.map { "expires \(Timestamp.iso8601($0))" } ?? "does not expire"
        let reach = token.repositories == nil ? "any repository" : "limited to \(limits(token))"
        return "\(scopes); \(reach); \(expiry)"
    }

    static func limits(_ token: APIToken) -> String {
        if let session = token.session { return "session \(session)" + (token.repositories?.first.map { " (\($0))" } ?? "") }
        guard let repositories = token.repositories else { return "any repository" }
        return repositories.isEmpty ? "no repository (all deleted)" : repositories.joined(separator: ",")
    }
}
