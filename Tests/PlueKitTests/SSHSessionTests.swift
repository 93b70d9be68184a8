import Foundation
import PlueKit
import PlueTestSupport
import Testing

/// The decisions `ssh-authorize` and `ssh-serve` make, without sshd (the integration test has sshd).
@Suite struct SSHSessionTests {
    let forge: Forge
    let keys: TemporaryDirectory
    let aliceKey: SSHKey
    let bobKey: SSHKey
    let deployKey: DeployKey
    let alicePublic: GeneratedKey

    init() throws {
        forge = try Forge(user: "alice")
        keys = TemporaryDirectory("plue-session-keys")
        _ = try forge.plue.users.create(name: "bob", email: "bob@example.com", admin: false, as: .operator)
        _ = try forge.plue.repositories.create("alice/public", as: .operator)
        _ = try forge.plue.repositories.create("alice/secret", isPrivate: true, as: .operator)
        alicePublic = try GeneratedKey.make("ed25519", in: keys.path)
        aliceKey = try forge.plue.keys.addUserKey(user: "alice", title: "a", publicKey: alicePublic.publicKeyLine, as: .operator)
        bobKey = try forge.plue.keys.addUserKey(user: "bob", title: "b", publicKey: GeneratedKey.make("ecdsa", bits: 256, in: keys.path).publicKeyLine, as: .operator)
        deployKey = try forge.plue.keys.addDeployKey(repository: "alice/secret", title: "d",
                                                     publicKey: GeneratedKey.make("ed25519", in: keys.path).publicKeyLine, writable: false, as: .operator)
    }

    @Test func authorizePrintsTheForcedCommandForKnownKeysOnly() throws {
        let authorizer = forge.plue.sshAuthorizer
        let line = try #require(try authorizer.authorize(account: "git", type: alicePublic.type, base64: alicePublic.base64, gitUser: nil))
        let binary = try PlueBinary.path
        #expect(line == "command=\"\(binary) ssh-serve --home \(forge.home.root) key-\(aliceKey.id)\",restrict \(alicePublic.type) \(alicePublic.base64)")
        #expect(try authorizer.authorize(account: "root", type: alicePublic.type, base64: alicePublic.base64, gitUser: nil) == nil)
        #expect(try authorizer.authorize(account: "forge", type: alicePublic.type, base64: alicePublic.base64, gitUser: "forge") != nil)
        let stranger = try GeneratedKey.make("ed25519", in: keys.path)
        #expect(try authorizer.authorize(account: "git", type: stranger.type, base64: stranger.base64, gitUser: nil) == nil)
        #expect(try authorizer.authorize(account: "git", type: "ssh-ed25519", base64: "not base64!", gitUser: nil) == nil)

        let log = try String(contentsOfFile: forge.home.sshLogPath, encoding: .utf8).split(separator: "\n")
        let aliceFingerprint = try alicePublic.sshKeygenFingerprint()
        let strangerFingerprint = try stranger.sshKeygenFingerprint()
        #expect(log.count == 5)
        #expect(log[0].contains("result=allowed") && log[0].contains("key=\(aliceFingerprint)") && log[0].contains("user=alice"))
        #expect(log[1].contains("result=refused-account") && log[1].contains("account=root"))
        #expect(log[3].contains("result=unknown-key") && log[3].contains("key=\(strangerFingerprint)"))
    }

