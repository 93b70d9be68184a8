import Hummingbird
import Logging
import NIOPosix
import PlueKit

/// Every route of `plue serve`, in one table: each group lists its routes with their method, path
/// and scope, the server registers exactly these, and a test holds them against the OpenAPI
/// document (`OpenAPIDocument`). Each handler is thin: it reads the request, calls a PlueKit
/// service off the event loop, and writes the JSON the service's value gives.
struct Routes {
    let plue: Plue
    let settings: ServerSettings
    let metrics: Metrics
    let logger: Logger
    /// The server's git processes, which large files read through git count among.
    let slots: GitRequestSlots

    var table: [APIRoute] {
        ServerRoutes(plue: plue, settings: settings, metrics: metrics).routes
            + UserRoutes(plue: plue, settings: settings).routes
            + TokenRoutes(plue: plue, settings: settings).routes
            + RepositoryRoutes(plue: plue, settings: settings).routes
            + RepositoryContentRoutes(plue: plue, slots: slots, logger: logger).routes
            + RepositoryAccessRoutes(plue: plue, settings: settings).routes
            + SessionRoutes(plue: plue, settings: settings, logger: logger, slots: slots).routes
            + LandingRoutes(plue: plue, settings: settings).routes
            + WorkflowRoutes(plue: plue, settings: settings).routes
    }

    func register(on router: Router<PlueRequestContext>, gate: Gate) {
        for route in table { route.register(on: router, gate: gate) }
    }
}

/// Runs blocking work (SQLite, libgit2, git) on NIO's thread pool, never on an event loop.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await NIOThreadPool.singleton.runIfActive(body)
}
