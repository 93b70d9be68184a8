import Foundation
import PlueTestSupport
import Testing

/// Who may fetch and push over HTTP: one 401 for anyone without a token, whether the repository is
/// private or missing; 404 for an account that may not see it; 403 for a token without the scope,
/// outside its repositories or its session, or an account without write; 401 for a revoked token;
/// refs/plue/ hidden and refused; a client killed mid-push leaves nothing behind.
@Suite struct GitHTTPAccessTests {
    /// The whole response as curl prints it with -i, without the Date header (the only line that
    /// may differ by the clock).
    func fullResponse(_ forge: GitHTTPForge, _ path: String, _ arguments: [String] = []) throws -> String {
        let result = try Command.run("/usr/bin/curl", ["-s", "-i", "--max-time", "30"] + arguments + [forge.server.url + path])
        return result.text.split(separator: "\r\n", omittingEmptySubsequences: false)
            .filter { !$0.lowercased().hasPrefix("date:") }.joined(separator: "\r\n")
    }

    @Test func aPrivateRepositoryIsAnsweredAsAMissingOne() throws {
        let forge = try GitHTTPForge()
        func post(_ service: String) -> [String] { ["-H", "Content-Type: application/x-\(service)-request", "--data-binary", "0000"] }
        for (suffix, arguments) in [("/info/refs?service=git-upload-pack", []), ("/info/refs?service=git-receive-pack", []),
                                    ("/git-upload-pack", post("git-upload-pack")), ("/git-receive-pack", post("git-receive-pack"))] {
            let hidden = try fullResponse(forge, "/alice/secret.git" + suffix, arguments)
            let missing = try fullResponse(forge, "/alice/nothing.git" + suffix, arguments)
            #expect(hidden.hasPrefix("HTTP/1.1 401 "), "\(hidden)")
            #expect(hidden.contains("WWW-Authenticate: Basic realm=\"plue\""), "\(hidden)")
            #expect(hidden == missing, "\(suffix)")
        }
        // A public repository asks for credentials before a push, with the very same answer.
        #expect(try fullResponse(forge, "/alice/demo.git/info/refs?service=git-receive-pack")
            == fullResponse(forge, "/alice/nothing.git/info/refs?service=git-receive-pack"))

        let bob = ["-u", "bob:" + forge.tokens["bob"]!]
        let hidden = try forge.server.curl("/alice/secret.git/info/refs?service=git-upload-pack", bob)
        let missing = try forge.server.curl("/alice/nothing.git/info/refs?service=git-upload-pack", bob)
        #expect(hidden.status == 404 && missing.status == 404)
        #expect(hidden.body.replacingOccurrences(of: "secret", with: "X") == missing.body.replacingOccurrences(of: "nothing", with: "X"))

