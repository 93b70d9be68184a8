import Hummingbird

/// 405 with `Allow` (RFC 9110) for a path the server has, asked with a method none of its routes
/// takes, where Hummingbird's router answers 404 as for a path it does not have.
///
/// Added to the router after every route, so it wraps only the router's "no route". It asks a
/// second router built from the same paths, so a path matches here exactly as it does there: on
/// it, every method the path's routes do not take answers with the ones they do.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = PlueRequestContext
    private let otherMethods: RouterResponder<Context>

    /// The methods a client may send that a route might take; others stay 404.
    static let methods: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .options, .trace, .connect]

    init(routes: [Router<Context>.RouteDescription]) {
        let router = Router(context: Context.self)
        var taken: [String: (path: RouterPath, methods: Set<HTTPRequest.Method>)] = [:]
        for route in routes { taken[route.path.description, default: (route.path, [])].methods.insert(route.method) }
        for (path, methods) in taken.values {
            // The server answers HEAD wherever it answers GET (the router's generated HEAD routes).
            let allowed = methods.contains(.get) ? methods.union([.head]) : methods
            let allow = allowed.map(\.rawValue).sorted().joined(separator: ", ")
            for method in Self.methods where !allowed.contains(method) {
                router.on(path, method: method) { _, _ in
                    var headers = HTTPFields()
                    headers[.allow] = allow
                    return Response(status: .methodNotAllowed, headers: headers)
                }
            }
        }
        otherMethods = router.buildResponder()
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            let answer = try await otherMethods.respond(to: request, context: context)
            guard answer.status == .methodNotAllowed, let allow = answer.headers[.allow] else { throw error }
            throw HTTPError(.methodNotAllowed, headers: [.allow: allow],
                            message: "\(request.method) is not a method of this path; it takes \(allow)")
        }
    }
}
