import Foundation
import PlueTestSupport
import Testing

/// Clone and push over SSH through a real sshd that asks `plue ssh-authorize` and forces every
/// session through `plue ssh-serve`, with the real git client and real ed25519 keys.
@Suite(.serialized) struct SSHAccessTests {
    @Test func cloneAndPushOverSSHWithPermissionsAndDeployKeys() throws {
        let server = try SSHServer()
        defer { server.stop() }
        let keys = server.directory.child("keys")
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: true)
        func key(_ name: String) throws -> GeneratedKey { try GeneratedKey.make("ed25519", in: keys, name: name) }
        let alice = try key("alice"), bob = try key("bob"), stranger = try key("stranger")
        let reader = try key("deploy-read"), writer = try key("deploy-write")

        for name in ["alice", "bob"] { try server.asGit(["user", "create", name, "--email", "\(name)@example.com"]) }
        try server.asGit(["repo", "create", "alice/demo", "--private"])
        try server.asGit(["ssh-key", "add", "alice", "--title", "laptop", "--file", alice.publicKeyPath])
        try server.asGit(["ssh-key", "add", "bob", "--title", "laptop", "-"], input: Data(bob.publicKeyLine.utf8))
        try server.asGit(["repo", "collaborator", "add", "alice/demo", "bob", "--permission", "read"])
        let readerJSON = try server.asGit(["deploy-key", "add", "alice/demo", "--title", "ci", "--file", reader.publicKeyPath, "--json"])
        let writerJSON = try server.asGit(["deploy-key", "add", "alice/demo", "--title", "deploy", "--file", writer.publicKeyPath, "--write", "--json"])
        let writerID = try #require((try JSONSerialization.jsonObject(with: Data(writerJSON.utf8)) as? [String: Any])?["id"] as? Int)
        #expect(readerJSON.contains("\"writable\": false"))

        let work = server.directory.child("work")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        func git(_ arguments: [String], key: GeneratedKey, in directory: String? = nil, trace: Bool = false) throws -> CommandResult {
            var environment = Command.environment(["GIT_SSH_COMMAND": server.sshCommand(key: key.privateKeyPath)])
            if trace { environment["GIT_TRACE_PACKET"] = "1" }
            return try Command.run("/usr/bin/git", arguments, in: directory ?? work, environment: environment)
        }

        // The owner clones the empty repository and pushes.
        let clone = try git(["clone", "-q", server.url("alice/demo"), "alice"], key: alice)
        #expect(clone.status == 0, "\(clone.errorOutput)\n\(server.log)")
        try "hello over ssh\n".write(toFile: work + "/alice/README", atomically: true, encoding: .utf8)
        try Command.git(["add", "README"], in: work + "/alice")
        try Command.git(["commit", "-q", "-m", "over ssh"], in: work + "/alice")
        let push = try git(["push", "-q", "origin", "main"], key: alice, in: work + "/alice")
        #expect(push.status == 0, "\(push.errorOutput)")
        let tip = try Command.git(["rev-parse", "HEAD"], in: work + "/alice")
        #expect(try Command.git(["-c", "safe.directory=*", "-C", server.home + "/repos/alice/demo.git", "rev-parse", "main"]) == tip)

        // The push event names the pusher.
        let events = try JSONSerialization.jsonObject(with: Data(try server.asGit(["repo", "events", "alice/demo", "--json"]).utf8)) as? [[String: Any]]
        #expect(events?.first?["pusher"] as? String == "alice" && events?.first?["newCommit"] as? String == tip)

        // A read collaborator clones and is refused on push.
        let bobClone = try git(["clone", "-q", server.url("alice/demo"), "bob"], key: bob)
        #expect(bobClone.status == 0, "\(bobClone.errorOutput)")
        #expect(try String(contentsOfFile: work + "/bob/README", encoding: .utf8) == "hello over ssh\n")
        try Command.git(["commit", "-q", "--allow-empty", "-m", "bob"], in: work + "/bob")
        let bobPush = try git(["push", "origin", "main"], key: bob, in: work + "/bob")
        #expect(bobPush.status != 0 && bobPush.errorOutput.contains("you have read access to alice/demo"), "\(bobPush.errorOutput)")

        // An unknown key is refused by sshd itself.
        let strangerClone = try git(["clone", "-q", server.url("alice/demo"), "stranger"], key: stranger)
        #expect(strangerClone.status != 0 && strangerClone.errorOutput.contains("Permission denied (publickey)"), "\(strangerClone.errorOutput)")

