import Foundation
import PlueKit
import PlueTestSupport
import Testing

/// Who may do what with repositories, accounts and keys, through every service method: a private
/// repository is exactly as missing to a stranger, a reader reads and changes nothing, a deploy
/// key reaches its own repository only.
@Suite struct RepositoryAuthorizationTests {
    let forge: Forge
    let keys: TemporaryDirectory
    let secret: Repository

    init() throws {
        forge = try Forge(user: "alice")
        keys = TemporaryDirectory("plue-authorization-keys")
        for name in ["bob", "carol", "dave"] {
            _ = try forge.plue.users.create(name: name, email: "\(name)@example.com", admin: false, as: .operator)
        }
        _ = try forge.plue.users.create(name: "root1", email: "root1@example.com", admin: true, as: .operator)
        _ = try forge.plue.repositories.create("alice/public", as: .operator)
        secret = try forge.plue.repositories.create("alice/secret", isPrivate: true, as: .operator)
        let work = try forge.workTree(files: ["README.md": "secret\n"])
        try Command.git(["checkout", "-q", "-b", "feature"], in: work)
        try "more\n".write(toFile: work + "/more.txt", atomically: true, encoding: .utf8)
        try Command.git(["add", "-A"], in: work)
        try Command.git(["commit", "-q", "-m", "more"], in: work)
        try Command.git(["push", "-q", secret.path, "main", "feature"], in: work)
        _ = try forge.plue.access.addCollaborator(repository: "alice/secret", user: "bob", permission: .read, as: .operator)
        _ = try forge.plue.access.addCollaborator(repository: "alice/secret", user: "carol", permission: .write, as: .operator)
    }

    func user(_ name: String) throws -> Principal { .user(try forge.plue.users.show(name, as: .operator)) }

    func deployKey(writable: Bool) throws -> Principal {
        let key = try GeneratedKey.make("ed25519", in: keys.path)
        return .deployKey(try forge.plue.keys.addDeployKey(repository: "alice/secret", title: "ci", publicKey: key.publicKeyLine,
                                                           writable: writable, as: .operator))
    }

    /// Every call that names a repository, as `principal`, on `name`.
    func repositoryCalls(_ name: String, as principal: Principal) -> [(String, () throws -> Void)] {
        let plue = forge.plue
        return [
            ("show", { _ = try plue.repositories.show(name, as: principal) }),
            ("find", { _ = try plue.repositories.find(name, as: principal) }),
            ("log", { _ = try plue.repositories.log(name, as: principal) }),
            ("tree", { _ = try plue.repositories.tree(name, as: principal) }),
            ("cat", { _ = try plue.repositories.cat(name, path: "README.md", as: principal) }),
            ("events", { _ = try plue.pushes.events(name, as: principal) }),
            ("delete", { _ = try plue.repositories.delete(name, as: principal) }),
            ("collaborators", { _ = try plue.access.collaborators(repository: name, as: principal) }),
            ("add collaborator", { _ = try plue.access.addCollaborator(repository: name, user: "dave", permission: .admin, as: principal) }),
            ("remove collaborator", { try plue.access.removeCollaborator(repository: name, user: "bob", as: principal) }),
            ("deploy keys", { _ = try plue.keys.deployKeys(repository: name, as: principal) }),
            ("remove deploy key", { _ = try plue.keys.removeDeployKey(repository: name, id: 1, as: principal) }),
            ("session new", { _ = try plue.sessions.new(repository: name, as: principal) }),
            ("session list", { _ = try plue.sessions.list(repository: name, as: principal) }),
            ("session gc", { _ = try plue.sessions.collectGarbage(repository: name, as: principal) }),
            ("land list", { _ = try plue.landing.list(name, as: principal) }),
            ("land check", { _ = try plue.landing.check(name, source: .branch("feature"), as: principal) }),
            ("land enqueue", { _ = try plue.landing.enqueue(name, source: .branch("feature"), as: principal) }),
            ("land run", { try plue.landing.run(name, once: true, as: principal) { _ in } }),
        ]
    }

