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

    /// The account a token speaks for, or 401 when the request sent none.
    var user: User {
        get throws {
            guard case .user(let user) = principal else { throw TokenService.unauthenticated }
            return user
        }
    }

    /// The repository `owner/name` as this caller may see it (not found otherwise), once its
    /// token may act on it with the route's scope.
    func repository(_ fullName: String) async throws -> Repository {
        lock.withLock { checked = true }
        let principal = principal, plue = plue, token = token, scope = scope, route = route, remoteAddress = remoteAddress
        // One trip to the thread pool for both.
        return try await blocking {
            let repository = try plue.repositories.find(fullName, as: principal)
            if let token {
                try plue.tokens.authorize(token, needs: scope, repository: repository, route: route, remoteAddress: remoteAddress)
            }
            return repository
        }
    }

    /// Refuses at once (403 `insufficient_scope`, audited) a token whose scopes do not cover the
    /// route's, before anything the request names is looked up: a missing scope is told the same
    /// way whatever the path holds. The handler still checks the limits on what it reaches.
    func requireScope() async throws {
        guard let token, !token.scopes.contains(where: { $0.covers(scope) }) else { return }
        try await authorize()
    }

    /// Checks the token's scope and limits for what the route acts on; with no token, the
    /// account rules alone decide (an anonymous caller reads public repositories only). `scope`
    /// asks for another scope than the route's own, for a request that reaches further than the
    /// route's usual case (another account's tokens) or would hand a scope on (a new token).
    func authorize(scope: TokenScope? = nil, repository: Repository? = nil, session: String? = nil) async throws {
        lock.withLock { checked = true }
        guard let token else { return }
        let plue = plue, scope = scope ?? self.scope, route = route, remoteAddress = remoteAddress
        try await blocking {
            try plue.tokens.authorize(token, needs: scope, repository: repository, session: session,
                                      route: route, remoteAddress: remoteAddress)
        }
    }
}

/// Turns each request's `Authorization` header into a `Caller`: 401 for a token that does not
/// authenticate, 429 while its address has failed too often.
struct Gate: Sendable {
    let plue: Plue
    let limiter: FailedLoginLimiter
    let clock: @Sendable () -> Double

    /// Runs `handler` for a request to a route that needs `scope`. Without a token the request is
    /// anonymous when `anonymous` allows it, and refused with 401 otherwise.
    /// `route` names it in the audit log and errors, as the API's document does (`GET /api/v1/user`).
    func handle(_ request: Request, _ context: PlueRequestContext, scope: TokenScope, anonymous: Bool = false,
                route: String, _ handler: (Caller) async throws -> Response) async throws -> Response {
        let token = try await authenticate(request, context)
        if token == nil && !anonymous { throw TokenService.unauthenticated }
        let caller = Caller(principal: token.map { .user($0.user) } ?? .anonymous, token: token, plue: plue,
                            scope: scope, route: route, remoteAddress: context.remoteAddress)
        let response = try await handler(caller)
        guard caller.wasChecked else {
            throw PlueError.internalError("the route \(route) answered without checking its scope")
        }
        return response
    }

    /// The token the request's `Authorization` header carries, nil without one; 401 for one that
    /// does not authenticate, 429 while its address has failed too often.
    func authenticate(_ request: Request, _ context: PlueRequestContext) async throws -> AuthenticatedToken? {
        guard let header = request.headers[.authorization] else { return nil }
        let address = context.remoteAddress
        if let wait = limiter.retryAfter(address, now: clock()) {
            throw HTTPError(.tooManyRequests, headers: [.retryAfter: String(wait)],
                            message: "too many failed authentications from \(address); try again in \(wait) seconds")
        }
        do {
            guard let secret = TokenCredential.secret(fromAuthorization: header) else { throw TokenService.unauthenticated }
            let plue = plue
            let token = try await blocking { try plue.tokens.authenticate(secret) }
            context.tokenID.value = token.id
            return token
        } catch let error as PlueError where error.code == .unauthenticated {
            limiter.recordFailure(address, now: clock())
            throw error
        }
    }
}
