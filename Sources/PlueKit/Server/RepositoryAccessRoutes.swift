import Hummingbird
import PlueKit

/// Who else reaches a repository: its collaborators and its deploy keys, at Gitea's paths. Each
/// needs admin on the repository, which the service decides; the token needs `read:repository` to
/// list and `write:repository` to change.
struct RepositoryAccessRoutes {
    let plue: Plue
    let settings: ServerSettings

    var routes: [APIRoute] {
        let plue = plue, settings = settings
        return [
            APIRoute.repository(.get, "/api/v1/repos/{owner}/{repo}/collaborators",
                                scope: .readRepository) { request, _, caller, repository in
                let page = try Paging.page(request)
                let principal = caller.principal
                let found = page.slice(try await blocking { try plue.access.collaborators(repository: repository.fullName, as: principal) })
                return Paging.response(found.items.map(APIJSON.collaborator), of: found, for: request)
            },
            APIRoute.repository(.put, "/api/v1/repos/{owner}/{repo}/collaborators/{collaborator}",
                                scope: .writeRepository) { request, context, caller, repository in
                let user = try context.parameter("collaborator")
                // Without a body, or without a permission, write: as Gitea.
                let body = try await JSONBody.read(request, limit: settings.maxBodyBytes, allowingEmpty: true, fields: ["permission"])
                let permission = try Permission.parse(try body.string("permission") ?? "write")
                let principal = caller.principal
                _ = try await blocking {
                    try plue.access.addCollaborator(repository: repository.fullName, user: user, permission: permission, as: principal)
                }
                return Response(status: .noContent)
            },
            APIRoute.repository(.delete, "/api/v1/repos/{owner}/{repo}/collaborators/{collaborator}",
                                scope: .writeRepository) { _, context, caller, repository in
                let user = try context.parameter("collaborator")
                let principal = caller.principal
                try await blocking { try plue.access.removeCollaborator(repository: repository.fullName, user: user, as: principal) }
                return Response(status: .noContent)
            },
            APIRoute.repository(.get, "/api/v1/repos/{owner}/{repo}/keys", scope: .readRepository) { request, _, caller, repository in
                let page = try Paging.page(request)
                let principal = caller.principal
                let keys = page.slice(try await blocking { try plue.keys.deployKeys(repository: repository.fullName, as: principal) })
                return Paging.response(keys.items.map(APIJSON.deployKey), of: keys, for: request)
            },
            APIRoute.repository(.post, "/api/v1/repos/{owner}/{repo}/keys",
                                scope: .writeRepository) { request, _, caller, repository in
                try caller.refuseIfExpiring(making: "a deploy key")
                let body = try await JSONBody.read(request, limit: settings.maxBodyBytes, fields: ["title", "key", "read_only"])
                let title = try body.requiredString("title")
                let key = try body.requiredString("key")
                // Read-only unless asked otherwise, as `plue deploy-key add` without --write.
                let readOnly = try body.bool("read_only") ?? true
                let principal = caller.principal
                let added = try await blocking {
                    try plue.keys.addDeployKey(repository: repository.fullName, title: title, publicKey: key, writable: !readOnly, as: principal)
                }
                return JSONResponse.make(APIJSON.deployKey(added), status: 201)
            },
            APIRoute.repository(.delete, "/api/v1/repos/{owner}/{repo}/keys/{id}",
                                scope: .writeRepository) { _, context, caller, repository in
                let id = try context.identifier("id")
                let principal = caller.principal
                _ = try await blocking { try plue.keys.removeDeployKey(repository: repository.fullName, id: id, as: principal) }
                return Response(status: .noContent)
            },
        ]
    }
}