        // The read-only deploy key fetches but cannot push; the read-write one pushes.
        #expect(try git(["clone", "-q", server.url("alice/demo"), "ci"], key: reader).status == 0)
        try Command.git(["commit", "-q", "--allow-empty", "-m", "ci"], in: work + "/ci")
        let readerPush = try git(["push", "origin", "main"], key: reader, in: work + "/ci")
        #expect(readerPush.status != 0 && readerPush.errorOutput.contains("read access"), "\(readerPush.errorOutput)")
        let writerPush = try git(["push", "-q", "origin", "main"], key: writer, in: work + "/ci")
        #expect(writerPush.status == 0, "\(writerPush.errorOutput)")
        let newest = try JSONSerialization.jsonObject(with: Data(try server.asGit(["repo", "events", "alice/demo", "-n", "1", "--json"]).utf8)) as? [[String: Any]]
        #expect(newest?.first?["deployKey"] as? Int == writerID && newest?.first?["pusher"] is NSNull)

        // Protocol v2 is negotiated end to end (GIT_PROTOCOL passes through sshd and ssh-serve).
        let lsRemote = try git(["-c", "protocol.version=2", "ls-remote", server.url("alice/demo")], key: alice, trace: true)
        #expect(lsRemote.status == 0 && lsRemote.text.contains("refs/heads/main"))
        #expect(lsRemote.errorOutput.contains("< version 2"), "protocol v2 was not negotiated")

        // A plain login greets and gives no shell; a command outside git is refused and runs nothing.
        let shell = try Command.run("/usr/bin/ssh", server.sshCommand(key: alice.privateKeyPath).split(separator: " ").dropFirst().map(String.init)
                                    + ["git@127.0.0.1"])
        #expect(shell.status == 1 && shell.text.contains("Hi alice! You have authenticated, but plue does not provide shell access."))
        let marker = server.directory.child("pwned")
        let hostile = try Command.run("/usr/bin/ssh", server.sshCommand(key: alice.privateKeyPath).split(separator: " ").dropFirst().map(String.init)
                                      + ["git@127.0.0.1", "touch \(marker)"])
        #expect(hostile.status != 0 && hostile.errorOutput.contains("refused"))
        #expect(!FileManager.default.fileExists(atPath: marker))

        // A private repository is "not found" to an account that may not see it, like a missing one.
        try server.asGit(["repo", "collaborator", "remove", "alice/demo", "bob"])
        let hidden = try git(["ls-remote", server.url("alice/demo")], key: bob)
        let missing = try git(["ls-remote", server.url("alice/nothing")], key: bob)
        #expect(hidden.status != 0 && hidden.errorOutput.contains("not found, or you have no access"))
        #expect(missing.status != 0 && missing.errorOutput.contains("not found, or you have no access"))

