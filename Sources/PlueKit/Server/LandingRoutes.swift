import Hummingbird
import PlueKit

/// The landing queue under `/api/v1/repos/{owner}/{repo}/land`: enqueue (`write:repository`, and
/// write on the repository: a land is a push), list, show and check (`read:repository`), cancel
/// (`write:repository`; whoever queued the entry or an admin, as the service decides). A token
/// limited to a session reaches only what names its session: checking it, and its entries (to
/// read or cancel). It may not enqueue it: a land moves a branch, which is outside the session,
/// so an agent's token cannot publish its own work; a token of the account (a person) does.
/// The server runs the queue itself (LandingQueueService), as `plue land run` does.
struct LandingRoutes: RouteGroup {
    let plue: Plue
    let settings: ServerSettings

    static let base = "/api/v1/repos/{owner}/{repo}/land"

    func register(on router: RouteList) {
        router.routes.append(APIRoute.repository(.get, Self.base, scope: .readRepository) { [plue] request, _, caller, repository in
                let all = try QueryFlag.value(request, "all")
                let page = try Paging.page(request)
                let principal = caller.principal
                let entries = page.slice(try await blocking { try plue.landing.list(repository.fullName, all: all, as: principal) })
                return Paging.response(entries.items.map { APIJSON.of($0) }, of: entries, for: request)
        })
        router.routes.append(APIRoute(.post, Self.base, scope: .writeRepository) { [plue, settings] request, context, caller in
                let body = try await JSONBody.read(request, limit: settings.maxBodyBytes,
                                                   fields: ["session", "branch", "onto", "strategy", "message"])
                let source = try Self.source(session: body.string("session"), branch: body.string("branch"))
                let onto = try body.string("onto")
                let strategy = try Self.strategy(body.string("strategy"))
                let message = try body.string("message")
                let repository = try await Self.repository(context, caller: caller, plue: plue, source: source)
                // The branch moves: the token must reach the repository itself, not one session of it.
                try await caller.authorize(repository: repository)
                let principal = caller.principal
                let entry = try await blocking {
                    try plue.landing.enqueue(repository.fullName, source: source, onto: onto, strategy: strategy, message: message,
                                             as: principal)
                }
                return JSONResponse.make(APIJSON.of(entry), status: 201)
        })
        router.routes.append(APIRoute(.get, Self.base + "/check", scope: .readRepository) { [plue] request, context, caller in
                let query = request.uri.queryParameters
                let source = try Self.source(session: query.get("session"), branch: query.get("branch"))
                let onto = query.get("onto")
                let repository = try await Self.repository(context, caller: caller, plue: plue, source: source)
                let principal = caller.principal
                return JSONResponse.make(APIJSON.of(try await blocking {
                    try plue.landing.check(repository.fullName, source: source, onto: onto, as: principal)
                }))
        })
        router.routes.append(APIRoute(.get, Self.base + "/{entry}", scope: .readRepository) { [plue] request, context, caller in
                JSONResponse.make(APIJSON.of(try await Self.entry(context, caller: caller, plue: plue)))
        })
        router.routes.append(APIRoute(.post, Self.base + "/{entry}/cancel", scope: .writeRepository) { [plue] request, context, caller in
                let entry = try await Self.entry(context, caller: caller, plue: plue)
                let principal = caller.principal
                return JSONResponse.make(APIJSON.of(try await blocking { try plue.landing.cancel(entry.id, as: principal) }))
        })
    }

    /// The route's repository as the caller may see it, once its token may act on it and on the
    /// session the request names (if it names one).
    private static func repository(_ context: PlueRequestContext, caller: Caller, plue: Plue, source: LandSource?) async throws -> Repository {
        let fullName = try context.repositoryName()
        let principal = caller.principal
        let repository = try await blocking { try plue.repositories.find(fullName, as: principal) }
        let session: String? = if case .session(let id) = source { id } else { nil }
        try await caller.authorize(repository: repository, session: session)
        return repository
    }

    /// The entry the path names, when the caller may see it in this repository ("not found" as a
    /// missing one otherwise), once its token may act on it.
    private static func entry(_ context: PlueRequestContext, caller: Caller, plue: Plue) async throws -> LandEntry {
        let fullName = try context.repositoryName()
        let text = context.parameters.get("entry") ?? ""
        guard let id = Int64(text), id > 0 else {
            throw PlueError.invalidInput("invalid land entry id \(TerminalText.line(text)): give the number `land list` shows")
        }
        let principal = caller.principal
        let (repository, entry) = try await blocking {
            let repository = try plue.repositories.find(fullName, as: principal)
            let entry = try plue.landing.show(id, as: principal)
            guard entry.repository == repository.fullName else { throw LandingService.missing(id) }
            return (repository, entry)
        }
        let session: String? = if case .session(let id) = entry.source { id } else { nil }
        try await caller.authorize(repository: repository, session: session)
        return entry
    }

    static func source(session: String?, branch: String?) throws -> LandSource {
        switch (session, branch) {
        case (let session?, nil): return .session(session)
        case (nil, let branch?): return .branch(branch)
        default: throw PlueError.usage("give exactly one of session and branch")
        }
    }

    static func strategy(_ text: String?) throws -> LandStrategy {
        guard let text else { return .rebase }
        guard let strategy = LandStrategy(rawValue: text) else {
            throw PlueError.invalidInput("unknown strategy \(TerminalText.line(text)): use rebase, merge or squash")
        }
        return strategy
    }
}