    @Test func authorizePrintsOnlyAKnownTypeThatIsTheKeysOwn() throws {
        let authorizer = forge.plue.sshAuthorizer
        // sshd passes %t as it is: a type with a newline would make a second authorized_keys line
        // without command= or restrict.
        for type in ["ssh-ed25519\nssh-ed25519 AAAA", "ssh-rsa", "", "ssh-ed25519 ", "ecdsa-sha2-nistp256", "x\u{0}"] {
            #expect(try authorizer.authorize(account: "git", type: type, base64: alicePublic.base64, gitUser: nil) == nil,
                    "\(type.debugDescription)")
        }
        let line = try #require(try authorizer.authorize(account: "git", type: alicePublic.type, base64: alicePublic.base64, gitUser: nil))
        #expect(!line.contains("\n") && line.hasPrefix("command=") && line.contains(",restrict \(alicePublic.type) "))
        let log = try String(contentsOfFile: forge.home.sshLogPath, encoding: .utf8).split(separator: "\n")
        #expect(log.filter { $0.contains("result=refused-key-type") }.count == 6)
    }

    @Test func plansFollowPermissions() throws {
        let sessions = forge.plue.sshSessions
        func plan(_ key: Int64, _ command: String?) throws -> SSHSessionService.Plan {
            try sessions.plan(keyArgument: "key-\(key)", command: command, gitProtocol: "version=2")
        }
        guard case .git(let git, let arguments, let environment) = try plan(aliceKey.id, "git-receive-pack 'alice/secret.git'") else {
            Issue.record("the owner may push"); return
        }
        // The hook's script is GitTransport's; the end-to-end tests show what it does.
        let elided = arguments.map { $0.hasPrefix("uploadpack.packObjectsHook=") ? "uploadpack.packObjectsHook=..." : $0 }
        #expect(git.hasSuffix("/git") && elided == ["-c", "uploadpack.hideRefs=refs/plue/", "-c", "receive.hideRefs=refs/plue/",
                                                    "-c", "uploadpack.packObjectsHook=...", "-c", "uploadarchive.allowUnreachable=false",
                                                    "receive-pack", forge.home.root + "/repos/alice/secret.git"])
        #expect(environment == ["PLUE_PUSHER": "alice", "GIT_PROTOCOL": "version=2"])

        // bob: reads public, cannot push to it, cannot see secret (same answer as a missing repository).
        guard case .git = try plan(bobKey.id, "git-upload-pack '/alice/public'") else { Issue.record("bob may read"); return }
        #expect(plueError { _ = try plan(bobKey.id, "git-receive-pack 'alice/public'") }?.code == .permissionDenied)
        let hidden = plueError { _ = try plan(bobKey.id, "git-upload-pack 'alice/secret'") }
        let missing = plueError { _ = try plan(bobKey.id, "git-upload-pack 'alice/nothing'") }
        #expect(hidden?.code == .notFound && hidden?.message.replacingOccurrences(of: "secret", with: "X")
            == missing?.message.replacingOccurrences(of: "nothing", with: "X"))
        #expect(plueError { _ = try plan(bobKey.id, "git-upload-pack '/etc/passwd'") }?.code == .notFound)

        // The deploy key reads its repository only, and pushes nowhere.
        guard case .git(_, _, let deployEnvironment) = try plan(deployKey.id, "git-upload-pack 'alice/secret'") else {
            Issue.record("the deploy key may read"); return
        }
        #expect(deployEnvironment["PLUE_DEPLOY_KEY"] == String(deployKey.id) && deployEnvironment["PLUE_PUSHER"] == nil)
        #expect(plueError { _ = try plan(deployKey.id, "git-receive-pack 'alice/secret'") }?.code == .permissionDenied)
        #expect(plueError { _ = try plan(deployKey.id, "git-upload-pack 'alice/public'") }?.code == .notFound)
    }

    @Test func greetingsAndRefusals() throws {
        let sessions = forge.plue.sshSessions
        #expect(try sessions.plan(keyArgument: "key-\(aliceKey.id)", command: nil, gitProtocol: nil)
            == .greeting("Hi alice! You have authenticated, but plue does not provide shell access."))
        #expect(try sessions.plan(keyArgument: "key-\(bobKey.id)", command: "", gitProtocol: nil)
            == .greeting("Hi bob! You have authenticated, but plue does not provide shell access."))
        #expect(plueError { _ = try sessions.plan(keyArgument: "key-\(aliceKey.id)", command: "sh -c id", gitProtocol: nil) }?.code == .invalidInput)
        for argument in ["key-0", "key-x", "1", "key-", "key--1", "key-999999"] {
            #expect(plueError { _ = try sessions.plan(keyArgument: argument, command: nil, gitProtocol: nil) } != nil, "\(argument)")
        }
        // A key removed after login is refused.
        _ = try forge.plue.keys.removeUserKey(id: bobKey.id, as: .operator)
        #expect(plueError { _ = try sessions.plan(keyArgument: "key-\(bobKey.id)", command: nil, gitProtocol: nil) }?.code == .permissionDenied)
        // A hostile GIT_PROTOCOL is dropped, not passed to git.
        guard case .git(_, _, let environment) = try sessions.plan(keyArgument: "key-\(aliceKey.id)",
                                                                    command: "git-upload-pack 'alice/public'", gitProtocol: "version=2;id") else {
            Issue.record("expected a git plan"); return
        }
        #expect(environment["GIT_PROTOCOL"] == nil)
    }
}
