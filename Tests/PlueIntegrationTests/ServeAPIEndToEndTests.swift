import Foundation
import PlueTestSupport
import Testing

/// The first API routes over a real socket, driven with curl and checked with the CLI and git:
/// tokens in every form git and Gitea clients send them, scopes and limits (403 and an audit
/// event), invisible repositories answered as missing ones, bodies that are too large or not JSON,
/// hostile names, and the limit on failed authentications.
@Suite struct ServeAPIEndToEndTests {
    let directory = TemporaryDirectory("plue-api")

    /// alice's and bob's `all` tokens, alice's read:repository ("alice-read") and alice's limited
    /// to alice/demo ("alice-demo").
    func forge(serveArguments: [String] = []) throws -> APIForge {
        var forge = try APIForge(directory, serveArguments: serveArguments)
        try forge.addToken("alice-read", user: "alice", ["--scope", "read:repository"])
        try forge.addToken("alice-demo", user: "alice", ["--scope", "write:repository", "--repo", "alice/demo"])
        return forge
    }

    func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    func errorCode(_ text: String) throws -> String? {
        (try object(text)["error"] as? [String: Any])?["code"] as? String
    }

    @Test func tokensAuthenticateInEveryFormAndNothingElseDoes() throws {
        let forge = try forge()
        let alice = try #require(forge.tokens["alice"])
        for header in ["Authorization: Bearer \(alice)", "Authorization: token \(alice)", "authorization: BEARER \(alice)"] {
            let answer = try forge.server.curl("/api/v1/user", ["-H", header])
            #expect(answer.status == 200, "\(header): \(answer.body)")
            #expect(try object(answer.body)["login"] as? String == "alice")
        }
        let basic = try forge.server.curl("/api/v1/user", ["-u", "anything:\(alice)"])
        #expect(basic.status == 200)

        let revokedID = try #require((try forge.plue.json(["token", "list", "alice"]) as? [[String: Any]])?
            .first { $0["name"] as? String == "alice-read" }?["id"] as? Int)
        try forge.plue.ok(["token", "revoke", String(revokedID)])
        let unknown = "plue_" + String(repeating: "0", count: 40)
        for token in [nil, "nonsense", unknown, forge.tokens["alice-read"]!, alice + "x"] {
            let answer = try forge.curl("/api/v1/user", secret: token)
            #expect(answer.status == 401, "\(token ?? "none"): \(answer.body)")
            #expect(try errorCode(answer.body) == "unauthenticated")
            #expect(answer.headers["www-authenticate"] == #"Bearer realm="plue""#)
        }
        // Every refusal is the same answer, so none tells a revoked token from a made-up one.
        #expect(try forge.curl("/api/v1/user", secret: forge.tokens["alice-read"]).body == (try forge.curl("/api/v1/user", secret: unknown).body))
    }

    @Test func aTokenWithoutTheScopeIsRefusedAndAudited() throws {
        let forge = try forge()
        let answer = try forge.curl("/api/v1/user", secret: forge.tokens["alice-read"])
        #expect(answer.status == 403)
        let error = try #require(try object(answer.body)["error"] as? [String: Any])
        #expect(error["code"] as? String == "insufficient_scope")
        #expect((error["message"] as? String)?.contains("read:user") == true, "\(answer.body)")

        let limited = try forge.curl("/api/v1/repos/alice/secret", secret: forge.tokens["alice-demo"])
        #expect(try limited.status == 403 && errorCode(limited.body) == "insufficient_scope", "\(limited.body)")
        #expect(try forge.curl("/api/v1/repos/alice/demo", secret: forge.tokens["alice-demo"]).status == 200)

        let events = try #require(try forge.plue.json(["audit", "list"]) as? [[String: Any]])
        #expect(events.count == 2)
        let scope = try #require(events.first { $0["scopeNeeded"] as? String == "read:user" })
        #expect(scope["route"] as? String == "GET /api/v1/user" && scope["user"] as? String == "alice")
        #expect(scope["remoteAddress"] as? String == "127.0.0.1" && scope["outcome"] as? String == "missing_scope")
        #expect(events.contains { $0["outcome"] as? String == "outside_repositories" && $0["route"] as? String == "GET /api/v1/repos/{owner}/{repo}" })
    }

    @Test func aRepositoryOneMayNotSeeIsAnsweredAsAMissingOne() throws {
        let forge = try forge()
        let public_ = try forge.curl("/api/v1/repos/alice/demo")
        #expect(public_.status == 200)
        let shown = try object(public_.body)
        #expect(shown["full_name"] as? String == "alice/demo" && shown["private"] as? Bool == false)
        #expect((shown["owner"] as? [String: Any])?["login"] as? String == "alice")
        let branches = try forge.curl("/api/v1/repos/alice/demo/branches")
        let main = try #require((try JSONSerialization.jsonObject(with: Data(branches.body.utf8)) as? [[String: Any]])?.first)
        let tip = try Command.git(["rev-parse", "main"], in: directory.child("seed")).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(main["name"] as? String == "main" && (main["commit"] as? [String: Any])?["id"] as? String == tip)

        for token in [nil, forge.tokens["bob"]] {
            let hidden = try forge.curl("/api/v1/repos/alice/secret", secret: token)
            let missing = try forge.curl("/api/v1/repos/alice/nothing", secret: token)
            #expect(hidden.status == 404 && missing.status == 404)
            #expect(hidden.body.replacingOccurrences(of: "secret", with: "X") == missing.body.replacingOccurrences(of: "nothing", with: "X"),
                    "\(hidden.body) \(missing.body)")
        }
        #expect(try forge.curl("/api/v1/repos/alice/secret", secret: forge.tokens["alice"]).status == 200)
    }

    @Test func aPathAskedWithAMethodItDoesNotTakeIs405WithWhatItTakes() throws {
        let forge = try forge()
        for (method, path, allow) in [("PATCH", "/api/v1/repos/alice/demo", "DELETE, GET, HEAD"), ("OPTIONS", "/api/v1/version", "GET, HEAD"),
                                      ("DELETE", "/api/v1/repos/alice/demo/raw/a/b.txt", "GET, HEAD"),
                                      ("GET", "/alice/demo.git/git-upload-pack", "POST"), ("PUT", "/api/v1/user/repos", "GET, HEAD, POST")] {
            let answer = try forge.curl(path, token: "alice", ["-X", method])
            #expect(answer.status == 405 && answer.headers["allow"] == allow, "\(method) \(path): \(answer.headers) \(answer.body)")
            #expect(try errorCode(answer.body) == "method_not_allowed")
        }
        // Paths the server does not have, and methods no route takes, stay 404.
        #expect(try forge.curl("/api/v1/nothing/here", token: "alice", ["-X", "PATCH"]).status == 404)
        #expect(try forge.curl("/api/v1/version", token: "alice", ["-X", "PROPFIND"]).status == 404)
        // HEAD is GET without the body: same status and length, for a token route and an open one
        // (curl -I writes the header lines where the body would go).
        for path in ["/api/v1/repos/alice/demo", "/api/v1/version"] {
            let get = try forge.curl(path, token: "alice")
            let head = try forge.curl(path, token: "alice", ["-I"])
            #expect(head.status == 200 && !head.body.contains("{") && head.headers["content-length"] == String(get.body.utf8.count), "\(head)")
        }
        #expect(try forge.curl("/api/v1/repos/alice/secret", token: "bob", ["-I"]).status == 404)
    }

    @Test func createAndDeleteChangeTheForgeAndBadBodiesChangeNothing() throws {
        let forge = try forge(serveArguments: ["--max-body-size", "2000"])
        let alice = forge.tokens["alice"]
        let created = try forge.curl("/api/v1/user/repos", secret: alice,
                                     ["-X", "POST", "-H", "Content-Type: application/json",
                                      "--data-binary", #"{"name": "made", "description": "over HTTP", "private": true}"#])
        #expect(created.status == 201, "\(created.body)")
        #expect(try object(created.body)["full_name"] as? String == "alice/made")
        let listed = try #require(try forge.plue.json(["repo", "list"]) as? [[String: Any]])
        #expect(listed.contains { $0["name"] as? String == "made" && $0["private"] as? Bool == true }, "\(listed)")
        #expect(try Command.git(["rev-parse", "--is-bare-repository"], in: forge.plue.home + "/repos/alice/made.git").trimmingCharacters(in: .whitespacesAndNewlines) == "true")

        let before = try forge.plue.ok(["repo", "list", "--json"])
        let bad: [(String, Int, String)] = [
            ("{not json", 400, "bad"),
            ("[1, 2]", 400, "array"),
            (#"{"description": "no name"}"#, 400, "no name"),
            (#"{"name": "x", "private": "yes"}"#, 400, "string boolean"),
            (#"{"name": "x", "private": 1}"#, 400, "number boolean"),
            (#"{"name": "x", "description": null}"#, 400, "null description"),
            (#"{"name": "x", "privat": true}"#, 400, "a misspelt field, which would leave the repository public"),
            (#"{"name": "../escape"}"#, 422, "traversal"),
            (#"{"name": "x'; DROP TABLE user;--"}"#, 422, "SQL"),
            (#"{"name": "a\u0000b"}"#, 422, "NUL"),
            (#"{"name": "\u001b[2J"}"#, 422, "escape"),
            ("{\"name\": \"" + String(repeating: "a", count: 3000) + "\"}", 413, "too large"),
        ]
        for (body, status, label) in bad {
            let answer = try forge.curl("/api/v1/user/repos", secret: alice, ["-X", "POST", "--data-binary", body])
            #expect(answer.status == status, "\(label): \(answer.status) \(answer.body)")
            #expect(try errorCode(answer.body) != nil, "\(label): \(answer.body)")
        }
        #expect(try forge.plue.ok(["repo", "list", "--json"]) == before)
        #expect(try forge.plue.ok(["user", "show", "alice", "--json"]).contains("alice"))

        // A read-only token may not create; bob may read alice/demo but not delete it.
        let readOnly = try forge.curl("/api/v1/user/repos", secret: forge.tokens["alice-read"], ["-X", "POST", "--data-binary", #"{"name": "y"}"#])
        #expect(readOnly.status == 401 || readOnly.status == 403)
        let bobDelete = try forge.curl("/api/v1/repos/alice/demo", secret: forge.tokens["bob"], ["-X", "DELETE"])
        #expect(try bobDelete.status == 403 && errorCode(bobDelete.body) == "permission_denied", "\(bobDelete.body)")
        // The API says what is wrong in its own words; the command-line hint stays at the command line.
        #expect(!bobDelete.body.contains("`plue") && !bobDelete.body.contains("--permission"), "\(bobDelete.body)")
        #expect(try !forge.curl("/api/v1/user").body.contains("`plue"))
        #expect(try forge.curl("/api/v1/repos/alice/demo", ["-X", "DELETE"]).status == 401)

        // A flag that is not exactly true or false is refused, not read as false.
        for query in ["force=yes", "force=1", "force=true&force=false", "force="] {
            let refused = try forge.curl("/api/v1/repos/alice/made?" + query, secret: alice, ["-X", "DELETE"])
            let code = try errorCode(refused.body)
            #expect(refused.status == 400 && code == "usage", "\(query): \(refused.body)")
        }
        #expect(try forge.curl("/api/v1/repos/alice/made", secret: alice).status == 200)
        let deleted = try forge.curl("/api/v1/repos/alice/made", secret: alice, ["-X", "DELETE"])
        #expect(deleted.status == 204 && deleted.body.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: forge.plue.home + "/repos/alice/made.git"))
        #expect(try forge.curl("/api/v1/repos/alice/made", secret: alice).status == 404)
    }

    @Test func failedAuthenticationsFromOneAddressAreLimited() throws {
        let forge = try forge()
        var statuses: [Int] = []
        var retryAfter: String?
        for index in 0..<25 {
            let answer = try forge.curl("/api/v1/user", secret: "plue_" + String(repeating: "1", count: 39) + String(index % 10))
            statuses.append(answer.status)
            if answer.status == 429 { retryAfter = answer.headers["retry-after"] }
        }
        #expect(statuses.prefix(20).allSatisfy { $0 == 401 }, "\(statuses)")
        #expect(statuses.suffix(5).allSatisfy { $0 == 429 }, "\(statuses)")
        #expect(Int(retryAfter ?? "") ?? 0 > 0)
        // While limited, even a good token waits: the limit is per address.
        #expect(try forge.curl("/api/v1/user", secret: forge.tokens["alice"]).status == 429)
        // A request without a token is not an authentication attempt.
        #expect(try forge.curl("/api/v1/repos/alice/demo").status == 200)
    }

    @Test func aDamagedRepositoryIs500WithoutTheServersPaths() throws {
        let forge = try forge()
        let path = forge.plue.home + "/repos/alice/demo.git"
        try FileManager.default.moveItem(atPath: path, toPath: path + ".away")
        let answer = try forge.curl("/api/v1/repos/alice/demo/branches", token: "alice")
        let code = try errorCode(answer.body)
        #expect(answer.status == 500 && code == "damaged", "\(answer.body)")
        #expect(!answer.body.contains(forge.plue.home) && !answer.body.contains("/repos/"), "\(answer.body)")
        #expect(forge.server.log.contains("missing at \(path)"), "\(forge.server.log)")
        // The operator's command line still says where.
        let shown = try forge.plue.run(["repo", "show", "alice/demo"])
        #expect(shown.status == 1 && shown.errorOutput.contains(path), "\(shown.errorOutput)")
    }

    @Test func theOperatorSetsTheLimitOnFailedAuthentications() throws {
        let forge = try forge(serveArguments: ["--max-failed-auth", "3"])
        let statuses = try (0..<4).map { _ in try forge.curl("/api/v1/user", secret: "plue_" + String(repeating: "2", count: 40)).status }
        #expect(statuses == [401, 401, 401, 429], "\(statuses)")
        let refused = try forge.plue.run(["serve", "--max-failed-auth", "0"])
        #expect(refused.status != 0 && refused.errorOutput.contains("--max-failed-auth"), "\(refused.errorOutput)")
    }
}
