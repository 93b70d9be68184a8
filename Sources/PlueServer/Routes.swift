import Hummingbird
import NIOPosix
import PlueKit

/// The routes of `plue serve`. Each is thin: it reads the request, calls a PlueKit service off the
/// event loop, and writes the JSON the service's value gives.
struct Routes {
    let plue: Plue
    let settings: ServerSettings
    let metrics: Metrics

    func register(on router: Router<PlueRequestContext>) {
        router.get("/healthz") { _, _ in
            JSONResponse.make(.object([("status", .string("ok"))]))
        }
        router.get("/api/v1/version") { _, _ in
            JSONResponse.make(.object([("version", .string(settings.version))]))
        }
        router.get("/metrics") { [plue, metrics] _, _ in
            let counts = try await blocking { try plue.counts() }
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: metrics.render(counts: counts))))
        }
    }
}

/// Runs blocking work (SQLite, libgit2, git) on NIO's thread pool, never on an event loop.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await NIOThreadPool.singleton.runIfActive(body)
}
