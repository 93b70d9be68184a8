import Foundation
import PlueTestSupport
import Testing

/// Collaborators and deploy keys over a real socket, checked with the CLI and with git: a
/// collaborator added over HTTP sees the private repository, a deploy key added over HTTP clones
/// (and pushes only when added writable) through `plue ssh-serve`, and removing either takes that
/// away. Only the repository's admins manage them; others get 403, or 404 where they see nothing.
@Suite struct ServeRepositoryAccessEndToEndTests {
    let directory = TemporaryDirectory("plue-api-access")

    @Test func collaboratorsAreGivenChangedAndTakenAway() throws {
        let forge = try APIForge(directory, serveArguments: ["--max-body-size", "2000"])
        try forge.plue.ok(["user", "create", "carol", "--email", "carol@example.com"])
        let path = "/api/v1/repos/alice/secret/collaborators/bob"
        #expect(try forge.curl("/api/v1/repos/alice/secret", token: "bob").status == 404)

        let given = try forge.send("PUT", path, token: "alice", json: #"{"permission": "read"}"#)
        #expect(given.status == 204 && given.body.isEmpty, "\(given)")
        var cli = try #require(try forge.plue.json(["repo", "collaborator", "list", "alice/secret"]) as? [[String: Any]])
        #expect(cli.count == 1 && cli[0]["user"] as? String == "bob" && cli[0]["permission"] as? String == "read")
        #expect(try forge.curl("/api/v1/repos/alice/secret", token: "bob").status == 200, "bob sees it now")
        let bobDeletes = try forge.curl("/api/v1/repos/alice/secret", token: "bob", ["-X", "DELETE"])
        #expect(bobDeletes.status == 403 && bobDeletes.errorCode == "permission_denied")
        let bobAdds = try forge.send("PUT", "/api/v1/repos/alice/secret/collaborators/carol", token: "bob", json: "{}")
        #expect(bobAdds.errorCode == "permission_denied", "only an admin of the repository adds collaborators: \(bobAdds)")
        #expect(try forge.curl("/api/v1/repos/alice/secret/collaborators", token: "bob").errorCode == "permission_denied")

        // No body means write, as Gitea.
        #expect(try forge.curl(path, token: "alice", ["-X", "PUT"]).status == 204)
        cli = try #require(try forge.plue.json(["repo", "collaborator", "list", "alice/secret"]) as? [[String: Any]])
        #expect(cli.first?["permission"] as? String == "write")
        let listed = try forge.curl("/api/v1/repos/alice/secret/collaborators", token: "alice")
        #expect(try listed.array().map { "\($0["login"] ?? "") \($0["permission"] ?? "")" } == ["bob write"] && listed.headers["x-total-count"] == "1")

        let refused: [(String, String, Int)] = [
            (path, #"{"permission": "owner"}"#, 422), (path, #"{"permission": 3}"#, 400), (path, "{", 400), (path, "[]", 400),
            (path, #"{"permission": ""# + String(repeating: "w", count: 3000) + #""}"#, 413),
            ("/api/v1/repos/alice/secret/collaborators/nobody", "{}", 404),
            ("/api/v1/repos/alice/secret/collaborators/alice", "{}", 422),
            ("/api/v1/repos/alice/secret/collaborators/-x", "{}", 422),
        ]
        for (target, body, status) in refused {
            let answer = try forge.send("PUT", target, token: "alice", json: body)
            #expect(answer.status == status && answer.errorCode != nil, "\(target) \(body.prefix(40)): \(answer)")
        }
        #expect(try #require(try forge.plue.json(["repo", "collaborator", "list", "alice/secret"]) as? [[String: Any]]).count == 1)

        #expect(try forge.curl(path, token: "alice", ["-X", "DELETE"]).status == 204)
        #expect(try #require(try forge.plue.json(["repo", "collaborator", "list", "alice/secret"]) as? [[String: Any]]).isEmpty)
        #expect(try forge.curl("/api/v1/repos/alice/secret", token: "bob").status == 404, "and bob no longer sees it")
        #expect(try forge.curl(path, token: "alice", ["-X", "DELETE"]).status == 404)
    }

    @Test func deployKeysAddedOverHTTPReachTheRepositoryThroughGit() throws {
        let forge = try APIForge(directory, serveArguments: ["--max-body-size", "4000"])
        let reader = try GeneratedKey.make("ed25519", in: directory.path, name: "reader")
        let writer = try GeneratedKey.make("ed25519", in: directory.path, name: "writer")
        let keysPath = "/api/v1/repos/alice/demo/keys"

        let added = try forge.send("POST", keysPath, token: "alice", json: #"{"title": "ci", "key": "\#(reader.publicKeyLine)"}"#)
        #expect(added.status == 201, "\(added)")
        let readerID = try #require(try added.object()["id"] as? Int)
        #expect(try added.object()["read_only"] as? Bool == true, "read-only unless asked otherwise")
        let writable = try forge.send("POST", keysPath, token: "alice",
                                      json: #"{"title": "deploy", "key": "\#(writer.publicKeyLine)", "read_only": false}"#)
        let writerID = try #require(try writable.object()["id"] as? Int)
        let cli = try #require(try forge.plue.json(["deploy-key", "list", "alice/demo"]) as? [[String: Any]])
        let readerFingerprint = try reader.sshKeygenFingerprint()
        #expect(cli.map { "\($0["id"] as? Int ?? 0) \($0["writable"] as? Bool ?? false)" } == ["\(readerID) false", "\(writerID) true"])
        #expect(cli.first?["fingerprint"] as? String == readerFingerprint)
        #expect(try forge.curl(keysPath, token: "alice").array().compactMap { $0["id"] as? Int } == [readerID, writerID])

        // git through plue ssh-serve, as sshd would run it for each key.
        func git(_ arguments: [String], key id: Int, in folder: String? = nil) throws -> CommandResult {
            let script = directory.child("ssh-\(id)")
            try """
                #!/bin/sh
                for last; do :; done
                SSH_ORIGINAL_COMMAND="$last" exec '\(forge.plue.binary)' ssh-serve --home '\(forge.plue.home)' key-\(id)
                """.write(toFile: script, atomically: true, encoding: .utf8)
            chmod(script, 0o755)
            return try Command.run("/usr/bin/git", arguments, in: folder ?? directory.path,
                                   environment: Command.environment(["GIT_SSH_COMMAND": script]))
        }
        let clone = try git(["clone", "-q", "git@forge:alice/demo.git", "ci"], key: readerID)
        #expect(clone.status == 0, "\(clone.errorOutput)")
        #expect(try String(contentsOfFile: directory.child("ci/README"), encoding: .utf8) == "hello\n")
        try Command.git(["commit", "-q", "--allow-empty", "-m", "from ci"], in: directory.child("ci"))
        let refusedPush = try git(["push", "origin", "main"], key: readerID, in: directory.child("ci"))
        #expect(refusedPush.status != 0 && refusedPush.errorOutput.contains("read access"), "\(refusedPush.errorOutput)")
        let push = try git(["push", "-q", "origin", "main"], key: writerID, in: directory.child("ci"))
        #expect(push.status == 0, "\(push.errorOutput)")
        let events = try forge.curl("/api/v1/repos/alice/demo/events?limit=1").array()
        let pushed = try Command.git(["rev-parse", "HEAD"], in: directory.child("ci"))
        #expect(events.first?["deploy_key_id"] as? Int == writerID && events.first?["after"] as? String == pushed)

        // Refused: the same key again, a bad key, bad bodies, and anyone but an admin of the repository.
        let refused: [(String, Int)] = [
            (#"{"title": "again", "key": "\#(reader.publicKeyLine)"}"#, 409), (#"{"title": "x", "key": "ssh-rsa AAAA"}"#, 422),
            (#"{"title": "", "key": "\#(writer.publicKeyLine)"}"#, 422), (#"{"key": "\#(writer.publicKeyLine)"}"#, 400),
            (#"{"title": "x", "key": "k", "read_only": "no"}"#, 400), ("{\"title\": \"" + String(repeating: "t", count: 5000) + "\"}", 413),
        ]
        for (body, status) in refused {
            let answer = try forge.send("POST", keysPath, token: "alice", json: body)
            #expect(answer.status == status && answer.errorCode != nil, "\(body.prefix(50)): \(answer)")
        }
        #expect(try forge.send("POST", keysPath, token: "bob", json: #"{"title": "x", "key": "\#(reader.publicKeyLine)"}"#).errorCode == "permission_denied")
        #expect(try forge.curl(keysPath, token: "bob").errorCode == "permission_denied")
        #expect(try forge.curl("\(keysPath)/\(readerID)", token: "bob", ["-X", "DELETE"]).errorCode == "permission_denied")
        #expect(try #require(try forge.plue.json(["deploy-key", "list", "alice/demo"]) as? [[String: Any]]).count == 2)

        // Removed, the key no longer reaches the repository.
        #expect(try forge.curl("\(keysPath)/\(readerID)", token: "alice", ["-X", "DELETE"]).status == 204)
        #expect(try git(["clone", "-q", "git@forge:alice/demo.git", "again"], key: readerID).status != 0)
        #expect(try forge.curl("\(keysPath)/\(readerID)", token: "alice", ["-X", "DELETE"]).status == 404)
        #expect(try forge.curl("/api/v1/repos/alice/secret/keys/\(writerID)", token: "alice", ["-X", "DELETE"]).status == 404,
                "a key of another repository is not found through this one")
        #expect(try #require(try forge.plue.json(["deploy-key", "list", "alice/demo"]) as? [[String: Any]]).count == 1)
    }
}
