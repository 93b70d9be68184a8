import Hummingbird
import NIOConcurrencyHelpers
import PlueKit

/// Who one API request speaks for, and the scope its route declared. A handler reaches what it
/// acts on through this (`repository`, `session`, `authorize`), which checks the token's scope and
/// limits there, after the account's own permissions decided what it may see. A route that
/// returns without having asked is a bug, and answers 500 rather than let the request through.
final class Caller: @unchecked Sendable {
    let principal: Principal
    let token: AuthenticatedToken?
    private let plue: Plue
    private let scope: TokenScope
    private let route: String
    private let remoteAddress: String
    private let lock = NIOLock()
    private var checked = false

    init(principal: Principal, token: AuthenticatedToken?, plue: Plue, scope: TokenScope, route: String, remoteAddress: String) {
        self.principal = principal
        self.token = token
        self.plue = plue
        self.scope = scope
        self.route = route
        self.remoteAddress = remoteAddress
    }

    var wasChecked: Bool { lock.withLock { checked } }

    /// Refuses (403) a token that expires making a credential that would not (an SSH key, a
    /// deploy key): it would give git access past the token's end.
    func refuseIfExpiring(making what: String) throws {
        guard let expiry = token?.expiresAt else { return }
        throw PlueError(.permissionDenied, "this token expires (\(Timestamp.iso8601(expiry))) and \(what) would not; "
                        + "add it with a token that does not expire")
    }

    /// The account a token speaks for, or 401 when the request sent none.
    var user: User {
        get throws {
            guard case .user(let user) = principal else { throw TokenService.unauthenticated }
            return user
        }
    }

    /// The repository `owner/name` as this caller may see it (not found otherwise), once its
    /// token may act on it with the route's scope. On the thread pool, in the trip that
    /// authenticates the token (`APIRoute.repository`).
    func findRepository(_ fullName: String) throws -> Repository {
        lock.withLock { checked = true }
        let repository = try plue.repositories.find(fullName, as: principal)
        if let token {
            try plue.tokens.authorize(token, needs: scope, repository: repository, route: route, remoteAddress: remoteAddress)
        }
        return repository
    }

    /// Refuses at once (403 `insufficient_scope`, audited) a token whose scopes do not cover the
    /// route's, before anything the request names is looked up: a missing scope is told the same
    /// way whatever the path holds. The handler still checks the limits on what it reaches.
    /// On the thread pool: the refusal is written down.
    func checkScope() throws {
        guard let token, !token.scopes.contains(where: { $0.covers(scope) }) else { return }
        try authorizeHere()
    }

    /// Checks the token's scope and limits for what the route acts on; with no token, the
    /// account rules alone decide (an anonymous caller reads public repositories only). `scope`
    /// asks for another scope than the route's own, for a request that reaches further than the
    /// route's usual case (another account's tokens) or would hand a scope on (a new token).
    func authorize(scope: TokenScope? = nil, repository: Repository? = nil, session: String? = nil) async throws {
        lock.withLock { checked = true }
        guard token != nil else { return }
        try await blocking { try self.authorizeHere(scope: scope, repository: repository, session: session) }
    }

    /// `authorize` on the thread pool, for a trip that does more.
    func authorizeHere(scope: TokenScope? = nil, repository: Repository? = nil, session: String? = nil) throws {
        lock.withLock { checked = true }
        guard let token else { return }
        try plue.tokens.authorize(token, needs: scope ?? self.scope, repository: repository, session: session,
                                  route: route, remoteAddress: remoteAddress)
    }
}

/// Turns each request's `Authorization` header into a `Caller`: 401 for a token that does not
/// authenticate, 429 while its address has failed too often. The token is authenticated on NIO's
/// thread pool, in the same trip as the first thing the route looks up when the route says what
/// that is (`reaching`): each trip wakes a thread and then the request's task again, which was a
/// fifth of a small request's time when a request made three.
struct Gate: Sendable {
    let plue: Plue
    let limiter: FailedLoginLimiter
    let clock: @Sendable () -> Double

