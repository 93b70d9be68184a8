import Hummingbird
import PlueKit

/// Repositories, as Gitea's API has them: search, the account's own, show, create for the token's
/// account, delete.
struct RepositoryRoutes {
    let plue: Plue
    let settings: ServerSettings

    var routes: [APIRoute] {
        let plue = plue, settings = settings
        return [
            APIRoute(.get, "/api/v1/repos/search", scope: .readRepository, anonymous: true) { request, _, caller in
                try await caller.authorize()
                let page = try Paging.page(request)
                let text = request.uri.queryParameters["q"].map(String.init) ?? ""
                let principal = caller.principal
                let found = try await blocking { try plue.repositories.search(text, page: page, as: principal) }
                return Paging.response(found.items.map(APIJSON.repository), of: found, for: request, searchResult: true)
            },
            APIRoute(.get, "/api/v1/user/repos", scope: .readRepository) { request, _, caller in
                try await caller.authorize()
                let page = try Paging.page(request)
                let principal = caller.principal
                let found = try await blocking { try plue.repositories.accountRepositories(page: page, as: principal) }
                return Paging.response(found.items.map(APIJSON.repository), of: found, for: request)
            },
            APIRoute(.post, "/api/v1/user/repos", scope: .writeRepository) { request, _, caller in
                let user = try caller.user
                try await caller.authorize()
                let body = try await JSONBody.read(request, limit: settings.maxBodyBytes,
                                                   fields: ["name", "description", "private", "default_branch"])
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
            },
            APIRoute.repository(.get, "/api/v1/repos/{owner}/{repo}", scope: .readRepository, anonymous: true) { _, _, _, repository in
                JSONResponse.make(APIJSON.repository(repository))
            },
            APIRoute.repository(.delete, "/api/v1/repos/{owner}/{repo}", scope: .writeRepository) { request, _, caller, repository in
                let principal = caller.principal
                let force = try QueryFlag.value(request, "force")
                _ = try await blocking { try plue.repositories.delete(repository.fullName, force: force, as: principal) }
                return Response(status: .noContent)
            },
        ]
    }
}
