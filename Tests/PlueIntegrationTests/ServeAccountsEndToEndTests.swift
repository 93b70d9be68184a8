import Foundation
import PlueTestSupport
import Testing

/// Accounts over a real socket, checked with the CLI: looking accounts up and searching them (SQL
/// and LIKE's metacharacters as plain text), the token's own SSH keys, and tokens made, listed and
/// revoked at Gitea's paths, never with a scope the asking token lacks.
@Suite struct ServeAccountsEndToEndTests {
    let directory = TemporaryDirectory("plue-api-accounts")

    @Test func accountsAreFoundByNameAndSearchedWithMetacharactersAsText() throws {
        let forge = try APIForge(directory)
        for name in ["al_ce", "alxce", "dave"] {
            try forge.plue.ok(["user", "create", name, "--email", "\(name)@example.com"])
        }
        func logins(_ query: String) throws -> [String] {
            let answer = try forge.curl("/api/v1/users/search?" + query, token: "alice")
            #expect(answer.status == 200, "\(query): \(answer)")
            let object = try answer.object()
            #expect(object["ok"] as? Bool == true)
            return try #require(object["data"] as? [[String: Any]]).compactMap { $0["login"] as? String }
        }
        #expect(try logins("q=_") == ["al_ce"], "_ matches itself, not any character")
        #expect(try logins("q=al_c") == ["al_ce"])
        #expect(try logins("q=%25").isEmpty && logins("q=%5C").isEmpty && logins("q=%25%25").isEmpty)
        #expect(try logins("q=%27%20OR%20%271%27%3D%271").isEmpty, "' OR '1'='1 is text")
        #expect(try logins("q=x%27%29%3B%20DROP%20TABLE%20user%3B--").isEmpty)
        #expect(try logins("q=AL") == ["al_ce", "alice", "alxce"], "case is ignored")
        let everyone = try #require(try forge.plue.json(["user", "list"]) as? [[String: Any]]).compactMap { $0["name"] as? String }
        #expect(everyone.count == 5, "no search changed the accounts")

        // Page by page through every account, following the Link header.
        var seen: [String] = []
        var next: String? = "/api/v1/users/search?limit=2"
        while let path = next {
            let answer = try forge.curl(path, token: "alice")
            #expect(answer.headers["x-total-count"] == "5" && answer.links["last"]?.contains("page=3&limit=2") == true, "\(answer.headers)")
            seen += try #require(try answer.object()["data"] as? [[String: Any]]).compactMap { $0["login"] as? String }
            next = answer.links["next"]
        }
        #expect(seen == everyone.sorted { $0.lowercased() < $1.lowercased() } && seen.count == 5, "\(seen)")
        #expect(try forge.curl("/api/v1/users/search?q=a%00b", token: "alice").status == 422)
        #expect(try forge.curl("/api/v1/users/search?limit=0", token: "alice").status == 400)

        // Another account is shown without its email; one's own with it.
        let bob = try forge.curl("/api/v1/users/bob", token: "alice").object()
        #expect(bob["login"] as? String == "bob" && bob["email"] == nil && bob["is_admin"] == nil, "\(bob)")
        let own = try forge.curl("/api/v1/users/ALICE", token: "alice").object()
        #expect(own["login"] as? String == "alice" && own["email"] as? String == "alice@example.com")
        #expect(try forge.curl("/api/v1/users/nobody", token: "alice").status == 404)
        #expect(try forge.curl("/api/v1/users/-x", token: "alice").status == 422)
        #expect(try forge.curl("/api/v1/users/bob").status == 401, "looking accounts up needs a token")
    }

