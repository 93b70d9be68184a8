import Foundation
import PlueKit
import PlueTestSupport
import Testing

/// `plue token` and `plue audit` as a user runs them, with the tokens they print checked by the
/// service the HTTP server will call.
@Suite struct TokenEndToEndTests {
    let directory = TemporaryDirectory("plue-tokens")
    var home: String { directory.child("home") }

    func demo() throws -> PlueRunner {
        let plue = try PlueRunner(home: home)
        try plue.setUpDemo(seed: directory.child("seed"), files: ["README": "hello\n"])
        return plue
    }

    func service() throws -> Plue { try Plue.open(home: PlueHome(root: home), executable: PlueBinary.path) }

    /// Every `plue_` + 40 hex in `text`.
    static func secrets(in text: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: "plue_[0-9a-f]{40}")
        return pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range, in: text)!]) }
    }

    @Test func createPrintsTheSecretOnceListNeverShowsItAndRevokeStopsIt() throws {
        let plue = try demo()
        let created = try plue.run(["token", "create", "alice", "--name", "laptop", "--scope", "read:repository",
                                    "--scope", "write:user", "--repo", "alice/demo", "--expires-in", "30"])
        #expect(created.status == 0, "\(created.errorOutput)")
        let secrets = Self.secrets(in: created.text)
        #expect(secrets.count == 1, "\(created.text)")
        let secret = try #require(secrets.first)
        #expect(created.text.contains("cannot be shown again") && created.text.contains("limited to alice/demo"))
        #expect(!created.text.contains(secret + "\n" + secret))

        let json = try #require(try plue.json(["token", "create", "alice", "--name", "ci", "--scope", "all"]) as? [String: Any])
        let second = try #require(json["token"] as? String)
        #expect(Self.secrets(in: second) == [second] && second != secret)
        #expect(json["name"] as? String == "ci" && json["scopes"] as? [String] == ["all"] && json["repositories"] is NSNull)
        #expect(json["state"] as? String == "active" && json["expiresAt"] is NSNull)

        let listedText = try plue.ok(["token", "list", "alice"])
        let listed = try #require(try plue.json(["token", "list", "alice"]) as? [[String: Any]])
        for output in [listedText, try plue.ok(["token", "list", "alice", "--json"])] {
            #expect(!output.contains("plue_") && !output.contains(String(secret.dropFirst(5))), "\(output)")
        }
        #expect(listed.map { $0["name"] as? String } == ["laptop", "ci"])
        #expect(listed[0]["repositories"] as? [String] == ["alice/demo"] && listed[0]["scopes"] as? [String] == ["read:repository", "write:user"])
        #expect(listedText.contains("laptop") && listedText.contains("alice/demo") && listedText.contains("active"))
        // The database keeps no secret either, in any of its files.
        for suffix in ["", "-wal", "-shm"] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: home + "/plue.db" + suffix))) ?? Data()
            #expect(bytes.range(of: Data(secret.dropFirst(5).utf8)) == nil, "plue.db\(suffix) holds the secret")
        }

        // What the binary printed is what the server will accept, until it is revoked.
        let token = try service().tokens.authenticate(secret)
        #expect(token.user.name == "alice" && token.scopes == [.readRepository, .writeUser])
        let id = try #require(listed[0]["id"] as? Int)
        let revoked = try plue.run(["token", "revoke", String(id)])
        #expect(revoked.status == 0 && revoked.text.contains("Revoked token \(id) (laptop) of alice"), "\(revoked.errorOutput)")
        #expect(plueError { _ = try service().tokens.authenticate(secret) }?.code == .unauthenticated)
        let again = try plue.run(["token", "revoke", String(id), "--json"])
        let error = try JSONSerialization.jsonObject(with: Data(again.errorOutput.utf8)) as? [String: Any]
        #expect(again.status == 66 && (error?["error"] as? [String: Any])?["code"] as? String == "notFound")
        #expect((try plue.json(["token", "list", "alice"]) as? [[String: Any]])?.first?["state"] as? String == "revoked")
    }

    @Test func badRequestsExitWithTheirCodesInTextAndJSON() throws {
        let plue = try demo()
        try plue.ok(["token", "create", "alice", "--name", "taken", "--scope", "read:user"])
        let cases: [([String], Int32, String, String)] = [
            (["alice", "--name", "x", "--scope", "bogus"], 65, "invalidInput", "read:repository, write:repository"),
            (["alice", "--name", "x", "--scope", "read:repository,nope"], 65, "invalidInput", "valid scopes"),
            (["alice", "--name", "x"], 64, "usage", "--scope"),
            (["alice", "--name", "a\nb", "--scope", "all"], 65, "invalidInput", "token name"),
            (["alice", "--name", String(repeating: "n", count: 100_000), "--scope", "all"], 65, "invalidInput", "token name"),
            (["alice", "--name", "TAKEN", "--scope", "all"], 73, "alreadyExists", "already"),
            (["nobody", "--name", "x", "--scope", "all"], 66, "notFound", "nobody"),
            (["-x", "--name", "x", "--scope", "all"], 64, "usage", "<user>"),
            (["--name", "x", "--scope", "all", "--", "-x"], 65, "invalidInput", "user name"),
            (["alice", "--name", "x", "--scope", "all", "--repo", "alice/nope"], 66, "notFound", "alice/nope"),
            (["alice", "--name", "x", "--scope", "all", "--repo", "alice"], 65, "invalidInput", "OWNER/NAME"),
            (["alice", "--name", "x", "--scope", "all", "--session", "0123456789abcdef"], 66, "notFound", "session"),
            (["alice", "--name", "x", "--scope", "all", "--session", "../etc"], 65, "invalidInput", "session"),
            (["alice", "--name", "x", "--scope", "all", "--expires-in", "0"], 65, "invalidInput", "days"),
            (["alice", "--name", "x", "--scope", "all", "--expires-in", "1.5"], 64, "usage", "expires-in"),
            (["alice", "--name", "x", "--scope", "write:admin"], 65, "invalidInput", "administrator"),
        ]
        for (arguments, status, code, fragment) in cases {
            let usesDashDash = arguments.contains("--")
            let text = usesDashDash ? try plue.raw(["token", "create", "--home", home] + arguments)
                : try plue.run(["token", "create"] + arguments)
            #expect(text.status == status && text.errorOutput.lowercased().hasPrefix("error: ") && text.errorOutput.contains(fragment),
                    "\(arguments.map { String($0.prefix(40)) }): \(text.status) \(text.errorOutput.prefix(300))")
            #expect(text.text.isEmpty)
            let json = usesDashDash ? try plue.raw(["token", "create", "--json", "--home", home] + arguments)
                : try plue.run(["token", "create", "--json"] + arguments)
            let document = try? JSONSerialization.jsonObject(with: Data(json.errorOutput.utf8)) as? [String: Any]
            #expect(json.status == status && (document?["error"] as? [String: Any])?["code"] as? String == code,
                    "\(arguments.map { String($0.prefix(40)) }): \(json.status) \(json.errorOutput.prefix(300))")
        }
        #expect((try plue.json(["token", "list", "alice"]) as? [[String: Any]])?.count == 1, "nothing else was created")
        #expect(try plue.run(["token", "list", "nobody"]).status == 66)
        #expect(try plue.run(["token", "revoke", "x"]).status == 64)
        #expect(try plue.run(["audit", "list", "--limit", "0"]).status == 65)
    }

    @Test func hostileNamesAreEscapedInTextAndExactInJSON() throws {
        let plue = try demo()
        // Control characters are refused, and the refusal shows them escaped.
        for name in ["a\nb", "\u{1B}]0;owned\u{07}", "\u{1B}[2Jclear"] {
            let result = try plue.run(["token", "create", "alice", "--name", name, "--scope", "all"])
            #expect(result.status == 65 && !result.errorOutput.contains("\u{1B}") && !result.errorOutput.contains("a\nb"),
                    "\(result.errorOutput.debugDescription)")
        }
        // Printable but misleading text is kept exactly, and escaped when shown.
        let name = "\u{202E}txt.exe\u{200B}\u{2028}"
        let created = try plue.run(["token", "create", "alice", "--name", name, "--scope", "all"])
        #expect(created.status == 0 && !created.text.contains("\u{202E}") && created.text.contains("\\u{202e}txt.exe"),
                "\(created.text.debugDescription)")
        let listed = try plue.ok(["token", "list", "alice"])
        #expect(!listed.contains("\u{202E}") && !listed.contains("\u{200B}") && !listed.contains("\u{2028}") && listed.contains("\\u{202e}"))
        #expect((try plue.json(["token", "list", "alice"]) as? [[String: Any]])?.first?["name"] as? String == name)

        // Routes and addresses come from the network: the audit log escapes them too.
        let limited = try #require(Self.secrets(in: try plue.ok(["token", "create", "alice", "--name", "reader", "--scope", "read:user"])).first)
        let forge = try service()
        let route = "GET /\u{1B}[2J\u{202E}x\ny"
        let token = try forge.tokens.authenticate(limited)
        #expect(plueError { try forge.tokens.authorize(token, needs: .writeRepository, route: route, remoteAddress: "\u{1B}[31m10.0.0.1") }?.code
            == .insufficientScope)
        let audit = try plue.ok(["audit", "list"])
        #expect(!audit.contains("\u{1B}") && !audit.contains("\u{202E}") && audit.split(separator: "\n").count == 2, "\(audit.debugDescription)")
        #expect(audit.contains("\\e[2J\\u{202e}x\\ny") && audit.contains("write:repository") && audit.contains("missing_scope"))
        let events = try #require(try plue.json(["audit", "list"]) as? [[String: Any]])
        #expect(events.first?["route"] as? String == route && events.first?["remoteAddress"] as? String == "\u{1B}[31m10.0.0.1")
    }

    @Test func theAuditLogListsEveryFieldNewestFirst() throws {
        let plue = try demo()
        #expect(try plue.ok(["audit", "list"]).contains("No audit events"))
        #expect((try plue.json(["audit", "list"]) as? [Any])?.isEmpty == true)
        let session = try #require((try plue.json(["session", "new", "alice/demo"]) as? [String: Any])?["id"] as? String)
        let created = try #require(try plue.json(["token", "create", "alice", "--name", "agent", "--scope", "write:repository",
                                                  "--session", session]) as? [String: Any])
        #expect(created["session"] as? String == session && created["repositories"] as? [String] == ["alice/demo"])
        #expect(try plue.ok(["token", "list", "alice"]).contains("session \(session) (alice/demo)"))
        let forge = try service()
        let token = try forge.tokens.authenticate(try #require(created["token"] as? String))
        let demo = try forge.repositories.find("alice/demo", as: .operator)
        try forge.tokens.authorize(token, needs: .writeRepository, repository: demo, session: session, route: "POST /sessions/{id}/turns")
        for route in ["GET /repos/{owner}/{repo}", "GET /user/keys"] {
            _ = plueError { try forge.tokens.authorize(token, needs: .readRepository, repository: demo, route: route, remoteAddress: "192.0.2.1") }
        }
        let events = try #require(try plue.json(["audit", "list"]) as? [[String: Any]])
        #expect(events.map { $0["route"] as? String } == ["GET /user/keys", "GET /repos/{owner}/{repo}"])
        let event = events[0]
        #expect(event["tokenId"] as? Int == created["id"] as? Int && event["user"] as? String == "alice")
        #expect(event["scopeNeeded"] as? String == "read:repository" && event["remoteAddress"] as? String == "192.0.2.1")
        #expect(event["outcome"] as? String == "outside_session" && (event["time"] as? String)?.hasSuffix("Z") == true)
        #expect((try plue.json(["audit", "list", "--limit", "1"]) as? [[String: Any]])?.count == 1)
        let text = try plue.ok(["audit", "list"])
        #expect(text.hasPrefix("TIME") && text.contains("outside_session") && text.contains("192.0.2.1"))
    }

    @Test func twoCreatesOfOneNameAtOnceMakeOneToken() throws {
        let plue = try demo()
        final class Results: @unchecked Sendable {
            // @unchecked: each slot is written by one iteration only, read after all have ended.
            var slots = [Int32](repeating: -1, count: 6)
        }
        let collected = Results()
        collected.slots.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let slots = buffer
            DispatchQueue.concurrentPerform(iterations: 6) { index in
                slots[index] = (try? plue.run(["token", "create", "alice", "--name", "race", "--scope", "all"]))?.status ?? -1
            }
        }
        #expect(collected.slots.filter { $0 == 0 }.count == 1 && collected.slots.filter { $0 == 73 }.count == 5, "\(collected.slots)")
        #expect((try plue.json(["token", "list", "alice"]) as? [[String: Any]])?.count == 1)
    }
}