    /// Runs `handler` for a request to a route that needs `scope`. Without a token the request is
    /// anonymous when `anonymous` allows it, and refused with 401 otherwise.
    /// `route` names it in the audit log and errors, as the API's document does (`GET /api/v1/user`).
    func handle(_ request: Request, _ context: PlueRequestContext, scope: TokenScope, anonymous: Bool = false,
                route: String, _ handler: (Caller) async throws -> Response) async throws -> Response {
        let secret = try credential(request, context, required: !anonymous)
        let caller: Caller
        if let secret {
            caller = try await blocking { try admit(secret, context, scope: scope, route: route) }
        } else {
            caller = try admit(nil, context, scope: scope, route: route)
        }
        return try await finish(caller, route: route) { try await handler(caller) }
    }

    /// As `handle`, with `reach` run on the thread pool in the same trip as the token's
    /// authentication and scope check, and what it returns given to `handler`: for a route whose
    /// first step is to find (and authorize) what it acts on.
    func handle<Target: Sendable>(_ request: Request, _ context: PlueRequestContext, scope: TokenScope, anonymous: Bool = false,
                                  route: String, reaching reach: @escaping @Sendable (Caller) throws -> Target,
                                  _ handler: (Caller, Target) async throws -> Response) async throws -> Response {
        let secret = try credential(request, context, required: !anonymous)
        let (caller, target) = try await blocking {
            let caller = try admit(secret, context, scope: scope, route: route)
            return (caller, try reach(caller))
        }
        return try await finish(caller, route: route) { try await handler(caller, target) }
    }

    /// The token the request's `Authorization` header carries, nil without one; 401 for one that
    /// does not authenticate, 429 while its address has failed too often.
    func authenticate(_ request: Request, _ context: PlueRequestContext) async throws -> AuthenticatedToken? {
        guard let secret = try credential(request, context, required: false) else { return nil }
        return try await blocking { try verify(secret, context) }
    }

    /// The secret in the request's `Authorization` header, read without the database: nil
    /// without a header (401 when `required`), 429 while the address has failed too often, 401
    /// (counted as a failure) for a header that holds no token.
    private func credential(_ request: Request, _ context: PlueRequestContext, required: Bool) throws -> String? {
        guard let header = request.headers[.authorization] else {
            if required { throw TokenService.unauthenticated }
            return nil
        }
        let address = context.remoteAddress
        if let wait = limiter.retryAfter(address, now: clock()) {
            throw HTTPError(.tooManyRequests, headers: [.retryAfter: String(wait)],
                            message: "too many failed authentications from \(address); try again in \(wait) seconds")
        }
        guard let secret = TokenCredential.secret(fromAuthorization: header) else {
            limiter.recordFailure(address, now: clock())
            throw TokenService.unauthenticated
        }
        return secret
    }

    /// The token `secret` is, on the thread pool; a failure counts against the address.
    private func verify(_ secret: String, _ context: PlueRequestContext) throws -> AuthenticatedToken {
        do {
            let token = try plue.tokens.authenticate(secret)
            context.tokenID.value = token.id
            return token
        } catch let error as PlueError where error.code == .unauthenticated {
            limiter.recordFailure(context.remoteAddress, now: clock())
            throw error
        }
    }

    /// The caller `secret` authenticates (anonymous without one), once its token's scopes cover
    /// the route's. On the thread pool when there is a secret.
    private func admit(_ secret: String?, _ context: PlueRequestContext, scope: TokenScope, route: String) throws -> Caller {
        let token = try secret.map { try verify($0, context) }
        let caller = Caller(principal: token.map { .user($0.user) } ?? .anonymous, token: token, plue: plue,
                            scope: scope, route: route, remoteAddress: context.remoteAddress)
        try caller.checkScope()
        return caller
    }

    private func finish(_ caller: Caller, route: String, _ respond: () async throws -> Response) async throws -> Response {
        let response = try await respond()
        guard caller.wasChecked else {
            throw PlueError.internalError("the route \(route) answered without checking its scope")
        }
        return response
    }
}