        let anonymous = try forge.git(["clone", forge.url("alice/secret.git"), forge.directory.child("anonymous")])
        #expect(anonymous.status != 0 && anonymous.errorOutput.contains("could not read Username"), "\(anonymous.errorOutput)")
        let stranger = try forge.git(["clone", forge.url("alice/secret.git", token: forge.tokens["bob"]), forge.directory.child("bob")])
        #expect(stranger.status != 0 && stranger.errorOutput.contains("remote: repository alice/secret not found"), "\(stranger.errorOutput)")
        let owner = try forge.git(["clone", forge.url("alice/secret.git", token: forge.tokens["alice"]), forge.directory.child("alice")])
        #expect(owner.status == 0, "\(owner.errorOutput)")
    }

    @Test func aPushNeedsWriteAccessAndATokenThatReachesTheRepository() throws {
        let forge = try GitHTTPForge()
        let session = try #require((try forge.plue.json(["session", "new", "alice/demo"]) as? [String: Any])?["id"] as? String)
        let sessionToken = try GitHTTPForge.token(forge.plue, "alice", "agent", ["--scope", "write:repository", "--session", session])
        let revoked = try GitHTTPForge.token(forge.plue, "alice", "old", ["--scope", "write:repository"])
        let revokedID = try #require((try forge.plue.json(["token", "list", "alice"]) as? [[String: Any]])?
            .first { $0["name"] as? String == "old" }?["id"] as? Int)
        try forge.plue.ok(["token", "revoke", String(revokedID)])

        let clone = try forge.clone("clone")
        try Command.git(["commit", "-q", "--allow-empty", "-m", "refused"], in: clone)
        let before = try forge.refs()
        func push(_ token: String) throws -> CommandResult {
            try forge.git(["push", forge.url("alice/demo.git", token: token), "main"], in: clone)
        }
        let readOnly = try push(forge.tokens["alice-read"]!)
        #expect(readOnly.status != 0 && readOnly.errorOutput.contains("remote: this token holds only read:repository"), "\(readOnly.errorOutput)")
        #expect(readOnly.errorOutput.contains("403"))
        let elsewhere = try push(forge.tokens["alice-secret"]!)
        #expect(elsewhere.status != 0 && elsewhere.errorOutput.contains("reaches only the repositories"), "\(elsewhere.errorOutput)")
        let agent = try push(sessionToken)
        #expect(agent.status != 0 && agent.errorOutput.contains("reaches only session \(session)"), "\(agent.errorOutput)")
        let bob = try push(forge.tokens["bob"]!)
        #expect(bob.status != 0 && bob.errorOutput.contains("you have read access to alice/demo as bob"), "\(bob.errorOutput)")
        let old = try push(revoked)
        #expect(old.status != 0 && old.errorOutput.contains("Authentication failed"), "\(old.errorOutput)")
        #expect(try forge.refs() == before, "no refused push changed a ref")

        let outcomes = try #require(try forge.plue.json(["audit", "list"]) as? [[String: Any]]).compactMap { $0["outcome"] as? String }
        #expect(Set(outcomes) == ["missing_scope", "outside_repositories", "outside_session"], "\(outcomes)")
        #expect(try push(forge.tokens["alice"]!).status == 0)
        #expect(forge.childrenGone())
    }

    @Test func privateRefsAreNotAdvertisedAndCannotBePushed() throws {
        let forge = try GitHTTPForge()
        try forge.plue.ok(["session", "new", "alice/demo"])
        #expect(try forge.refs().contains("refs/plue/sessions/"), "the session made its refs")
        for version in ["0", "2"] {
            let listed = try forge.git(["-c", "protocol.version=" + version, "ls-remote", forge.url("alice/demo.git", token: forge.tokens["alice"])])
            #expect(listed.status == 0 && listed.text.contains("refs/heads/main"), "\(listed.errorOutput)")
            #expect(!listed.text.contains("refs/plue"), "protocol \(version): \(listed.text)")
        }
        let clone = try forge.clone("clone")
        let bookmark = try #require(try forge.refs().split(separator: "\n").first { $0.contains("refs/plue/sessions/") })
        let name = String(bookmark.split(separator: "\t")[1])
        let byName = try forge.git(["fetch", forge.url("alice/demo.git", token: forge.tokens["alice"]), name], in: clone)
        #expect(byName.status != 0 && byName.errorOutput.contains("couldn't find remote ref"), "\(byName.errorOutput)")
        let push = try forge.git(["push", forge.url("alice/demo.git", token: forge.tokens["alice"]), "HEAD:refs/plue/x"], in: clone)
        #expect(push.status != 0 && push.errorOutput.contains("refs/plue/x"), "\(push.errorOutput)")
        #expect(!(try forge.refs().contains("refs/plue/x")))
    }

    /// A commit only a session's refs reach is not served by its id, in protocol v2 or v0, not even
    /// to a client that ignores what the server advertises; a public commit by its id still is,
    /// the tip a session reaches too as well as an older one.
    @Test func aCommitOnlyASessionReachesIsNotFetchableByItsID() throws {
        let forge = try GitHTTPForge()
        let seed = forge.directory.child("seed"), bare = forge.plue.home + "/repos/alice/demo.git"
        try Command.git(["commit", "-q", "--allow-empty", "-m", "second"], in: seed)
        try Command.git(["push", "-q", bare, "main"], in: seed)
        let older = try Command.git(["rev-parse", "HEAD~1"], in: seed), tip = try Command.git(["rev-parse", "HEAD"], in: seed)

        let session = try #require(try forge.plue.json(["session", "new", "alice/demo"]) as? [String: Any])
        let id = try #require(session["id"] as? String), workdir = try #require(session["workdir"] as? String)
        try "private-agent-notes\n".write(toFile: workdir + "/notes.txt", atomically: true, encoding: .utf8)
        try forge.plue.ok(["session", "snapshot", id, "-m", "private"])
        let hidden = try Command.git(["-C", bare, "rev-parse", "refs/plue/sessions/\(id)"])
        let parent = try Command.git(["-C", bare, "rev-parse", hidden + "~1"])
        #expect(hidden != tip && parent == tip, "the snapshot sits on main")
        #expect(try Command.git(["-C", bare, "for-each-ref", "--contains", hidden, "--format=%(refname)", "refs/heads", "refs/tags"]).isEmpty)

        func fetch(_ object: String, version: String) throws -> (result: CommandResult, fetched: Bool) {
            let client = forge.directory.child("client-\(UUID().uuidString)")
            try Command.git(["init", "-q", "--bare", client])
            let result = try forge.git(["-C", client, "-c", "protocol.version=" + version, "fetch", forge.url("alice/demo.git"), object])
            return (result, try Command.run("/usr/bin/git", ["-C", client, "cat-file", "-e", object]).status == 0)
        }
        try expectOnlyPublicCommitsByID(hidden: hidden, tip: tip, older: older) { try fetch($0, version: $1) }

        // By hand, as a client that asks for what was never advertised.
        func post(_ body: Data, version2: Bool) throws -> Data {
            let path = forge.directory.child("request-\(UUID().uuidString)")
            try body.write(to: URL(fileURLWithPath: path))
            let headers = ["-H", "Content-Type: application/x-git-upload-pack-request"] + (version2 ? ["-H", "Git-Protocol: version=2"] : [])
            return try Command.run("/usr/bin/curl", ["-s", "--max-time", "30"] + headers
                                   + ["--data-binary", "@" + path, forge.server.url + "/alice/demo.git/git-upload-pack"]).output
        }
        // git's own v0 check over HTTP looks at commits only, and would send the session's file by its id.
        let file = try Command.git(["-C", bare, "rev-parse", hidden + ":notes.txt"])
        for object in [hidden, file] {
            #expect(!FetchRequest.holdsPack(try post(FetchRequest.version0(want: object), version2: false)), "v0 \(object)")
            #expect(!FetchRequest.holdsPack(try post(FetchRequest.version2(want: object), version2: true)), "v2 \(object)")
        }
        #expect(FetchRequest.holdsPack(try post(FetchRequest.version0(want: older), version2: false)), "v0 serves what main reaches")
        #expect(FetchRequest.holdsPack(try post(FetchRequest.version2(want: older), version2: true)), "v2 serves what main reaches")
        #expect(forge.childrenGone(), "git processes left: \(forge.children)")
    }

    @Test func aClientKilledMidPushLeavesNothingBehind() throws {
        let forge = try GitHTTPForge(serveEnvironment: ["PLUE_TEST_SECRET_IN_SERVER": "leak"])
        let clone = try forge.clone("clone")
        let random = try Command.run("/usr/bin/head", ["-c", "3000000", "/dev/urandom"])
        try random.output.write(to: URL(fileURLWithPath: clone + "/slow.bin"))
        try Command.git(["add", "slow.bin"], in: clone)
        try Command.git(["commit", "-q", "-m", "slow"], in: clone)
        let tip = try Command.git(["rev-parse", "HEAD"], in: clone)
        // The body git would send: one ref update, then the pack.
        let update = "\(String(repeating: "0", count: 40)) \(tip) refs/heads/slow\0report-status\n"
        var body = Data((String(format: "%04x", update.utf8.count + 4) + update + "0000").utf8)
        let objects = try Command.git(["rev-list", "--objects", "HEAD", "^HEAD~1"], in: clone)
        body += try Command.run("/usr/bin/git", ["pack-objects", "--stdout", "-q"], in: clone, input: Data((objects + "\n").utf8)).output
        let bodyPath = forge.directory.child("body")
        try body.write(to: URL(fileURLWithPath: bodyPath))

        // Sent at 200 KB/s, so git is still reading when the client dies.
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-s", "-o", "/dev/null", "-u", "x:" + forge.tokens["alice"]!, "-H", "Content-Type: application/x-git-receive-pack-request",
                          "-H", "Expect:", "--limit-rate", "200k", "--data-binary", "@" + bodyPath, forge.server.url + "/alice/demo.git/git-receive-pack"]
        try curl.run()
        let deadline = Date().addingTimeInterval(10)
        while forge.children.isEmpty && Date() < deadline { usleep(20_000) }
        let git = try #require(forge.children.first, "git never started")
        // The child's environment is the allow-list plus the pusher, nothing else of the server's.
        var environment = ""
        // Read again until the child has exec'd git: before that it is a copy of the server,
        // whose environment has no pusher in it (and is empty for a moment during exec).
        for _ in 0..<200 where !environment.contains("PLUE_PUSHER=") {
            environment = String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(git)/environ"))) ?? Data(), as: UTF8.self)
            if !environment.contains("PLUE_PUSHER=") { usleep(10_000) }
        }
        #expect(environment.contains("PLUE_PUSHER=alice") && !environment.contains("PLUE_TEST_SECRET_IN_SERVER"))
        usleep(500_000)
        kill(curl.processIdentifier, SIGKILL)
        curl.waitUntilExit()

        #expect(forge.childrenGone(), "git processes left: \(forge.children)")
        let objectsDirectory = forge.plue.home + "/repos/alice/demo.git/objects"
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: objectsDirectory).filter { $0.contains("incoming") }
        #expect(leftovers.isEmpty, "git's quarantine was left: \(leftovers)")
        #expect(!(try forge.refs().contains("refs/heads/slow")))
        #expect(try forge.events().count == 1, "only the seed push is recorded")
        // The next push goes through and is recorded.
        let push = try forge.git(["push", forge.url("alice/demo.git", token: forge.tokens["alice"]), "HEAD:refs/heads/slow"], in: clone)
        #expect(push.status == 0, "\(push.errorOutput)")
        #expect(try forge.refs().contains("\(tip)\trefs/heads/slow"))
        #expect(try forge.events().first?["pusher"] as? String == "alice")
    }
}
