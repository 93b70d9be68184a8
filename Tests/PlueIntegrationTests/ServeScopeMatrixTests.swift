import Foundation
import PlueTestSupport
import Testing

/// Every route the server serves, as its own OpenAPI document lists them, called over a real
/// socket: with a token that lacks the route's scope each gets 403 `insufficient_scope` and one
/// audit event naming the route; without a token each gets 401 unless the document lets it take
/// none; the open routes answer without one. The document itself is the file in the repository.
@Suite struct ServeScopeMatrixTests {
    let directory = TemporaryDirectory("plue-scopes")

    /// A token of alice's for each scope the routes need, holding every other scope of the four
    /// but not that one (nor `all`, nor a write scope that implies it).
    static let lacking: [String: [String]] = [
        "read:repository": ["read:user", "write:user"],
        "write:repository": ["read:repository", "read:user", "write:user"],
        "read:user": ["read:repository", "write:repository"],
        "write:user": ["read:user", "read:repository", "write:repository"],
    ]

    /// The path with each parameter filled in with something that exists.
    static func concrete(_ path: String) -> String {
        let values = ["owner": "alice", "repo": "demo", "name": "alice", "id": "1", "collaborator": "bob", "filepath": "README", "run": "1",
                      "workflow": "ci"]
        var result = path
        for (name, value) in values { result = result.replacingOccurrences(of: "{\(name)}", with: value) }
        return result
    }

    @Test func everyRouteRefusesATokenWithoutItsScopeAndRecordsIt() throws {
        var forge = try APIForge(directory)
        for (scope, others) in Self.lacking {
            try forge.addToken("no-" + scope, user: "alice", others.flatMap { ["--scope", $0] })
        }
        let served = try forge.curl("/api/v1/openapi.yaml")
        #expect(served.status == 200 && served.headers["content-type"]?.hasPrefix("application/yaml") == true)
        let committed = try String(contentsOfFile: PlueBinary.packageRoot + "/Sources/PlueKit/Server/openapi.yaml", encoding: .utf8)
        #expect(served.body == committed, "the server serves the document kept in the repository")

        let operations = DocumentedOperation.parse(served.body)
        #expect(operations.count >= 30)
        var audited = try forge.auditEvents().count
        var checked = 0
        for operation in operations {
            guard case .token(let scope, _) = operation.security else { continue }
            let lacking = try #require(Self.lacking[scope], "no token lacks \(scope) for \(operation)")
            let body = ["POST", "PUT", "PATCH"].contains(operation.method) ? ["-H", "Content-Type: application/json", "--data-binary", "{}"] : []
            let answer = try forge.curl(Self.concrete(operation.path), token: "no-" + scope, ["-X", operation.method] + body)
            #expect(answer.status == 403 && answer.errorCode == "insufficient_scope", "\(operation): \(answer)")
            let events = try forge.auditEvents()
            #expect(events.count == audited + 1, "\(operation) left \(events.count - audited) audit events")
            let newest = try #require(events.first)
            #expect(newest["route"] as? String == "\(operation.method) \(operation.path)" && newest["scopeNeeded"] as? String == scope
                    && newest["outcome"] as? String == "missing_scope" && newest["user"] as? String == "alice", "\(operation): \(newest)")
            audited = events.count
            checked += 1
        }
        #expect(checked >= 26)
        #expect(!forge.server.log.contains("request failed"), "no route met an unexpected error")
    }

    /// The token is judged before anything the path names is looked up, on every route: a token
    /// that does not authenticate gets 401 and one without the route's scope 403 whether the
    /// repository, session or account exists or not, so neither learns what does. (Routes find
    /// what they act on in the same trip to the thread pool as the token's check.)
    @Test func theTokenIsJudgedBeforeWhatThePathNames() throws {
        var forge = try APIForge(directory, serveArguments: ["--max-failed-auth", "100000"])
        for (scope, others) in Self.lacking {
            try forge.addToken("no-" + scope, user: "alice", others.flatMap { ["--scope", $0] })
        }
        let unknown = "plue_" + String(repeating: "0", count: 40)
        let ghost = ["owner": "ghost", "repo": "nothing", "name": "ghost", "id": "999999", "collaborator": "ghost",
                     "filepath": "missing", "entry": "999999", "revision": "zzzz", "number": "999999", "run": "999999",
                     "workflow": "ghost"]
        var checked = 0
        for operation in DocumentedOperation.parse(try forge.curl("/api/v1/openapi.yaml").body) {
            guard case .token(let scope, _) = operation.security else { continue }
            var path = operation.path
            for (name, value) in ghost { path = path.replacingOccurrences(of: "{\(name)}", with: value) }
            let body = ["POST", "PUT", "PATCH"].contains(operation.method) ? ["-H", "Content-Type: application/json", "--data-binary", "{}"] : []
            let bad = try forge.curl(path, secret: unknown, ["-X", operation.method] + body)
            #expect(bad.status == 401 && bad.errorCode == "unauthenticated", "\(operation): \(bad)")
            let lacking = try forge.curl(path, token: "no-" + scope, ["-X", operation.method] + body)
            #expect(lacking.status == 403 && lacking.errorCode == "insufficient_scope", "\(operation): \(lacking)")
            checked += 1
        }
        #expect(checked >= 26)
        #expect(!forge.server.log.contains("request failed"), "no route met an unexpected error")
    }

    @Test func withoutATokenOnlyTheRoutesThatTakeNoneAnswer() throws {
        // Run 1 exists (queued: no runner runs here), so its routes have something to show.
        let workflow = "on: {manual: {}}\njobs:\n  build:\n    steps:\n      - run: \"true\"\n"
        let forge = try APIForge(directory, files: ["README": "hello\n", ".plue/workflows/ci.yml": workflow])
        try forge.plue.ok(["workflow", "run", "alice/demo", "ci", "--detach"])
        for operation in DocumentedOperation.parse(try forge.curl("/api/v1/openapi.yaml").body) {
            let answer = try forge.curl(Self.concrete(operation.path), ["-X", operation.method])
            switch operation.security {
            case .open, .token(_, anonymous: true):
                #expect(answer.status == 200, "\(operation): \(answer)")
            case .token(_, anonymous: false):
                #expect(answer.status == 401 && answer.errorCode == "unauthenticated", "\(operation): \(answer)")
                #expect(answer.headers["www-authenticate"] != nil)
            case nil:
                Issue.record("\(operation) has no security line the test can read")
            }
        }
        #expect(try forge.auditEvents().isEmpty, "a request without a token is not a refused token")
    }
}
