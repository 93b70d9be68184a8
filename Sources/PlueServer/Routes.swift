import Hummingbird
import PlueKit

/// The routes of `plue serve`. Each is thin: it reads the request, calls a PlueKit service off the
/// event loop, and writes the JSON the service's value gives.
struct Routes {
    let plue: Plue
    let settings: ServerSettings

    func register(on router: Router<PlueRequestContext>) {
        router.get("/healthz") { _, _ in
            JSONResponse.make(.object([("status", .string("ok"))]))
        }
        router.get("/api/v1/version") { _, _ in
            JSONResponse.make(.object([("version", .string(settings.version))]))
        }
    }
}
