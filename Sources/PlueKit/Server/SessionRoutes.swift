import Hummingbird
import Logging
import PlueKit

/// Agent sessions under `/api/v1/repos/{owner}/{repo}/sessions`: one route for each thing
/// `plue session` does, and what a remote agent needs instead of a shell (write, delete, patch).
/// Reads need `read:repository`, changes `write:repository`; who may see or change a session is
/// the service's to decide (its owner, the repository's admins), and one the caller may not see
/// is "not found", as a missing one. A token limited to a session reaches that session alone.
struct SessionRoutes: RouteGroup {
    let plue: Plue
    let settings: ServerSettings
    let logger: Logger
    /// The server's git processes, which large files read through git count among.
    let slots: GitRequestSlots

    static let base = "/api/v1/repos/{owner}/{repo}/sessions"

    func register(on router: RouteList) {
        router.routes.append(APIRoute.repository(.get, Self.base, scope: .readRepository) { [plue] request, _, caller, repository in
                let all = try QueryFlag.value(request, "all")
                let page = try Paging.page(request)
                let principal = caller.principal
                // Only the page's sessions are measured on disk.
                let (listed, measured) = try await blocking {
                    let listed = page.slice(try plue.sessions.list(repository: repository.fullName, all: all, as: principal))
                    return (listed, try plue.sessions.measured(listed.items))
                }
                return Paging.response(measured.map { APIJSON.of($0) }, of: listed, for: request)
        })
        router.routes.append(APIRoute.repository(.post, Self.base,
                                                 scope: .writeRepository) { [plue, settings] request, _, caller, repository in
                let body = try await JSONBody.read(request, limit: settings.maxBodyBytes, allowingEmpty: true,
                                                   fields: ["base", "title", "max_new_file_size"])
                let (base, title, limit) = (try body.string("base"), try body.string("title") ?? "", try body.int("max_new_file_size"))
                let principal = caller.principal
                let session = try await blocking {
                    try plue.sessions.new(repository: repository.fullName, base: base, title: title, maxNewFileSize: limit, as: principal)
                }
                return JSONResponse.make(APIJSON.of(session), status: 201)
        })
        registerReads(on: router)
        registerHistory(on: router)
        registerFiles(on: router)
        registerTurns(on: router)
    }

    private func registerReads(on router: RouteList) {
        on(router, .get, "", scope: .readRepository) { call in
            let session = try await call.run { plue, id, principal in
                try plue.sessions.measured([plue.sessions.show(id, as: principal)])[0]
            }
            var response = JSONResponse.make(APIJSON.of(session))
            response.headers[.eTag] = Self.eTag(session)
            return response
        }
        on(router, .delete, "", scope: .writeRepository) { call in
            let force = try QueryFlag.value(call.request, "force")
            return JSONResponse.make(APIJSON.of(try await call.run { plue, id, principal in
                try plue.sessions.delete(id, confirmed: true, force: force, as: principal)
            }))
        }
        on(router, .get, "/diff", scope: .readRepository) { call in
            let (from, to) = (call.query("from"), call.query("to"))
            let format = call.query("format") ?? "patch"
            if format == "json" {
                return JSONResponse.make(APIJSON.of(try await call.read { sessions, id, principal in
                    try sessions.diffReport(id, from: from, to: to, as: principal)
                }))
            }
            let formats: [String: SessionService.DiffFormat] = ["patch": .patch, "stat": .stat, "name-only": .nameOnly, "name-status": .nameStatus]
            guard let chosen = formats[format] else {
                throw PlueError.invalidInput("unknown diff format \(TerminalText.line(format)): use patch, json, stat, name-only or name-status")
            }
            let text = try await call.read { sessions, id, principal in try sessions.diff(id, from: from, to: to, format: chosen, as: principal) }
            return Self.text(text, type: chosen == .patch ? "text/x-diff; charset=utf-8" : "text/plain; charset=utf-8")
        }
        on(router, .get, "/changes", scope: .readRepository) { call in
            JSONResponse.make(APIJSON.of(try await call.run { plue, id, principal in try plue.sessions.changes(id, as: principal) }))
        }
        on(router, .get, "/changes/{revision}", scope: .readRepository) { call in
            let revision = try call.parameter("revision")
            return JSONResponse.make(APIJSON.of(try await call.read { sessions, id, principal in
                try sessions.change(id, revision, as: principal)
            }))
        }
        on(router, .get, "/conflicts", scope: .readRepository) { call in
            JSONResponse.make(APIJSON.of(try await call.read { sessions, id, principal in try sessions.conflicts(id, as: principal) }))
        }
        on(router, .get, "/operations", scope: .readRepository) { call in
            let page = try Paging.page(call.request)
            let operations = page.slice(try await call.run { plue, id, principal in try plue.sessions.operations(id, as: principal) })
            return Paging.response(operations.items.map { APIJSON.of($0) }, of: operations, for: call.request)
        }
        on(router, .get, "/messages", scope: .readRepository) { call in
            JSONResponse.make(APIJSON.of(try await call.run { plue, id, principal in try plue.sessions.conversation(id, as: principal) }))
        }
    }

