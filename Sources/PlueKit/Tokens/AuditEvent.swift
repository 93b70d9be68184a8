import Foundation

/// A request an API token was refused, as the audit log keeps it.
public struct AuditEvent: Sendable, Equatable, JSONRepresentable {
    /// Why the request was refused.
    public enum Outcome: String, Sendable, CaseIterable {
        /// The token has no scope that covers the one the route needs.
        case missingScope = "missing_scope"
        /// The request names a repository outside the token's repositories, or none.
        case outsideRepositories = "outside_repositories"
        /// The request names another session than the token's, or none.
        case outsideSession = "outside_session"
        /// The route is site administration and the token's user is not an administrator.
        case notAdmin = "not_admin"
    }

    public let id: Int64
    public let time: Date
    /// Nil only if a later Plue records events without a token.
    public let tokenID: Int64?
    /// The token's user's name when the event was recorded.
    public let user: String
    /// The route as the server names it, such as `GET /api/v1/repos/{owner}/{repo}`.
    public let route: String
    public let scopeNeeded: String
    public let remoteAddress: String?
    /// An `Outcome`'s raw value (kept as text, so an outcome a newer Plue wrote still lists).
    public let outcome: String

    public var json: JSON {
        .object([("id", .int(id)), ("time", .time(time)), ("tokenId", tokenID.map(JSON.int) ?? .null), ("user", .string(user)),
                 ("route", .string(route)), ("scopeNeeded", .string(scopeNeeded)), ("remoteAddress", .optional(remoteAddress)),
                 ("outcome", .string(outcome))])
    }
}