    @Test func theTokensAccountAddsListsAndRemovesItsSSHKeys() throws {
        var forge = try APIForge(directory, serveArguments: ["--max-body-size", "4000"])
        try forge.addToken("alice-read", user: "alice", ["--scope", "read:user"])
        let key = try GeneratedKey.make("ed25519", in: directory.path)
        let body = #"{"title": "laptop", "key": "\#(key.publicKeyLine)"}"#
        let added = try forge.send("POST", "/api/v1/user/keys", token: "alice", json: body)
        #expect(added.status == 201, "\(added)")
        let id = try #require(try added.object()["id"] as? Int)
        let listed = try #require(try forge.plue.json(["ssh-key", "list", "alice"]) as? [[String: Any]])
        let fingerprint = try key.sshKeygenFingerprint()
        #expect(listed.count == 1 && listed[0]["fingerprint"] as? String == fingerprint)
        #expect(try added.object()["fingerprint"] as? String == fingerprint)
        let shown = try forge.curl("/api/v1/user/keys", token: "alice")
        #expect(try shown.array().map { $0["id"] as? Int } == [id] && shown.headers["x-total-count"] == "1")

        let refused: [(String, Int, String)] = [
            (body, 409, "the same key again"),
            (#"{"title": "x", "key": "ssh-ed25519 notbase64"}"#, 422, "not a key"),
            (#"{"title": "x"}"#, 400, "no key"),
            (#"{"title": 5, "key": "ssh-ed25519 AAAA"}"#, 400, "a number for a title"),
            ("{\"title\": \"x\", \"key\": \"" + key.publicKeyLine, 400, "cut short"),
            ("{\"title\": \"x\", \"key\": \"" + String(repeating: "A", count: 5000) + "\"}", 413, "too large"),
        ]
        for (text, status, label) in refused {
            let answer = try forge.send("POST", "/api/v1/user/keys", token: "alice", json: text)
            #expect(answer.status == status && answer.errorCode != nil, "\(label): \(answer)")
        }
        #expect(try forge.send("POST", "/api/v1/user/keys", token: "alice-read", json: body).errorCode == "insufficient_scope")
        #expect(try #require(try forge.plue.json(["ssh-key", "list", "alice"]) as? [[String: Any]]).count == 1)

        // Bob cannot remove alice's key: it is not found, as a missing one.
        let byBob = try forge.curl("/api/v1/user/keys/\(id)", token: "bob", ["-X", "DELETE"])
        let missing = try forge.curl("/api/v1/user/keys/999", token: "bob", ["-X", "DELETE"])
        #expect(byBob.status == 404 && byBob.body.replacingOccurrences(of: "\(id)", with: "N") == missing.body.replacingOccurrences(of: "999", with: "N"))
        #expect(try forge.curl("/api/v1/user/keys/x1", token: "alice", ["-X", "DELETE"]).status == 400)
        #expect(try forge.curl("/api/v1/user/keys/\(id)", token: "alice", ["-X", "DELETE"]).status == 204)
        #expect(try #require(try forge.plue.json(["ssh-key", "list", "alice"]) as? [[String: Any]]).isEmpty)
        #expect(try forge.curl("/api/v1/user/keys/\(id)", token: "alice", ["-X", "DELETE"]).status == 404)
    }

    /// A token that expires cannot make one that outlives it: asked for no expiry or a later
    /// one, the new token expires when its maker does.
    @Test func aTokenThatExpiresMakesNoneThatOutlivesIt() throws {
        var forge = try APIForge(directory)
        try forge.addToken("short", user: "alice", ["--scope", "write:user", "--expires-in", "1"])
        try forge.addToken("forever", user: "alice", ["--scope", "write:user"])
        let listed = try #require(try forge.plue.json(["token", "list", "alice"]) as? [[String: Any]])
        let makerExpiry = try #require(listed.first { $0["name"] as? String == "short" }?["expiresAt"] as? String)
        for (name, extra) in [("never", ""), ("later", #", "expires_in_days": 30"#)] {
            let made = try forge.send("POST", "/api/v1/users/alice/tokens", token: "short",
                                      json: #"{"name": "\#(name)", "scopes": ["read:user"]\#(extra)}"#)
            #expect(made.status == 201, "\(made)")
            let expiry = try made.object()["expires_at"] as? String
            #expect(expiry != nil)
        }
        let after = try #require(try forge.plue.json(["token", "list", "alice"]) as? [[String: Any]])
        for name in ["never", "later"] {
            #expect(after.first { $0["name"] as? String == name }?["expiresAt"] as? String == makerExpiry, "\(name): \(after)")
        }
        // Nor an SSH key or a deploy key, which do not expire at all.
        let key = try forge.send("POST", "/api/v1/user/keys", token: "short", json: #"{"title": "k", "key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGsZ5e2rnm6vM1o7bH4bQ0d2W5b2TfKXzRkqvS6u6N0F k"}"#)
        #expect(key.status == 403 && key.body.contains("expires"), "\(key)")
        // A token that never expires makes what it is asked for.
        let free = try forge.send("POST", "/api/v1/users/alice/tokens", token: "forever", json: #"{"name": "free", "scopes": ["read:user"]}"#)
        let freeExpiry = try free.object()["expires_at"]
        #expect(free.status == 201 && freeExpiry is NSNull, "\(free)")
    }

    @Test func tokensAreMadeListedAndRevokedNeverWithMoreScopesThanTheMaker() throws {
        var forge = try APIForge(directory)
        try forge.addToken("maker", user: "alice", ["--scope", "write:user", "--scope", "read:repository"])
        try forge.plue.ok(["user", "create", "root1", "--email", "root@example.com", "--admin"])
        try forge.addToken("admin-user", user: "root1", ["--scope", "write:user"])
        try forge.addToken("admin-all", user: "root1", ["--scope", "all"])

        let made = try forge.send("POST", "/api/v1/users/alice/tokens", token: "maker",
                                  json: #"{"name": "ci", "scopes": ["read:repository"], "repositories": ["alice/secret"]}"#)
        #expect(made.status == 201, "\(made)")
        let secret = try #require(try made.object()["sha1"] as? String)
        let madeID = try #require(try made.object()["id"] as? Int)
        #expect(secret.hasPrefix("plue_") && secret.count == 45)
        // The new token works, for what it was given and nothing more.
        let header = ["-H", "Authorization: Bearer \(secret)"]
        #expect(try forge.server.curl("/api/v1/repos/alice/secret", header).status == 200)
        #expect(try forge.server.curl("/api/v1/repos/alice/demo", header).status == 403)
        #expect(try forge.server.curl("/api/v1/user", header).status == 403)
        let cli = try #require(try forge.plue.json(["token", "list", "alice"]) as? [[String: Any]])
        #expect(cli.contains { $0["id"] as? Int == madeID && $0["scopes"] as? [String] == ["read:repository"] && $0["repositories"] as? [String] == ["alice/secret"] })

        // More than the maker holds is refused, recorded, and makes nothing.
        let before = try forge.auditEvents().count
        for scopes in [#"["write:repository"]"#, #"["all"]"#, #"["read:repository", "read:user", "write:repository"]"#] {
            let answer = try forge.send("POST", "/api/v1/users/alice/tokens", token: "maker", json: #"{"name": "more", "scopes": \#(scopes)}"#)
            #expect(answer.status == 403 && answer.errorCode == "insufficient_scope", "\(scopes): \(answer)")
        }
        let events = try forge.auditEvents()
        #expect(events.count == before + 3 && events.first?["route"] as? String == "POST /api/v1/users/{name}/tokens")
        #expect(events.first?["scopeNeeded"] as? String == "write:repository")
        let refused: [(String, Int)] = [
            (#"{"name": "x", "scopes": ["nope"]}"#, 422), (#"{"name": "x", "scopes": []}"#, 422), (#"{"name": "x", "scopes": "read:user"}"#, 400),
            (#"{"scopes": ["read:user"]}"#, 400), (#"{"name": "ci", "scopes": ["read:user"]}"#, 409), ("{nope", 400),
            (#"{"name": "x", "scopes": ["read:user"], "expires_in_days": 0}"#, 422), (#"{"name": "x", "scopes": ["read:user"], "expires_in_days": 1.5}"#, 400),
            // A misspelt limit would make a token without one.
            (#"{"name": "x", "scopes": ["read:repository"], "repos": ["alice/demo"]}"#, 400),
            (#"{"name": "x", "scopes": ["read:repository"], "session_id": "abc"}"#, 400),
            (#"{"name": "x", "scopes": ["read:repository"], "session": "0000000000000000"}"#, 404),
        ]
        for (body, status) in refused {
            let answer = try forge.send("POST", "/api/v1/users/alice/tokens", token: "maker", json: body)
            #expect(answer.status == status, "\(body): \(answer)")
        }
        #expect(try #require(try forge.plue.json(["token", "list", "alice"]) as? [[String: Any]]).count == cli.count, "no refused request made a token")

        // The list has every token of the account and no secret.
        let listed = try forge.curl("/api/v1/users/alice/tokens", token: "maker")
        #expect(listed.status == 200 && !listed.body.contains("plue_") && !listed.body.contains("sha1"))
        #expect(Set(try listed.array().compactMap { $0["id"] as? Int }) == Set(cli.compactMap { $0["id"] as? Int }))
        #expect(!forge.server.log.contains(secret), "the secret is never logged")

        // A token for one session reaches that session and nothing else.
        let session = try forge.plue.ok(["session", "new", "alice/demo", "--json"])
        let sessionID = try #require((try JSONSerialization.jsonObject(with: Data(session.utf8)) as? [String: Any])?["id"] as? String)
        let agent = try forge.send("POST", "/api/v1/users/alice/tokens", token: "maker",
                                   json: #"{"name": "agent", "scopes": ["read:repository"], "session": "\#(sessionID)"}"#)
        let agentToken = try agent.object()
        #expect(agent.status == 201 && agentToken["session"] as? String == sessionID, "\(agent)")
        let agentHeader = ["-H", "Authorization: Bearer \(try #require(agentToken["sha1"] as? String))"]
        #expect(try forge.server.curl("/api/v1/repos/alice/demo/sessions/\(sessionID)", agentHeader).status == 200)
        #expect(try forge.server.curl("/api/v1/repos/alice/demo", agentHeader).status == 403)
        try forge.plue.ok(["token", "revoke", String(try #require(agentToken["id"] as? Int))])

        // Another account's tokens: not for an account that is not an admin, and for an admin only with an admin scope.
        #expect(try forge.curl("/api/v1/users/bob/tokens", token: "alice").errorCode == "permission_denied")
        #expect(try forge.curl("/api/v1/users/bob/tokens", token: "admin-user").errorCode == "insufficient_scope")
        #expect(try forge.curl("/api/v1/users/bob/tokens", token: "admin-all").status == 200)

        // Revoking: only the account's own token by that path, then it no longer authenticates.
        let bobs = try #require(try forge.plue.json(["token", "list", "bob"]) as? [[String: Any]]).compactMap { $0["id"] as? Int }
        #expect(try forge.curl("/api/v1/users/alice/tokens/\(bobs[0])", token: "alice", ["-X", "DELETE"]).status == 404)
        #expect(try forge.curl("/api/v1/users/alice/tokens/\(madeID)", token: "maker", ["-X", "DELETE"]).status == 204)
        #expect(try forge.server.curl("/api/v1/repos/alice/secret", header).status == 401)
        #expect(try forge.curl("/api/v1/users/alice/tokens/\(madeID)", token: "maker", ["-X", "DELETE"]).status == 404)
        let states = try #require(try forge.plue.json(["token", "list", "bob"]) as? [[String: Any]]).map { $0["state"] as? String }
        #expect(states.allSatisfy { $0 == "active" }, "bob's token is untouched")
    }
}