    /// A route on one session (`.../sessions/{id}` and below): the caller must see the repository
    /// and the session in it, else "not found" exactly as for a missing session, and only then is
    /// its token asked whether it may act on both.
    func on(_ router: RouteList, _ method: HTTPRequest.Method, _ suffix: String, scope: TokenScope,
            _ handler: @escaping @Sendable (SessionRequest) async throws -> Response) {
        let plue = plue
        router.routes.append(APIRoute(method, Self.base + "/{id}" + suffix, scope: scope, reaching: { context, caller in
            try SessionRequest.find(context, caller: caller, plue: plue)
        }) { request, context, caller, found in
            try await handler(SessionRequest(request: request, context: context, caller: caller, plue: plue,
                                             repository: found.repository, id: found.id))
        })
    }

    static func text(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// One request to a route on one session, once the session is known to be the caller's to see.
struct SessionRequest: Sendable {
    let request: Request
    let context: PlueRequestContext
    let caller: Caller
    let plue: Plue
    let repository: Repository
    let id: String

    /// The repository and the session the path names, as the caller may see them, once its token
    /// may act on both; on the thread pool, in the trip that authenticates the token.
    static func find(_ context: PlueRequestContext, caller: Caller, plue: Plue) throws -> (repository: Repository, id: String) {
        let fullName = try context.repositoryName()
        guard let id = context.parameters.get("id") else { throw PlueError.internalError("the route has no session parameter") }
        let principal = caller.principal
        let repository = try plue.repositories.find(fullName, as: principal)
        // A session of another repository is not found under this one.
        guard try plue.sessions.show(id, as: principal).repository == repository.fullName else { throw SessionService.missing(id) }
        try caller.authorizeHere(repository: repository, session: id)
        return (repository, id)
    }

    /// Runs a read of the session off the event loop. A token that may not change the session
    /// (no `write:repository`) reads its last recorded state: the snapshot a read of `@` takes
    /// first would record an operation, a change such a token may not make.
    func read<T: Sendable>(_ body: @escaping @Sendable (SessionService, String, Principal) throws -> T) async throws -> T {
        let mayChange = caller.token.map { $0.scopes.contains { $0.covers(.writeRepository) } } ?? true
        let sessions = mayChange ? plue.sessions : plue.sessions.recordingNothing()
        let (id, principal) = (id, caller.principal)
        return try await blocking { try body(sessions, id, principal) }
    }

    /// Runs `body` with the service, the session id and the caller off the event loop.
    func run<T: Sendable>(_ body: @escaping @Sendable (Plue, String, Principal) throws -> T) async throws -> T {
        let (plue, id, principal) = (plue, id, caller.principal)
        return try await blocking { try body(plue, id, principal) }
    }

    func query(_ name: String) -> String? {
        request.uri.queryParameters.get(name)
    }

    func parameter(_ name: String) throws -> String {
        guard let value = context.parameters.get(name) else { throw PlueError.internalError("the route has no parameter \(name)") }
        return value
    }
}

/// Collects a group's routes for `Routes.table`, which registers them.
final class RouteList {
    var routes: [APIRoute] = []
}

/// A group of routes that appends them one by one (`register(on:)`) rather than listing them.
protocol RouteGroup {
    func register(on router: RouteList)
}

extension RouteGroup {
    /// Every route of this group, for the table.
    var routes: [APIRoute] {
        let list = RouteList()
        register(on: list)
        return list.routes
    }
}
