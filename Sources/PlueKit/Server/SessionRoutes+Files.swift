import Foundation
import Hummingbird
import PlueKit

/// A session's files: list them, read one at any state, and, for an agent with no shell on the
/// server, write one (`PUT`, the raw bytes as the body, the git mode in `X-Plue-Mode`), delete
/// one, or apply a patch (`POST .../patch`, what `git apply` accepts). Each change is one
/// operation in the session's log, which undo takes back.
extension SessionRoutes {
    /// The header a `PUT` gives the file's git mode in (`X-Plue-Mode`), by its lower-case name.
    static let modeHeader = "x-plue-mode"

    func registerFiles(on router: RouteList) {
        let limit = settings.maxBodyBytes
        on(router, .get, "/files", scope: .readRepository) { call in
            let (at, prefix) = (call.query("at"), call.query("prefix") ?? "")
            return JSONResponse.make(APIJSON.of(try await call.read { sessions, id, principal in
                try sessions.files(id, at: at, prefix: prefix, as: principal)
            }))
        }
        on(router, .get, "/files/{filepath}", scope: .readRepository) { call in
            let (path, at) = (try call.filePath(), call.query("at"))
            let file = try await call.read { sessions, id, principal in
                try sessions.rawFile(id, path: path, at: at, inlineUpTo: RepositoryContentRoutes.inlineLimit, as: principal)
            }
            var headers = HTTPFields()
            headers[.contentType] = "application/octet-stream"
            switch file {
            case .bytes(let bytes):
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            case .large(let large):
                return try RepositoryContentRoutes.stream(large, headers: headers, slots: slots,
                                                          remoteAddress: call.context.remoteAddress, logger: logger)
            }
        }
        on(router, .put, "/files/{filepath}", scope: .writeRepository) { call in
            let (path, expecting) = (try call.filePath(), try Self.expectedOperation(call.request))
            let mode = try call.request.headers.first { $0.name.canonicalName == Self.modeHeader }.map { try SessionFileMode.parse($0.value) }
            let bytes = try await RawBody.read(call.request, limit: limit)
            return Self.tagged(try await call.run { plue, id, principal in
                try plue.sessions.writeFile(id, path: path, bytes: bytes, mode: mode, expecting: expecting, as: principal)
            })
        }
        on(router, .delete, "/files/{filepath}", scope: .writeRepository) { call in
            let (path, expecting) = (try call.filePath(), try Self.expectedOperation(call.request))
            return Self.tagged(try await call.run { plue, id, principal in
                try plue.sessions.deleteFile(id, path: path, expecting: expecting, as: principal)
            })
        }
        on(router, .post, "/patch", scope: .writeRepository) { call in
            let expecting = try Self.expectedOperation(call.request)
            let patch = try await RawBody.read(call.request, limit: limit)
            return Self.tagged(try await call.run { plue, id, principal in
                try plue.sessions.applyPatch(id, patch: patch, expecting: expecting, as: principal)
            })
        }
    }
}

extension SessionRoutes {
    /// A session's ETag: its last operation's id, quoted. Every recorded change makes a new one.
    static func eTag(_ session: Session) -> String { "\"\(session.headOperation)\"" }

    /// A change's answer, with the session's new ETag.
    static func tagged(_ result: SnapshotResult) -> Response {
        var response = JSONResponse.make(APIJSON.of(result))
        response.headers[.eTag] = eTag(result.session)
        return response
    }

    /// The operation `If-Match` names (an ETag as `eTag` gives it); nil without one, or for `*`.
    static func expectedOperation(_ request: Request) throws -> Int64? {
        guard let value = request.headers[.ifMatch]?.trimmingCharacters(in: .whitespaces), value != "*" else { return nil }
        guard value.count >= 3, value.hasPrefix("\""), value.hasSuffix("\""),
              value.dropFirst().dropLast().allSatisfy({ ("0"..."9").contains($0) }), let id = Int64(value.dropFirst().dropLast()), id > 0 else {
            throw PlueError.invalidInput("If-Match takes one ETag as GET .../sessions/{id} gives it, such as \"12\" with the quotes, or *")
        }
        return id
    }
}

extension SessionRequest {
    /// The path after `.../files/`, percent-decoded, exactly as sent: the router skips empty
    /// parts, so the path is taken from the request itself, and a `//` or a leading `/` reaches
    /// the service, which refuses it, rather than being quietly dropped.
    func filePath() throws -> String {
        var parts = request.uri.path.split(separator: "/", omittingEmptySubsequences: false)[...]
        var skipped = 0
        // api, v1, repos, owner, repo, sessions, id, files
        while skipped < 8, let part = parts.popFirst() {
            if !part.isEmpty { skipped += 1 }
        }
        guard let path = parts.joined(separator: "/").removingPercentEncoding else {
            throw PlueError.invalidInput("the file path is not valid percent-encoded UTF-8")
        }
        return path
    }
}
