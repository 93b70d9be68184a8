import Foundation

/// What the HTTP server asks of every request that carries a token.
extension TokenService {
    /// The one answer to a missing, malformed, unknown, revoked or expired token, and to a token
    /// whose user is gone: which of these it was is not told (HTTP 401).
    public static let unauthenticated = PlueError(
        .unauthenticated, "no valid API token: send one in the Authorization header, as Bearer TOKEN",
        hint: "create one with `plue token create USER --name NAME --scope SCOPE`")

    /// The token whose secret is `secret`, with its user as stored now, its scopes and its limits.
    /// The secret is checked for shape first, looked up by its SHA-256 and compared in constant
    /// time; it is never logged or put in an error.
    public func authenticate(_ secret: String) throws -> AuthenticatedToken {
        guard TokenSecret.isWellFormed(secret) else { throw Self.unauthenticated }
        let hash = TokenSecret.sha256(secret)
        let now = now()
        // Inner join on the user: a token whose user row is gone has no login at all.
        guard let login = try database.tokenLogin(secretSHA256: hash),
              TokenSecret.constantTimeEqual(login.secretSHA256, hash),
              APIToken.state(revokedAt: login.revokedAt, expiresAt: login.expiresAt, now: now) == .active
        else { throw Self.unauthenticated }
        // At most one write a minute per token: a busy API does not write on every request, and a
        // read-only or busy database only leaves the time older.
        if login.lastUsedAt.map({ now.timeIntervalSince($0) >= 60 }) ?? true {
            try? database.markTokenUsed(id: login.id, at: now)
        }
        return AuthenticatedToken(id: login.id, name: login.name, user: login.user, scopes: TokenScope.fromStored(login.scopes),
                                  repositoryIDs: login.repositoryIDs.map(Set.init), session: login.sessionID,
                                  expiresAt: login.expiresAt)
    }

    /// Lets the request through, or refuses it (HTTP 403, `insufficient_scope`) and records an
    /// audit event: when no scope of the token covers `scope`, when the token is limited to a
    /// session and the request names another or none, or limited to repositories and names another
    /// or none. `repository` and `session` are what the request acts on, as the route resolved them
    /// for the token's user (a route that is invisible to the user answers "not found" before it
    /// asks here). A route of site administration is refused to a user who is not an administrator
    /// (`permissionDenied`), also recorded. The user's permissions on a repository are checked
    /// elsewhere (`AccessService`), so a token never gives more than its user has.
    public func authorize(_ token: AuthenticatedToken, needs scope: TokenScope, repository: Repository? = nil,
                          session: String? = nil, route: String, remoteAddress: String? = nil) throws {
        guard let (outcome, reason) = refusal(token, needs: scope, repository: repository, session: session) else { return }
        let code: PlueError.Code = outcome == .notAdmin ? .permissionDenied : .insufficientScope
        // The scope is named either way; a token that holds it but is limited is told it acts outside its limit.
        let message = switch outcome {
        case .outsideSession, .outsideRepositories: "\(reason), and \(Self.shown(route)) acts outside it (with the scope \(scope.rawValue))"
        default: "\(reason); \(Self.shown(route)) needs the scope \(scope.rawValue)"
        }
        do {
            try audit.record(time: now(), tokenID: token.id, user: token.user.name, route: route, scopeNeeded: scope.rawValue,
                             remoteAddress: remoteAddress, outcome: outcome)
        } catch {
            // The refusal stands whether or not it could be written down; the cause is for the log.
            throw PlueError(code, message, cause: "the audit event could not be recorded: \(error)")
        }
        throw PlueError(code, message)
    }

    /// Why the request is refused, or nil when it may go on.
    private func refusal(_ token: AuthenticatedToken, needs scope: TokenScope, repository: Repository?,
                         session: String?) -> (AuditEvent.Outcome, String)? {
        guard token.scopes.contains(where: { $0.covers(scope) }) else {
            let held = token.scopes.map(\.rawValue).joined(separator: ", ")
            return (.missingScope, "this token holds only \(held)")
        }
        if scope.area == .admin && !token.user.admin {
            return (.notAdmin, "\(token.user.name) is not a site administrator")
        }
        if let only = token.session, session != only {
            return (.outsideSession, "this token reaches only session \(only)")
        }
        if let allowed = token.repositoryIDs {
            var targets = repository.map { [$0.id] } ?? []
            // A session the request names counts as its repository: it must be one of the token's too.
            if let session { targets.append((try? sessions.row(session))?.repositoryID ?? -1) }
            if targets.isEmpty || !targets.allSatisfy(allowed.contains) {
                return (.outsideRepositories, "this token reaches only the repositories it was limited to")
            }
        }
        return nil
    }

    /// A route as it goes into a message: one line, cut short.
    static func shown(_ route: String) -> String {
        let line = String(String.UnicodeScalarView(route.unicodeScalars.prefix(200).filter { $0.value >= 0x20 && $0.value != 0x7F }))
        return line.isEmpty ? "this request" : line
    }
}