    /// The error for the hidden repository is the one for a missing repository, word for word.
    func expectHiddenAsMissing(_ principal: Principal, _ label: String) throws {
        let missing = repositoryCalls("alice/absent", as: principal)
        for ((call, hidden), (_, absent)) in zip(repositoryCalls("alice/secret", as: principal), missing) {
            let hiddenError = plueError(hidden), missingError = plueError(absent)
            #expect(hiddenError?.code == .notFound, "\(label): \(call): \(String(describing: hiddenError))")
            #expect(hiddenError?.message == missingError?.message.replacingOccurrences(of: "alice/absent", with: "alice/secret"),
                    "\(label): \(call)")
        }
        #expect(try forge.plue.repositories.show("alice/secret", as: .operator).branches.count == 2, "nothing was deleted")
    }

    @Test func aPrivateRepositoryIsNotFoundForAStrangerAsForAMissingOne() throws {
        try expectHiddenAsMissing(try user("dave"), "dave")
        let other = try GeneratedKey.make("ed25519", in: keys.path)
        let publicKey = try forge.plue.keys.addDeployKey(repository: "alice/public", title: "x", publicKey: other.publicKeyLine,
                                                         writable: true, as: .operator)
        try expectHiddenAsMissing(.deployKey(publicKey), "alice/public's deploy key")

        // The listing leaves it out; case and a .git suffix do not make it visible.
        #expect(try forge.plue.repositories.list(as: user("dave")).map(\.fullName) == ["alice/public"])
        #expect(try forge.plue.repositories.list(owner: "alice", as: user("dave")).map(\.fullName) == ["alice/public"])
        #expect(try forge.plue.repositories.list(as: user("bob")).map(\.fullName) == ["alice/public", "alice/secret"])
        #expect(try forge.plue.repositories.list(as: user("root1")).map(\.fullName) == ["alice/public", "alice/secret"])
        #expect(try forge.plue.repositories.list(as: .operator).map(\.fullName) == ["alice/public", "alice/secret"])
        let upper = plueError { _ = try forge.plue.repositories.show("alice/SECRET.git", as: user("dave")) }
        let absent = plueError { _ = try forge.plue.repositories.show("alice/ABSENT.git", as: user("dave")) }
        #expect(upper?.code == .notFound && upper?.message == absent?.message.replacingOccurrences(of: "ABSENT", with: "SECRET"))
    }

    @Test func aReadCollaboratorReadsAndIsDeniedEveryChange() throws {
        let bob = try user("bob")
        #expect(try forge.plue.repositories.show("alice/secret", as: bob).branches.count == 2)
        #expect(try forge.plue.repositories.log("alice/secret", as: bob).count == 1)
        #expect(try forge.plue.repositories.tree("alice/secret", as: bob).map(\.path) == ["README.md"])
        #expect(try forge.plue.repositories.cat("alice/secret", path: "README.md", as: bob) == Array("secret\n".utf8))
        #expect(try forge.plue.pushes.events("alice/secret", as: bob).count == 2)
        #expect(try forge.plue.landing.list("alice/secret", as: bob).isEmpty)
        #expect(try forge.plue.landing.check("alice/secret", source: .branch("feature"), onto: "main", as: bob).clean)
        #expect(try forge.plue.sessions.list(repository: "alice/secret", as: bob).isEmpty)

        let refused: [(String, () throws -> Void)] = [
            ("delete", { _ = try forge.plue.repositories.delete("alice/secret", as: bob) }),
            ("session new", { _ = try forge.plue.sessions.new(repository: "alice/secret", as: bob) }),
            ("land enqueue", { _ = try forge.plue.landing.enqueue("alice/secret", source: .branch("feature"), as: bob) }),
            ("land run", { try forge.plue.landing.run("alice/secret", once: true, as: bob) { _ in } }),
            ("collaborators", { _ = try forge.plue.access.collaborators(repository: "alice/secret", as: bob) }),
            ("add collaborator", { _ = try forge.plue.access.addCollaborator(repository: "alice/secret", user: "bob", permission: .admin, as: bob) }),
            ("deploy keys", { _ = try forge.plue.keys.deployKeys(repository: "alice/secret", as: bob) }),
            ("session gc", { _ = try forge.plue.sessions.collectGarbage(repository: "alice/secret", as: bob) }),
        ]
        for (call, body) in refused {
            let error = plueError(body)
            #expect(error?.code == .permissionDenied && error?.code.exitCode == 77, "\(call): \(String(describing: error))")
            #expect(error?.message.contains("you have read access to alice/secret as bob") == true, "\(call)")
        }
        // A write collaborator may queue and start sessions, but still not delete or manage access.
        let carol = try user("carol")
        #expect(plueError { _ = try forge.plue.repositories.delete("alice/secret", as: carol) }?.code == .permissionDenied)
        #expect(plueError { _ = try forge.plue.access.collaborators(repository: "alice/secret", as: carol) }?.code == .permissionDenied)
        #expect(try forge.plue.landing.enqueue("alice/secret", source: .branch("feature"), as: carol).requestedBy == "carol")
        #expect(try forge.plue.access.collaborators(repository: "alice/secret", as: .operator).map(\.permission) == [.read, .write])
        #expect(try forge.plue.repositories.list(as: .operator).count == 2)
    }

    @Test func aDeployKeySeesOnlyItsRepositoryAndNothingOfTheForge() throws {
        let reader = try deployKey(writable: false)
        #expect(try forge.plue.repositories.list(as: reader).map(\.fullName) == ["alice/secret"])
        #expect(try forge.plue.repositories.show("alice/secret", as: reader).repository.fullName == "alice/secret")
        let hidden = plueError { _ = try forge.plue.repositories.show("alice/public", as: reader) }
        let missing = plueError { _ = try forge.plue.repositories.show("alice/absent", as: reader) }
        #expect(hidden?.code == .notFound && hidden?.message == missing?.message.replacingOccurrences(of: "absent", with: "public"))
        #expect(plueError { _ = try forge.plue.sessions.new(repository: "alice/secret", as: reader) }?.code == .permissionDenied)
        #expect(try forge.plue.sessions.list(as: reader).isEmpty)
        #expect(plueError { _ = try forge.plue.users.list(as: reader) }?.code == .permissionDenied)
        #expect(plueError { _ = try forge.plue.users.show("alice", as: reader) }?.code == .permissionDenied)

        // Writable, it may queue a branch, yet it owns no session.
        let writer = try deployKey(writable: true)
        #expect(try forge.plue.landing.enqueue("alice/secret", source: .branch("feature"), as: writer).requestedBy == nil)
        let session = plueError { _ = try forge.plue.sessions.new(repository: "alice/secret", as: writer) }
        #expect(session?.code == .permissionDenied && session?.message.contains("deploy key") == true)
        #expect(plueError { _ = try forge.plue.repositories.delete("alice/secret", as: writer) }?.code == .permissionDenied)
    }

    @Test func repositoriesAreCreatedUnderOnesOwnNameAndAccountsByAdmins() throws {
        let bob = try user("bob"), root = try user("root1")
        #expect(plueError { _ = try forge.plue.repositories.create("alice/bobs", as: bob) }?.code == .permissionDenied)
        #expect(try forge.plue.repositories.create("BOB/mine", isPrivate: true, as: bob).fullName == "bob/mine")
        #expect(try forge.plue.repositories.show("bob/mine", as: bob).repository.isPrivate)
        #expect(plueError { _ = try forge.plue.repositories.show("bob/mine", as: try user("carol")) }?.code == .notFound)
        #expect(try forge.plue.repositories.create("alice/by-admin", as: root).owner == "alice")
        #expect(try forge.plue.repositories.create("dave/by-operator", as: .operator).owner == "dave")
        // Only the operator imports from the server's own files (or with its ssh keys).
        for source in [secret.path, "file://" + secret.path, "git@localhost:alice/secret.git", "ssh://localhost/x.git"] {
            #expect(plueError { _ = try forge.plue.repositories.importRepository("bob/copy", from: source, as: bob) }?.code
                == .permissionDenied, "\(source)")
            #expect(plueError { _ = try forge.plue.repositories.importRepository("bob/copy", from: source, as: root) }?.code
                == .permissionDenied, "\(source)")
        }
        #expect(try forge.plue.repositories.importRepository("bob/copy", from: secret.path, as: .operator).owner == "bob")

        #expect(plueError { _ = try forge.plue.users.create(name: "eve", email: "eve@example.com", admin: true, as: bob) }?.code
            == .permissionDenied)
        #expect(plueError { _ = try forge.plue.users.list(as: bob) }?.code == .permissionDenied)
        #expect(plueError { _ = try forge.plue.users.show("carol", as: bob) }?.code == .permissionDenied)
        #expect(try forge.plue.users.show("BOB", as: bob).name == "bob")
        #expect(try forge.plue.users.create(name: "eve", email: "eve@example.com", admin: false, as: root).name == "eve")
        #expect(try forge.plue.users.list(as: root).count == 6)
    }

    @Test func anAccountManagesOnlyItsOwnKeys() throws {
        let bob = try user("bob"), carol = try user("carol"), root = try user("root1")
        let key = { try GeneratedKey.make("ed25519", in: keys.path).publicKeyLine }
        let refused = plueError { _ = try forge.plue.keys.addUserKey(user: "carol", title: "x", publicKey: try key(), as: bob) }
        #expect(refused?.code == .permissionDenied)
        #expect(try forge.plue.keys.userKeys(user: "carol", as: .operator).isEmpty, "nothing was added")
        #expect(plueError { _ = try forge.plue.keys.userKeys(user: "carol", as: bob) }?.code == .permissionDenied)

        let own = try forge.plue.keys.addUserKey(user: "bob", title: "laptop", publicKey: try key(), as: bob)
        let carols = try forge.plue.keys.addUserKey(user: "carol", title: "desk", publicKey: try key(), as: carol)
        let byAdmin = try forge.plue.keys.addUserKey(user: "carol", title: "admin", publicKey: try key(), as: root)
        #expect(try forge.plue.keys.userKeys(user: "bob", as: bob).map(\.id) == [own.id])
        #expect(try forge.plue.keys.userKeys(user: "carol", as: root).map(\.id) == [carols.id, byAdmin.id])

        // Another account's key is as missing as a key that does not exist.
        let others = plueError { _ = try forge.plue.keys.removeUserKey(id: carols.id, as: bob) }
        let missing = plueError { _ = try forge.plue.keys.removeUserKey(id: 9999, as: bob) }
        #expect(others?.code == .notFound && others?.message == missing?.message.replacingOccurrences(of: "9999", with: "\(carols.id)"))
        #expect(try forge.plue.keys.userKeys(user: "carol", as: .operator).count == 2)
        _ = try forge.plue.keys.removeUserKey(id: own.id, as: bob)
        _ = try forge.plue.keys.removeUserKey(id: carols.id, as: .operator)
        #expect(try forge.plue.keys.userKeys(user: "carol", as: carol).map(\.id) == [byAdmin.id])
    }

    @Test func theHookRefusesAPusherWithoutWriteAsTheTransportDoes() throws {
        let update = [RefUpdate(oldCommit: RefUpdate.zeroCommit, newCommit: String(repeating: "a", count: 40), ref: "refs/heads/new")]
        let reader = plueError { try forge.plue.pushes.check("alice/secret", updates: update, pusher: .user("bob")) }
        #expect(reader?.code == .permissionDenied)
        let stranger = plueError { try forge.plue.pushes.check("alice/secret", updates: update, pusher: .user("dave")) }
        #expect(stranger?.code == .notFound)
        try forge.plue.pushes.check("alice/secret", updates: update, pusher: .user("carol"))
        try forge.plue.pushes.check("alice/secret", updates: update, pusher: .local)
    }
}
