import Hummingbird
import PlueKit

/// The token's own account and its SSH keys, and other accounts by name.
struct UserRoutes {
    let plue: Plue
    let settings: ServerSettings

    var routes: [APIRoute] {
        let plue = plue, settings = settings
        return [
            APIRoute(.get, "/api/v1/user", scope: .readUser) { _, _, caller in
                let user = try caller.user
                try await caller.authorize()
                return JSONResponse.make(APIJSON.user(user))
            },
            APIRoute(.get, "/api/v1/users/search", scope: .readUser) { request, _, caller in
                try await caller.authorize()
                let page = try Paging.page(request)
                let text = request.uri.queryParameters["q"].map(String.init) ?? ""
                let principal = caller.principal
                let found = try await blocking { try plue.users.search(text, page: page, as: principal) }
                return Paging.response(found.items.map(APIJSON.user), of: found, for: request, searchResult: true)
            },
            APIRoute(.get, "/api/v1/users/{name}", scope: .readUser) { _, context, caller in
                try await caller.authorize()
                let name = try context.parameter("name")
                let principal = caller.principal
                return JSONResponse.make(APIJSON.user(try await blocking { try plue.users.profile(name, as: principal) }))
            },
            APIRoute(.get, "/api/v1/user/keys", scope: .readUser) { request, _, caller in
                let user = try caller.user
                try await caller.authorize()
                let page = try Paging.page(request)
                let principal = caller.principal
                let keys = page.slice(try await blocking { try plue.keys.userKeys(user: user.name, as: principal) })
                return Paging.response(keys.items.map(APIJSON.publicKey), of: keys, for: request)
            },
            APIRoute(.post, "/api/v1/user/keys", scope: .writeUser) { request, _, caller in
                let user = try caller.user
                try await caller.authorize()
                try caller.refuseIfExpiring(making: "an SSH key")
                let body = try await JSONBody.read(request, limit: settings.maxBodyBytes, fields: ["title", "key"])
                let title = try body.requiredString("title")
                let key = try body.requiredString("key")
                let principal = caller.principal
                let added = try await blocking { try plue.keys.addUserKey(user: user.name, title: title, publicKey: key, as: principal) }
                return JSONResponse.make(APIJSON.publicKey(added), status: 201)
            },
            APIRoute(.delete, "/api/v1/user/keys/{id}", scope: .writeUser) { _, context, caller in
                let user = try caller.user
                try await caller.authorize()
                let id = try context.identifier("id")
                let principal = caller.principal
                // The token's own account's keys only: a site admin's token removes no one else's here.
                _ = try await blocking { try plue.keys.removeUserKey(id: id, of: user.name, as: principal) }
                return Response(status: .noContent)
            },
        ]
    }
}
