import Hummingbird
import PlueKit

/// Repositories, as Gitea's API has them: show, branches, create for the token's account, delete.
struct RepositoryRoutes {
    let plue: Plue
    let gate: Gate
    let settings: ServerSettings

    func register(on router: Router<PlueRequestContext>) {
        router.get("/api/v1/repos/:owner/:repo") { [gate] request, context in
            try await gate.handle(request, context, scope: .readRepository, anonymous: true) { caller in
                JSONResponse.make(APIJSON.repository(try await caller.repository(try Self.fullName(context))))
            }
        }
        router.get("/api/v1/repos/:owner/:repo/branches") { [gate, plue] request, context in
            try await gate.handle(request, context, scope: .readRepository, anonymous: true) { caller in
                let repository = try await caller.repository(try Self.fullName(context))
                let principal = caller.principal
                let details = try await blocking { try plue.repositories.show(repository.fullName, as: principal) }
                return JSONResponse.make(.array(details.branches.map(APIJSON.branch)))
            }
        }
        router.post("/api/v1/user/repos") { [gate, plue, settings] request, context in
            try await gate.handle(request, context, scope: .writeRepository) { caller in
                let user = try caller.user
                try await caller.authorize()
                let body = try await JSONBody.read(request, limit: settings.maxBodyBytes)
                let name = try body.requiredString("name")
                let description = try body.string("description") ?? ""
                let isPrivate = try body.bool("private") ?? false
                let defaultBranch = try body.string("default_branch")
                let principal = caller.principal
                let created = try await blocking {
                    try plue.repositories.create("\(user.name)/\(name)", description: description, isPrivate: isPrivate,
                                                 defaultBranch: defaultBranch ?? "main", as: principal)
                }
                return JSONResponse.make(APIJSON.repository(created), status: 201)
            }
        }
        router.delete("/api/v1/repos/:owner/:repo") { [gate, plue] request, context in
            try await gate.handle(request, context, scope: .writeRepository) { caller in
                let repository = try await caller.repository(try Self.fullName(context))
                let principal = caller.principal
                _ = try await blocking { try plue.repositories.delete(repository.fullName, as: principal) }
                return Response(status: .noContent)
            }
        }
    }

    /// `owner/repo` from the path, checked for shape by the service that looks it up.
    static func fullName(_ context: PlueRequestContext) throws -> String {
        guard let owner = context.parameters.get("owner"), let name = context.parameters.get("repo") else {
            throw PlueError.internalError("the route has no owner or repository parameter")
        }
        return "\(owner)/\(name)"
    }
}
