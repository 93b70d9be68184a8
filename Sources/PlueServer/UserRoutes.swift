import Hummingbird
import PlueKit

/// The token's own account, and other accounts by name.
struct UserRoutes {
    let plue: Plue
    let gate: Gate

    func register(on router: Router<PlueRequestContext>) {
        router.get("/api/v1/user") { [gate] request, context in
            try await gate.handle(request, context, scope: .readUser) { caller in
                let user = try caller.user
                try await caller.authorize()
                return JSONResponse.make(APIJSON.user(user))
            }
        }
    }
}
