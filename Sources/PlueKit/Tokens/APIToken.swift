import Foundation

/// An API token as listed: what it may do and for how long. Never its secret or the secret's hash.
public struct APIToken: Sendable, Equatable, JSONRepresentable {
    public enum State: String, Sendable { case active, expired, revoked }

    public let id: Int64
    public let user: String
    public let name: String
    public let scopes: [TokenScope]
    /// Nil: every repository its user may reach. Otherwise only these (`OWNER/NAME`), which is
    /// empty once all of them were deleted: such a token reaches no repository.
    public let repositories: [String]?
    /// The one session the token is limited to, if any.
    public let session: String?
    public let createdAt: Date
    public let expiresAt: Date?
    public let revokedAt: Date?
    public let lastUsedAt: Date?
    /// As of when it was read.
    public let state: State

    static func state(revokedAt: Date?, expiresAt: Date?, now: Date) -> State {
        if revokedAt != nil { return .revoked }
        if let expiresAt, expiresAt <= now { return .expired }
        return .active
    }

    public var json: JSON { .object(jsonMembers) }

    var jsonMembers: [(String, JSON)] {
        [("id", .int(id)), ("user", .string(user)), ("name", .string(name)),
         ("scopes", .array(scopes.map { .string($0.rawValue) })),
         ("repositories", repositories.map { .array($0.map(JSON.string)) } ?? .null),
         ("session", .optional(session)), ("state", .string(state.rawValue)), ("createdAt", .time(createdAt)),
         ("expiresAt", expiresAt.map(JSON.time) ?? .null), ("revokedAt", revokedAt.map(JSON.time) ?? .null),
         ("lastUsedAt", lastUsedAt.map(JSON.time) ?? .null)]
    }
}

/// A token just created: the only time its secret exists outside the caller's hands.
public struct CreatedToken: Sendable, JSONRepresentable {
    public let token: APIToken
    /// `plue_` and 40 lower-case hex digits. Plue keeps only its SHA-256.
    public let secret: String

    public var json: JSON { .object(token.jsonMembers + [("token", .string(secret))]) }
}

/// Who a request's token speaks for, and what it may touch: the answer of `TokenService.authenticate`.
public struct AuthenticatedToken: Sendable, Equatable {
    public let id: Int64
    public let name: String
    /// The user as stored now: a route decides the user's own permissions from it.
    public let user: User
    public let scopes: [TokenScope]
    /// Nil: every repository its user may reach; otherwise only these repository ids.
    public let repositoryIDs: Set<Int64>?
    public let session: String?
    /// When it stops working; nil: never. A token it makes expires no later.
    public let expiresAt: Date?
}