        // Every decision of the key lookup is in the log, with the fingerprint ssh-keygen gives.
        let log = try String(contentsOfFile: server.home + "/log/ssh.log", encoding: .utf8)
        let aliceFingerprint = try alice.sshKeygenFingerprint(), strangerFingerprint = try stranger.sshKeygenFingerprint()
        #expect(log.contains("result=allowed") && log.contains("key=\(aliceFingerprint)"))
        #expect(log.contains("result=unknown-key") && log.contains("key=\(strangerFingerprint)"))
    }

    /// refs/plue/ (sessions' history, land results) over a real sshd: invisible to a reader in both
    /// protocol versions, not fetchable or archivable by name, and refused on push, even to the
    /// owner; a local push is refused by the pre-receive hook.
    @Test func privateRefsAreHiddenAndRefusedOverSSH() throws {
        let server = try SSHServer()
        defer { server.stop() }
        let (alice, bob, work) = try Self.ownerAndReader(server)
        func git(_ arguments: [String], key: GeneratedKey, in directory: String? = nil) throws -> CommandResult {
            try Self.git(server, arguments, key: key, in: directory ?? work)
        }
        try "public\n".write(toFile: work + "/alice/README", atomically: true, encoding: .utf8)
        try Command.git(["add", "README"], in: work + "/alice")
        try Command.git(["commit", "-q", "-m", "public"], in: work + "/alice")
        #expect(try git(["push", "-q", "origin", "main"], key: alice, in: work + "/alice").status == 0)

        // A private session writes something.
        let session = try #require(try JSONSerialization.jsonObject(with: Data(try server.asGit(["session", "new", "alice/demo", "--json"]).utf8))
            as? [String: Any])
        let id = try #require(session["id"] as? String)
        let turn = try Command.run("/usr/sbin/runuser", ["-u", SSHServer.gitUser, "--", server.plue, "session", "turn", id, "--home", server.home,
                                                          "-m", "secret", "--", "sh", "-c", "echo private-agent-notes > notes.txt"])
        #expect(turn.status == 0, "\(turn.errorOutput)")
        let bare = server.home + "/repos/alice/demo.git"
        let bookmark = try Command.git(["-c", "safe.directory=*", "-C", bare, "rev-parse", "refs/plue/sessions/\(id)"])

        for version in ["0", "2"] {
            let listing = try git(["-c", "protocol.version=\(version)", "ls-remote", server.url("alice/demo")], key: bob)
            #expect(listing.status == 0 && listing.text.contains("refs/heads/main") && !listing.text.contains("refs/plue"), "v\(version): \(listing.text)")
        }
        let fetch = try git(["-C", work + "/alice", "fetch", server.url("alice/demo"), "refs/plue/sessions/\(id):refs/stolen"], key: bob)
        #expect(fetch.status != 0, "\(fetch.errorOutput)")
        // By its id too (aCommitOnlyASessionReachesIsNotFetchableByItsIDOverSSH has both versions).
        let byID = try git(["-c", "protocol.version=0", "-C", work + "/alice", "fetch", server.url("alice/demo"), bookmark], key: bob)
        #expect(byID.status != 0, "a hidden commit is not fetchable by its id over protocol v0")
        for name in ["refs/plue/sessions/\(id)", "plue/sessions/\(id)", "refs/plue/sessions/\(id):notes.txt"] {
            let archive = try git(["archive", "--remote", server.url("alice/demo"), name], key: bob)
            #expect(archive.status != 0 && !archive.text.contains("private-agent-notes"), "\(name): \(archive.errorOutput)")
        }
        let main = try git(["archive", "--remote", server.url("alice/demo"), "main"], key: bob)
        #expect(main.status == 0 && main.text.contains("public"), "archiving a branch still works: \(main.errorOutput)")

        // Not even the owner pushes there, over SSH or locally.
        let keep = try Command.git(["-c", "safe.directory=*", "-C", bare, "for-each-ref", "--format=%(refname)", "refs/plue/keep"])
            .split(separator: "\n").first.map(String.init) ?? ""
        #expect(!keep.isEmpty)
        for refspec in ["HEAD:refs/plue/sessions/\(id)", ":" + keep, "HEAD:refs/plue/new"] {
            let push = try git(["push", "-f", "origin", refspec], key: alice, in: work + "/alice")
            #expect(push.status != 0, "\(refspec): \(push.errorOutput)")
        }
        #expect(try Command.git(["-c", "safe.directory=*", "-C", bare, "rev-parse", "refs/plue/sessions/\(id)"]) == bookmark)
        #expect(try Command.git(["-c", "safe.directory=*", "-C", bare, "rev-parse", "--verify", "-q", keep]).isEmpty == false)
        let local = try Command.run("/usr/sbin/runuser", ["-u", SSHServer.gitUser, "--", "git", "-c", "safe.directory=*", "-C", work + "/alice",
                                                           "push", bare, "HEAD:refs/plue/local"])
        #expect(local.status != 0 && local.errorOutput.contains("Plue's own"), "\(local.errorOutput)")
    }

    /// A commit only a session's refs reach is not served by its id over SSH, in protocol v2 or v0,
    /// not even to a client that ignores what the server advertises; a public commit by its id still
    /// is, the tip a session reaches too as well as an older one.
    @Test func aCommitOnlyASessionReachesIsNotFetchableByItsIDOverSSH() throws {
        let server = try SSHServer()
        defer { server.stop() }
        let (alice, bob, work) = try Self.ownerAndReader(server)
        func git(_ arguments: [String], key: GeneratedKey, in directory: String? = nil) throws -> CommandResult {
            try Self.git(server, arguments, key: key, in: directory ?? work)
        }
        for message in ["first", "second"] { try Command.git(["commit", "-q", "--allow-empty", "-m", message], in: work + "/alice") }
        #expect(try git(["push", "-q", "origin", "main"], key: alice, in: work + "/alice").status == 0)
        let older = try Command.git(["rev-parse", "HEAD~1"], in: work + "/alice"), tip = try Command.git(["rev-parse", "HEAD"], in: work + "/alice")

        let session = try #require(try JSONSerialization.jsonObject(with: Data(try server.asGit(["session", "new", "alice/demo", "--json"]).utf8))
            as? [String: Any])
        let id = try #require(session["id"] as? String), workdir = try #require(session["workdir"] as? String)
        let write = try Command.run("/usr/sbin/runuser", ["-u", SSHServer.gitUser, "--", "sh", "-c", "echo private-agent-notes > \"$1\"", "sh",
                                                          workdir + "/notes.txt"])
        #expect(write.status == 0, "\(write.errorOutput)")
        try server.asGit(["session", "snapshot", id, "-m", "private"])
        let bare = server.home + "/repos/alice/demo.git"
        func inBare(_ arguments: [String]) throws -> String { try Command.git(["-c", "safe.directory=*", "-C", bare] + arguments) }
        let hidden = try inBare(["rev-parse", "refs/plue/sessions/\(id)"])
        let parent = try inBare(["rev-parse", hidden + "~1"])
        #expect(hidden != tip && parent == tip, "the snapshot sits on main")
        #expect(try inBare(["for-each-ref", "--contains", hidden, "--format=%(refname)", "refs/heads", "refs/tags"]).isEmpty)

        func fetch(_ object: String, version: String) throws -> (result: CommandResult, fetched: Bool) {
            let client = work + "/client-\(UUID().uuidString)"
            try Command.git(["init", "-q", "--bare", client])
            let result = try git(["-C", client, "-c", "protocol.version=" + version, "fetch", server.url("alice/demo"), object], key: bob)
            return (result, try Command.run("/usr/bin/git", ["-C", client, "cat-file", "-e", object]).status == 0)
        }
        try expectOnlyPublicCommitsByID(hidden: hidden, tip: tip, older: older) { try fetch($0, version: $1) }
        // git archive --remote takes ref names only (uploadArchive.allowUnreachable stays false).
        for name in [hidden, hidden + ":notes.txt"] {
            let archive = try git(["archive", "--remote", server.url("alice/demo"), name], key: bob)
            #expect(archive.status != 0 && !archive.text.contains("private-agent-notes"), "\(name): \(archive.errorOutput)")
        }

        // By hand in protocol v0, as a client that asks for what was never advertised.
        func upload(_ request: Data) throws -> Data {
            let ssh = server.sshCommand(key: bob.privateKeyPath).split(separator: " ").dropFirst().map(String.init)
            return try Command.run("/usr/bin/ssh", ssh + ["git@127.0.0.1", "git-upload-pack 'alice/demo'"], input: request).output
        }
        let file = try inBare(["rev-parse", hidden + ":notes.txt"])
        for object in [hidden, file] { #expect(!FetchRequest.holdsPack(try upload(FetchRequest.version0(want: object))), "\(object)") }
        #expect(FetchRequest.holdsPack(try upload(FetchRequest.version0(want: tip))), "v0 serves main's tip")
    }

    /// alice owning the private alice/demo and bob reading it, each with a key; and a folder to work
    /// in, holding alice's clone of the empty repository over SSH in `alice`.
    static func ownerAndReader(_ server: SSHServer) throws -> (alice: GeneratedKey, bob: GeneratedKey, work: String) {
        let keys = server.directory.child("keys")
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: true)
        let alice = try GeneratedKey.make("ed25519", in: keys, name: "alice"), bob = try GeneratedKey.make("ed25519", in: keys, name: "bob")
        for name in ["alice", "bob"] { try server.asGit(["user", "create", name, "--email", "\(name)@example.com"]) }
        try server.asGit(["repo", "create", "alice/demo", "--private"])
        try server.asGit(["ssh-key", "add", "alice", "--title", "a", "--file", alice.publicKeyPath])
        try server.asGit(["ssh-key", "add", "bob", "--title", "b", "--file", bob.publicKeyPath])
        try server.asGit(["repo", "collaborator", "add", "alice/demo", "bob", "--permission", "read"])
        let work = server.directory.child("work")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let clone = try git(server, ["clone", "-q", server.url("alice/demo"), "alice"], key: alice, in: work)
        try #require(clone.status == 0, "\(clone.errorOutput)")
        return (alice, bob, work)
    }

    /// The real git client over `server`'s sshd with `key`.
    static func git(_ server: SSHServer, _ arguments: [String], key: GeneratedKey, in directory: String) throws -> CommandResult {
        try Command.run("/usr/bin/git", arguments, in: directory,
                        environment: Command.environment(["GIT_SSH_COMMAND": server.sshCommand(key: key.privateKeyPath)]))
    }
}
