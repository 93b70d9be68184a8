import Hummingbird
import PlueKit

/// One route of `plue serve`, declared once: its method and path as the OpenAPI document writes
/// them, who may call it, and its handler. The server registers routes from this and nothing else,
/// and a test compares the table with the document, so neither drifts from the other.
struct APIRoute: Sendable {
    /// Who may call a route.
    enum Access: Sendable, Equatable {
        /// No token is read: health, version, metrics, the document itself.
        case open
        /// A token whose scopes cover the scope; without one, 401.
        case token(TokenScope)
        /// As `token`; without a token the request is anonymous and sees public repositories only.
        case tokenOrAnonymous(TokenScope)
    }

    typealias Handler = @Sendable (Request, PlueRequestContext, Caller) async throws -> Response

    let method: HTTPRequest.Method
    /// As the document writes it, `/api/v1/repos/{owner}/{repo}`. A last parameter named
    /// `filepath` takes the rest of the path, slashes included.
    let path: String
    let access: Access
    private let respond: @Sendable (Request, PlueRequestContext, Gate) async throws -> Response

    /// A route that needs a token whose scopes cover `scope`, or with `anonymous` takes none:
    /// `handler` runs with the `Caller`, and must reach what it acts on through it.
    init(_ method: HTTPRequest.Method, _ path: String, scope: TokenScope, anonymous: Bool = false, _ handler: @escaping Handler) {
        let route = "\(method.rawValue) \(path)"
        self.init(method: method, path: path, access: anonymous ? .tokenOrAnonymous(scope) : .token(scope)) { request, context, gate in
            try await gate.handle(request, context, scope: scope, anonymous: anonymous, route: route) { caller in
                try await handler(request, context, caller)
            }
        }
    }

    /// A route whose first step is to find what it acts on: `reach` runs on the thread pool in the
    /// same trip as the token's authentication (`Gate`), and `handler` gets what it found.
    init<Target: Sendable>(_ method: HTTPRequest.Method, _ path: String, scope: TokenScope, anonymous: Bool = false,
                           reaching reach: @escaping @Sendable (PlueRequestContext, Caller) throws -> Target,
                           _ handler: @escaping @Sendable (Request, PlueRequestContext, Caller, Target) async throws -> Response) {
        let route = "\(method.rawValue) \(path)"
        self.init(method: method, path: path, access: anonymous ? .tokenOrAnonymous(scope) : .token(scope)) { request, context, gate in
            try await gate.handle(request, context, scope: scope, anonymous: anonymous, route: route,
                                  reaching: { caller in try reach(context, caller) }) { caller, target in
                try await handler(request, context, caller, target)
            }
        }
    }

    /// A route of the repository `{owner}/{repo}` in its path, which `handler` gets found and
    /// authorized for the caller (`Caller.findRepository`).
    static func repository(_ method: HTTPRequest.Method, _ path: String, scope: TokenScope, anonymous: Bool = false,
                           _ handler: @escaping @Sendable (Request, PlueRequestContext, Caller, Repository) async throws -> Response) -> APIRoute {
        APIRoute(method, path, scope: scope, anonymous: anonymous,
                 reaching: { context, caller in try caller.findRepository(try context.repositoryName()) }, handler)
    }

    /// A route anyone may call, whose handler reads no token.
    static func open(_ method: HTTPRequest.Method, _ path: String,
                     _ handler: @escaping @Sendable (Request, PlueRequestContext) async throws -> Response) -> APIRoute {
        APIRoute(method: method, path: path, access: .open) { request, context, _ in try await handler(request, context) }
    }

    private init(method: HTTPRequest.Method, path: String, access: Access,
                 respond: @escaping @Sendable (Request, PlueRequestContext, Gate) async throws -> Response) {
        self.method = method
        self.path = path
        self.access = access
        self.respond = respond
    }

    /// The scope a token needs for this route; nil for an open route.
    var scope: TokenScope? {
        switch access {
        case .open: nil
        case .token(let scope), .tokenOrAnonymous(let scope): scope
        }
    }

    /// The path as Hummingbird's router takes it: `{filepath}` at the end becomes `**`.
    var routerPath: String {
        path.hasSuffix("/{filepath}") ? String(path.dropLast("{filepath}".count)) + "**" : path
    }

    func register(on router: Router<PlueRequestContext>, gate: Gate) {
        router.on(RouterPath(routerPath), method: method) { request, context in
            try await respond(request, context, gate)
        }
    }
}
