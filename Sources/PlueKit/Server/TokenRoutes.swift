import Hummingbird
import PlueKit

/// An account's API tokens, at Gitea's paths. The route's scope (`read:user`, `write:user`) is
/// for the token's own account; another account's tokens (a site admin's business) need the
/// admin scope as well. A new token never holds a scope the token that asks for it lacks.
struct TokenRoutes {
    let plue: Plue
    let settings: ServerSettings

    var routes: [APIRoute] {
        let plue = plue, settings = settings
        return [
            APIRoute(.get, "/api/v1/users/{name}/tokens", scope: .readUser) { request, context, caller in
                let name = try context.parameter("name")
                try await caller.authorize(scope: try Self.otherAccount(name, caller) ? .readAdmin : nil)
                let page = try Paging.page(request)
                let principal = caller.principal
                let tokens = page.slice(try await blocking { try plue.tokens.list(user: name, as: principal) })
                return Paging.response(tokens.items.map(APIJSON.token), of: tokens, for: request)
            },
            APIRoute(.post, "/api/v1/users/{name}/tokens", scope: .writeUser) { request, context, caller in
                let name = try context.parameter("name")
                try await caller.authorize(scope: try Self.otherAccount(name, caller) ? .writeAdmin : nil)
                let body = try await JSONBody.read(request, limit: settings.maxBodyBytes,
                                                   fields: ["name", "scopes", "repositories", "session", "expires_in_days"])
                let tokenName = try body.requiredString("name")
                let scopes = try TokenScope.parse(try body.stringArray("scopes") ?? [])
                let repositories = try body.stringArray("repositories") ?? []
                let session = try body.string("session")
                let expiresInDays = try body.int("expires_in_days").map { Int(clamping: $0) }
                // Each scope handed on must be one this token holds: asked and audited as any other.
                for scope in scopes { try await caller.authorize(scope: scope) }
                let principal = caller.principal
                let created = try await blocking {
                    try plue.tokens.create(user: name, name: tokenName, scopes: scopes.map(\.rawValue), repositories: repositories,
                                           session: session, expiresInDays: expiresInDays,
                                           expiringBy: caller.token?.expiresAt, as: principal)
                }
                return JSONResponse.make(APIJSON.createdToken(created), status: 201)
            },
            APIRoute(.delete, "/api/v1/users/{name}/tokens/{id}", scope: .writeUser) { _, context, caller in
                let name = try context.parameter("name")
                try await caller.authorize(scope: try Self.otherAccount(name, caller) ? .writeAdmin : nil)
                let id = try context.identifier("id")
                let principal = caller.principal
                _ = try await blocking { try plue.tokens.revoke(id: id, of: name, as: principal) }
                return Response(status: .noContent)
            },
        ]
    }

    /// Whether `name` is another account than the token's own (names ignore case).
    private static func otherAccount(_ name: String, _ caller: Caller) throws -> Bool {
        try caller.user.name.lowercased() != name.lowercased()
    }
}
