import Hummingbird
import Logging
import PlueKit

/// What a repository holds, read at a ref: branches, commits, directories and files, raw bytes,
/// and the pushes that moved its refs. Public repositories need no token.
struct RepositoryContentRoutes {
    let plue: Plue
    let slots: GitRequestSlots
    let logger: Logger

    /// Files up to this size are read into memory and sent whole (with their content in the
    /// contents route, as GitHub's API does up to 1 MB); larger ones stream from git, and the
    /// contents route gives their size without their content.
    static let inlineLimit: Int64 = 1 << 20

    var routes: [APIRoute] {
        let (plue, slots, logger) = (plue, slots, logger)
        return [
            APIRoute.repository(.get, "/api/v1/repos/{owner}/{repo}/branches",
                                scope: .readRepository, anonymous: true) { request, _, caller, repository in
                let page = try Paging.page(request)
                let principal = caller.principal
                let details = try await blocking { try plue.repositories.show(repository.fullName, as: principal) }
                let branches = page.slice(details.branches)
                return Paging.response(branches.items.map(APIJSON.branch), of: branches, for: request)
            },
            APIRoute.repository(.get, "/api/v1/repos/{owner}/{repo}/commits",
                                scope: .readRepository, anonymous: true) { request, _, caller, repository in
                let page = try Paging.page(request)
                let ref = try Self.ref(request, names: ["sha", "ref"])
                let principal = caller.principal
                let commits = try await blocking { try plue.repositories.commits(repository.fullName, ref: ref, page: page, as: principal) }
                return Paging.response(commits.items.map(APIJSON.commit), of: commits, for: request)
            },
            APIRoute.repository(.get, "/api/v1/repos/{owner}/{repo}/contents",
                                scope: .readRepository, anonymous: true) { request, _, caller, repository in
                try await Self.contents(plue, request, caller, repository, path: "")
            },
            APIRoute.repository(.get, "/api/v1/repos/{owner}/{repo}/contents/{filepath}",
                                scope: .readRepository, anonymous: true) { request, context, caller, repository in
                try await Self.contents(plue, request, caller, repository, path: try context.filePath())
            },
            APIRoute.repository(.get, "/api/v1/repos/{owner}/{repo}/raw/{filepath}",
                                scope: .readRepository, anonymous: true) { request, context, caller, repository in
                let path = try context.filePath()
                let ref = try Self.ref(request, names: ["ref"])
                let principal = caller.principal
                let file = try await blocking {
                    try plue.repositories.rawFile(repository.fullName, path: path, ref: ref, inlineUpTo: Self.inlineLimit, as: principal)
                }
                var headers = HTTPFields()
                // What someone pushed never runs in a browser that opens it.
                headers[.xContentTypeOptions] = "nosniff"
                headers[.contentSecurityPolicy] = "default-src 'none'; sandbox"
                switch file {
                case .bytes(let bytes):
                    headers[.contentType] = RawContentType.of(bytes)
                    return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
                case .large(let large):
                    return try Self.stream(large, headers: headers, slots: slots, remoteAddress: context.remoteAddress, logger: logger)
                }
            },
            APIRoute.repository(.get, "/api/v1/repos/{owner}/{repo}/events",
                                scope: .readRepository, anonymous: true) { request, _, caller, repository in
                let page = try Paging.page(request)
                let principal = caller.principal
                let events = try await blocking { try plue.pushes.events(repository.fullName, page: page, as: principal) }
                return Paging.response(events.items.map(APIJSON.pushEvent), of: events, for: request)
            },
        ]
    }

    /// Gitea's contents: a directory as an array of entries, a file (or a link, as its target) as one.
    private static func contents(_ plue: Plue, _ request: Request, _ caller: Caller, _ repository: Repository,
                                 path: String) async throws -> Response {
        let ref = try ref(request, names: ["ref"])
        let principal = caller.principal
        switch try await blocking({
            try plue.repositories.contents(repository.fullName, path: path, ref: ref, inlineUpTo: inlineLimit, as: principal)
        }) {
        case .directory(let entries): return JSONResponse.make(.array(entries.map { APIJSON.contentsEntry($0) }))
        case .file(let entry, let bytes): return JSONResponse.make(APIJSON.contentsFile(entry, bytes: bytes))
        case .submodule(let entry): return JSONResponse.make(APIJSON.contentsEntry(entry))
        }
    }

    /// A file too large to hold, streamed from `git cat-file` as git writes it, with its length
    /// known ahead; its type is not guessed from bytes not read. 503 while the server runs as many
    /// git processes as it takes.
    static func stream(_ file: RawFile.Large, headers: HTTPFields, slots: GitRequestSlots, remoteAddress: String,
                               logger: Logger) throws -> Response {
        guard let slot = slots.take(for: remoteAddress) else {
            throw HTTPError(.serviceUnavailable, headers: [.retryAfter: "5"],
                            message: "the server runs as many git processes as it takes now; try again in a few seconds")
        }
        var headers = headers
        headers[.contentType] = "application/octet-stream"
        headers[.contentLength] = String(file.size)
        let stream = GitStream(file: file, logger: logger)
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            defer { slot.release() }
            try await stream.run(&writer)
        })
    }

    /// The ref a request names under any of `names` (empty counts as none); 400 when two disagree.
    private static func ref(_ request: Request, names: [String]) throws -> String? {
        let query = request.uri.queryParameters
        let given = Set(names.compactMap { query[$0[...]] }.filter { !$0.isEmpty }.map(String.init))
        guard given.count <= 1 else {
            throw PlueError.usage("give the ref once: \(names.joined(separator: " and ")) name different ones")
        }
        return given.first
    }
}
