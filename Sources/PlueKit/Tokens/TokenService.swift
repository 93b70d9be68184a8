import Foundation

/// API tokens: created for a user with scopes and optional limits, listed without their secrets,
/// revoked; and, for the HTTP server, turned back into who a request speaks for and what it may
/// touch (TokenService+Requests.swift).
public struct TokenService: Sendable {
    let database: AppDatabase
    let repositories: RepositoryService
    let sessions: SessionService
    let audit: AuditLog
    let authorizer: Authorizer
    /// The clock that creates, expires and uses tokens; tests move it.
    var now: @Sendable () -> Date = { Timestamp.now() }

    /// The longest `expiresInDays`: a hundred years, far below where seconds would overflow.
    public static let maximumExpiryDays = 36_500

    init(database: AppDatabase, repositories: RepositoryService, sessions: SessionService, audit: AuditLog, authorizer: Authorizer) {
        self.database = database
        self.authorizer = authorizer
        self.repositories = repositories
        self.sessions = sessions
        self.audit = audit
    }

    /// The same service reading the time from `clock`.
    func at(_ clock: @escaping @Sendable () -> Date) -> TokenService {
        var copy = self
        copy.now = clock
        return copy
    }

    /// Creates a token for `user` and returns it with its secret, which Plue does not keep.
    /// `repositories` (`OWNER/NAME`) limit it to those; `session` limits it to that one session and
    /// its repository; `expiresInDays` nil means it never expires. Tokens are made for an account
    /// by the account itself, a site admin or the operator; each limit must be one the caller and
    /// the token's user can see. `expiringBy` (the expiry of the token a request came with) caps
    /// the new token's: a token that expires cannot make one that outlives it.
    public func create(user: String, name: String, scopes: [String], repositories fullNames: [String] = [],
                       session: String? = nil, expiresInDays: Int? = nil, expiringBy cap: Date? = nil,
                       as principal: Principal) throws -> CreatedToken {
        let user = try Validation.userNameForLookup(user)
        try authorizer.requireAccount(user, as: principal, to: "create tokens for \(user)")
        let name = try Self.validatedName(name)
        let scopes = try TokenScope.parse(scopes)
        if let expiresInDays, !(1...Self.maximumExpiryDays).contains(expiresInDays) {
            throw PlueError.invalidInput("the expiry must be a whole number of days from 1 to \(Self.maximumExpiryDays), got \(expiresInDays); "
                                         + "leave it out for a token that does not expire",
                                         hint: "leave --expires-in out for a token that does not expire")
        }
        let owner = try repositories.owner(named: user)
        if !owner.admin, let admin = scopes.first(where: { $0.area == .admin }) {
            throw PlueError.invalidInput("\(owner.name) is not a site administrator, so a token of theirs cannot hold \(admin.rawValue); "
                                         + "leave the admin scopes out")
        }
        let limited = try fullNames.map { try repositories.find($0, as: principal) }
        var repositoryIDs = limited.isEmpty ? nil : limited.map(\.id)
        if let session {
            // A session the caller may not see is not found; one the token's user may not use
            // would make a token that reaches nothing.
            let row = try authorizer.session(session, as: principal, needs: .read)
            _ = try authorizer.session(session, as: .user(owner), needs: .read)
            if let other = limited.first(where: { $0.id != row.repositoryID }) {
                throw PlueError.usage("a token limited to session \(row.id) reaches only that session's repository \(row.repositoryOwner)/\(row.repositoryName), "
                                      + "not \(other.fullName); leave --repo out")
            }
            repositoryIDs = [row.repositoryID]
        }
        let secret = TokenSecret.generate()
        let created = now()
        let id = try database.createToken(NewToken(
            userID: owner.id, user: owner.name, name: name, secretSHA256: TokenSecret.sha256(secret),
            scopes: TokenScope.stored(scopes), repositoryIDs: repositoryIDs, sessionID: session,
            createdAt: created, expiresAt: Self.expiry(days: expiresInDays, from: created, cap: cap)))
        return CreatedToken(token: try token(id: id), secret: secret)
    }

    /// `days` after `created`, or never; no later than `cap` when there is one.
    static func expiry(days: Int?, from created: Date, cap: Date?) -> Date? {
        let asked = days.map { created.addingTimeInterval(Double($0) * 86_400) }
        guard let cap else { return asked }
        return min(asked ?? cap, cap)
    }

    /// Every token of `user`, revoked and expired ones too, oldest first.
    public func list(user: String, as principal: Principal) throws -> [APIToken] {
        let user = try Validation.userNameForLookup(user)
        try authorizer.requireAccount(user, as: principal, to: "list the tokens of \(user)")
        let owner = try repositories.owner(named: user)
        let now = now()
        return try database.tokens(userID: owner.id).map { apiToken($0, now: now) }
    }

    /// Revokes the token at once. A token that is already revoked is not found, as a missing one
    /// is, and so is another account's token to anyone but a site admin or the operator, and,
    /// when `user` is given, a token of any account but that one.
    public func revoke(id: Int64, of user: String? = nil, as principal: Principal) throws -> APIToken {
        let user = try user.map(Validation.userNameForLookup)
        if let row = try database.token(id: id),
           !Authorizer.mayActFor(row.user, principal) || user.map({ $0.lowercased() != row.user.lowercased() }) == true {
            throw PlueError.notFound("no unrevoked token with id \(id)", hint: "list a user's tokens with `plue token list USER`")
        }
        guard try database.revokeToken(id: id, at: now()) else {
            throw PlueError.notFound("no unrevoked token with id \(id)", hint: "list a user's tokens with `plue token list USER`")
        }
        return try token(id: id)
    }

    func token(id: Int64) throws -> APIToken {
        guard let row = try database.token(id: id) else {
            throw PlueError.notFound("no token with id \(id)", hint: "list a user's tokens with `plue token list USER`")
        }
        return apiToken(row, now: now())
    }

    private func apiToken(_ row: TokenRow, now: Date) -> APIToken {
        APIToken(id: row.id, user: row.user, name: row.name, scopes: TokenScope.fromStored(row.scopes),
                 repositories: row.repositories, session: row.sessionID, createdAt: row.createdAt,
                 expiresAt: row.expiresAt, revokedAt: row.revokedAt, lastUsedAt: row.lastUsedAt,
                 state: APIToken.state(revokedAt: row.revokedAt, expiresAt: row.expiresAt, now: now))
    }

    /// One line of 1 to 100 characters (Unicode scalars, so no name is longer than 400 bytes).
    static func validatedName(_ name: String) throws -> String {
        guard (1...100).contains(name.unicodeScalars.count), !Validation.hasControlCharacters(name) else {
            throw PlueError.invalidInput("invalid token name \(Validation.quoted(name)): use one line of 1 to 100 characters")
        }
        return name
    }
}
