import Foundation
import PlueTestSupport
import Testing

/// The session routes over a real socket with curl, checked against the CLI and git: create,
/// list, show, delete, every read, the routes that record operations, who sees a session, and a
/// token limited to one session.
@Suite struct ServeSessionAPIEndToEndTests {
    let directory = TemporaryDirectory("plue-session-api")

    @Test func sessionsAreCreatedListedShownAndDeleted() throws {
        let forge = try SessionAPIForge(directory)
        let shown = try #require(try forge.plue.json(["session", "show", forge.session]) as? [String: Any])
        #expect(shown["owner"] as? String == "alice" && shown["title"] as? String == "alice's work" && shown["baseBranch"] as? String == "main")

        let listed = try forge.array(SessionAPIForge.base + "/sessions")
        #expect(listed.map { $0["id"] as? String } == [forge.session])
        let one = try forge.object("GET", "")
        // The CLI's document, in the API's snake_case.
        #expect(one["base_branch"] as? String == "main" && one["owner"] as? String == "alice" && one["size_on_disk"] as? Int ?? 0 > 0)
        #expect(one["working_copy"] as? String == shown["workingCopy"] as? String && one["baseBranch"] == nil)
        // Where the server keeps its files is not the client's business.
        #expect(one["workdir"] == nil && shown["workdir"] != nil)
        #expect(try forge.call("GET", SessionAPIForge.base + "/sessions?all=yes").status == 400)

        let base = SessionAPIForge.base + "/sessions"
        let bad: [(String, String, Int)] = [
            ("{not json", "malformed", 400), ("[1]", "array", 400), (#"{"title": 5}"#, "number title", 400),
            (#"{"max_new_file_size": "big"}"#, "string size", 400), (#"{"base": "nope"}"#, "no such branch", 404),
            (#"{"title": "a\u0007b"}"#, "control character", 422), (#"{"base": "-x"}"#, "option-like base", 422),
            (#"{"max_new_file_size": -1}"#, "negative size", 422),
        ]
        for (body, label, status) in bad {
            let answer = try forge.call("POST", base, body: body)
            #expect(answer.status == status && SessionAPIForge.errorCode(answer.body) != nil, "\(label): \(answer.status) \(answer.body)")
            // The API's words, never the command line's options.
            #expect(!answer.body.contains("--max-new-file-size"), "\(label): \(answer.body)")
        }
        let session = base + "/" + forge.session
        for (path, body, status) in [("/snapshot", #"{"message": "a\u0000b\u001b[31m"}"#, 422),
                                     ("/fork", #"{"at": "@", "operation": 1}"#, 400)] {
            let answer = try forge.call("POST", session + path, body: body)
            #expect(answer.status == status && !answer.body.contains("--at") && !answer.body.contains("--op"), "\(path): \(answer.status) \(answer.body)")
        }
        #expect(try !forge.plue.ok(["session", "ops", forge.session]).contains("\u{1b}"))
        let readOnly = try forge.call("POST", base, as: "alice-read", body: "{}")
        #expect(readOnly.status == 403 && SessionAPIForge.errorCode(readOnly.body) == "insufficient_scope")
        #expect(try forge.call("POST", base, as: nil, body: "{}").status == 401)
        // carol may read the public repository but not write it: no session for her.
        #expect(SessionAPIForge.errorCode(try forge.call("POST", base, as: "carol", body: "{}").body) == "permission_denied")
        #expect(try forge.array(base).count == 1, "nothing was created")

        let bobs = try forge.call("POST", base, as: "bob", body: #"{"title": "bob's"}"#)
        #expect(bobs.status == 201)
        let bobSession = try #require(try SessionAPIForge.object(bobs.body)["id"] as? String)
        #expect(try forge.array(base, as: "bob").map { $0["id"] as? String } == [bobSession], "bob sees only his own")
        let seenByAlice = try forge.array(base).compactMap { $0["id"] as? String }
        #expect(Set(seenByAlice) == [forge.session, bobSession], "the owner of the repository sees both")

        let refused = try forge.call("DELETE", base + "/" + forge.session, as: "bob")
        #expect(refused.status == 404)
        let deleted = try forge.object("DELETE", "")
        #expect(deleted["id"] as? String == forge.session && (deleted["refs_removed"] as? [String])?.isEmpty == false)
        #expect(try forge.plue.run(["session", "show", forge.session]).status == 66)
        #expect(!FileManager.default.fileExists(atPath: forge.workdir))
    }

    @Test func readsAnswerAsTheCLIDoes() throws {
        let forge = try SessionAPIForge(directory)
        try "# Demo, edited\n".write(toFile: forge.workdir + "/README.md", atomically: true, encoding: .utf8)
        try forge.plue.ok(["session", "commit", forge.session, "-m", "edit the readme"])
        try "new\n".write(toFile: forge.workdir + "/new.txt", atomically: true, encoding: .utf8)
        let id = forge.session, base = SessionAPIForge.base + "/sessions/" + id

        let patch = try forge.call("GET", base + "/diff")
        #expect(patch.status == 200 && patch.headers["content-type"]?.hasPrefix("text/x-diff") == true)
        let cliPatch = try forge.plue.ok(["session", "diff", id])
        #expect(patch.body == cliPatch)
        #expect(try forge.call("GET", base + "/diff?format=stat").body == (try forge.plue.ok(["session", "diff", id, "--stat"])))
        #expect(try forge.call("GET", base + "/diff?format=name-status&from=@").body.isEmpty)
        let report = try SessionAPIForge.object(try forge.call("GET", base + "/diff?format=json").body)
        #expect((report["files"] as? [[String: Any]])?.compactMap { $0["path"] as? String } == ["README.md", "new.txt"])
        #expect(try forge.call("GET", base + "/diff?format=html").status == 422)

        let changes = try forge.array(base + "/changes")
        let cliChanges = try #require(try forge.plue.json(["session", "changes", id]) as? [[String: Any]])
        #expect(changes.map { $0["change_id"] as? String } == cliChanges.map { $0["changeId"] as? String } && changes.count == 2)
        let described = try #require(changes.last?["change_id"] as? String)
        let change = try forge.object("GET", "/changes/" + String(described.prefix(8)))
        #expect(change["description"] as? String == "edit the readme\n" && change["files_changed"] as? [String] == ["README.md"])
        #expect(try forge.call("GET", base + "/changes/zzzzzzzz").status == 404)
        #expect(try forge.call("GET", base + "/changes/--help").status == 422)

        let files = try forge.array(base + "/files")
        #expect(files.compactMap { $0["path"] as? String } == ["README.md", "new.txt", "src/main.swift"])
        #expect(try forge.array(base + "/files?prefix=src").compactMap { $0["path"] as? String } == ["src/main.swift"])
        let old = try forge.call("GET", base + "/files/README.md?at=base")
        #expect(old.status == 200 && old.body == "# Demo\n" && old.headers["content-type"] == "application/octet-stream")
        #expect(try forge.call("GET", base + "/files/README.md").body == "# Demo, edited\n")
        #expect(try forge.call("GET", base + "/files/nothing.txt").status == 404)

        #expect(try forge.object("GET", "/conflicts")["has_conflicts"] as? Bool == false)
        let operations = try forge.array(base + "/operations")
        let cliKinds = try forge.operationKinds()
        #expect(operations.compactMap { $0["kind"] as? String } == cliKinds)
        #expect(try forge.array(base + "/messages").isEmpty && (try forge.array(base + "/turns")).isEmpty)
        #expect(try forge.call("GET", base + "/turns/1").status == 404)

        // A reader may read; a read token may not change anything.
        let undo = try forge.call("POST", base + "/undo", as: "alice-read")
        #expect(undo.status == 403 && SessionAPIForge.errorCode(undo.body) == "insufficient_scope")
        #expect(try forge.call("GET", base + "/operations", as: "alice-read").status == 200)
    }

    @Test func aPrivateSessionIsInvisibleToAWriteCollaboratorWhoDoesNotOwnIt() throws {
        let forge = try SessionAPIForge(directory)
        let base = SessionAPIForge.base + "/sessions/"
        let missing = "0123456789abcdef"
        for (method, suffix) in [("GET", ""), ("GET", "/diff"), ("GET", "/files/README.md"), ("POST", "/undo"), ("PUT", "/files/x.txt"),
                                 ("DELETE", "")] {
            let hidden = try forge.call(method, base + forge.session + suffix, as: "bob", body: method == "PUT" ? "x" : nil)
            let absent = try forge.call(method, base + missing + suffix, as: "bob", body: method == "PUT" ? "x" : nil)
            #expect(hidden.status == 404 && absent.status == 404, "\(method) \(suffix): \(hidden.status) \(absent.status)")
            #expect(hidden.body.replacingOccurrences(of: forge.session, with: "ID") == absent.body.replacingOccurrences(of: missing, with: "ID"),
                    "\(hidden.body) \(absent.body)")
        }
        #expect(forge.read("x.txt") == nil)
        #expect(try forge.array(SessionAPIForge.base + "/sessions", as: "bob").isEmpty)

        // A session is found only under its own repository.
        try forge.plue.ok(["repo", "create", "alice/other"])
        let elsewhere = try forge.call("GET", "/api/v1/repos/alice/other/sessions/" + forge.session)
        let nowhere = try forge.call("GET", "/api/v1/repos/alice/other/sessions/" + missing)
        #expect(elsewhere.status == 404 && elsewhere.body.replacingOccurrences(of: forge.session, with: "ID")
                == nowhere.body.replacingOccurrences(of: missing, with: "ID"))
        #expect(try forge.call("GET", base + "not-an-id").status == 422)
    }

    @Test func aSessionTokenReachesOnlyItsSessionAndEachRefusalIsAudited() throws {
        let forge = try SessionAPIForge(directory)
        let other = try SessionAPIForge.object(try forge.call("POST", SessionAPIForge.base + "/sessions", body: "{}").body)["id"] as? String
        let base = SessionAPIForge.base + "/sessions/"
        #expect(try forge.object("GET", "", as: "alice-session")["id"] as? String == forge.session)
        #expect(try forge.object("PUT", "/files/agent.txt", as: "alice-session", body: "from the agent\n")["changed"] as? Bool == true)
        #expect(forge.read("agent.txt") == Data("from the agent\n".utf8))

        let refused: [(String, String)] = [
            ("GET", base + (other ?? "")), ("POST", base + (other ?? "") + "/undo"), ("GET", SessionAPIForge.base + "/sessions"),
            ("POST", SessionAPIForge.base + "/sessions"), ("GET", SessionAPIForge.base), ("GET", SessionAPIForge.base + "/land"),
        ]
        for (method, path) in refused {
            let answer = try forge.call(method, path, as: "alice-session", body: method == "POST" ? "{}" : nil)
            #expect(answer.status == 403 && SessionAPIForge.errorCode(answer.body) == "insufficient_scope", "\(method) \(path): \(answer.body)")
        }
        let events = try #require(try forge.plue.json(["audit", "list"]) as? [[String: Any]])
        #expect(events.count == refused.count)
        #expect(events.contains { $0["route"] as? String == "GET /api/v1/repos/{owner}/{repo}/sessions/{id}" && $0["outcome"] as? String == "outside_session" })
        #expect(events.allSatisfy { $0["user"] as? String == "alice" })
    }

    @Test func theRoutesThatRecordOperationsDoWhatTheCLIDoes() throws {
        let forge = try SessionAPIForge(directory)
        let id = forge.session
        for (number, name) in [(1, "one"), (2, "two")] {
            let turn = try forge.plue.raw(["session", "turn", id, "-m", name, "--home", forge.plue.home, "--", "sh", "-c", "echo \(number) > \(name).txt"])
            #expect(turn.status == 0, "\(turn.errorOutput)")
        }

        func kind(_ result: [String: Any]) -> String? { (result["operation"] as? [String: Any])?["kind"] as? String }
        #expect(try kind(forge.object("POST", "/revert", body: #"{"to_turn": 1}"#)) == "revert")
        #expect(forge.read("two.txt") == nil)
        #expect(try kind(forge.object("POST", "/unrevert")) == "unrevert")
        #expect(forge.read("two.txt") == Data("2\n".utf8))
        #expect(try kind(forge.object("POST", "/undo-turns", body: #"{"count": 2}"#)) == "undo-turns")
        #expect(forge.read("one.txt") == nil)
        #expect(try kind(forge.object("POST", "/undo")) == "undo")
        #expect(forge.read("one.txt") != nil)
        #expect(try kind(forge.object("POST", "/undo")) == "undo")
        #expect(try kind(forge.object("POST", "/redo")) == "redo")

        try "by hand\n".write(toFile: forge.workdir + "/hand.txt", atomically: true, encoding: .utf8)
        let snapshot = try forge.object("POST", "/snapshot", body: #"{"message": "keep it"}"#)
        #expect(snapshot["changed"] as? Bool == true && (snapshot["operation"] as? [String: Any])?["description"] as? String == "keep it")
        #expect(try forge.object("POST", "/snapshot")["changed"] as? Bool == false, "no body is {}; nothing changed, nothing recorded")
        let committed = try forge.object("POST", "/commit", body: #"{"message": "hand work"}"#)
        #expect(kind(committed) == "commit")
        #expect(try forge.git(["log", "-1", "--format=%s", "\((committed["session"] as? [String: Any])?["working_copy"] as? String ?? "")^"]) == "hand work")
        let first = try #require(try forge.array(SessionAPIForge.base + "/sessions/\(id)/operations").last?["id"] as? Int)
        #expect(try kind(forge.object("POST", "/restore", body: #"{"operation": \#(first)}"#)) == "restore")
        #expect(forge.read("hand.txt") == nil && forge.read("one.txt") == nil)
        #expect(try forge.operationKinds().prefix(3) == ["restore", "commit", "snapshot"])

        #expect(try forge.object("POST", "/restore", body: "{}", status: 400)["error"] != nil)
        #expect(try forge.object("POST", "/restore", body: #"{"operation": "1"}"#, status: 400)["error"] != nil)
        #expect(try forge.object("POST", "/restore", body: #"{"operation": 9999}"#, status: 404)["error"] != nil)
        #expect(try forge.object("POST", "/revert", body: #"{"to_turn": 1.5}"#, status: 400)["error"] != nil)
        #expect(try forge.object("POST", "/commit", body: "{not json", status: 400)["error"] != nil)
        #expect(try forge.object("POST", "/commit", body: #"{"message": ""}"#, status: 422)["error"] != nil)
        let tooLarge = try forge.call("POST", SessionAPIForge.base + "/sessions/\(id)/commit",
                                      body: #"{"message": ""# + String(repeating: "m", count: 5000) + #""}"#)
        #expect(tooLarge.status == 413 && SessionAPIForge.errorCode(tooLarge.body) == "body_too_large")

        // The session's own token may not fork it: a fork is a session the token does not reach.
        let agentFork = try forge.call("POST", SessionAPIForge.base + "/sessions/\(id)/fork", as: "alice-session", body: "{}")
        #expect(agentFork.status == 403 && SessionAPIForge.errorCode(agentFork.body) == "insufficient_scope", "\(agentFork.body)")
        let forked = try forge.object("POST", "/fork", body: #"{"title": "a fork"}"#, status: 201)
        let fork = try #require(forked["id"] as? String)
        #expect(forked["owner"] as? String == "alice" && forked["title"] as? String == "a fork" && fork != id)
        #expect(try forge.object("POST", "/abort")["status"] as? String == "aborted")
        let afterAbort = try forge.call("PUT", SessionAPIForge.base + "/sessions/\(id)/files/late.txt", body: "late")
        #expect(afterAbort.status == 409 && SessionAPIForge.errorCode(afterAbort.body) == "failed")
        #expect(try forge.object("GET", "", session: fork)["status"] as? String == "active")
    }
}
