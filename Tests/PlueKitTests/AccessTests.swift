import Foundation
import PlueKit
import PlueTestSupport
import Testing

@Suite struct AccessTests {
    let forge: Forge
    let keys: TemporaryDirectory

    init() throws {
        forge = try Forge(user: "alice")
        keys = TemporaryDirectory("plue-access-keys")
        for name in ["bob", "carol", "dave"] {
            _ = try forge.plue.users.create(name: name, email: "\(name)@example.com", admin: false, as: .operator)
        }
        _ = try forge.plue.users.create(name: "root1", email: "root1@example.com", admin: true, as: .operator)
        _ = try forge.plue.repositories.create("alice/public", as: .operator)
        _ = try forge.plue.repositories.create("alice/secret", isPrivate: true, as: .operator)
    }

    func permission(_ user: String, _ repository: String) throws -> Permission? {
        try forge.plue.access.permission(of: .user(forge.plue.users.show(user, as: .operator)), on: forge.plue.repositories.find(repository, as: .operator))
    }

    @Test func ownersCollaboratorsVisibilityAndAdmins() throws {
        _ = try forge.plue.access.addCollaborator(repository: "alice/secret", user: "bob", permission: .read, as: .operator)
        _ = try forge.plue.access.addCollaborator(repository: "alice/secret", user: "carol", permission: .write, as: .operator)
        _ = try forge.plue.access.addCollaborator(repository: "alice/public", user: "carol", permission: .admin, as: .operator)
        #expect(try permission("alice", "alice/secret") == .admin)
        #expect(try permission("bob", "alice/secret") == .read)
        #expect(try permission("carol", "alice/secret") == .write)
        #expect(try permission("dave", "alice/secret") == nil)
        #expect(try permission("dave", "alice/public") == .read)
        #expect(try permission("carol", "alice/public") == .admin)
        #expect(try permission("root1", "alice/secret") == .admin)

        // Adding again changes the permission; removing takes it away.
        _ = try forge.plue.access.addCollaborator(repository: "alice/secret", user: "bob", permission: .write, as: .operator)
        #expect(try permission("bob", "alice/secret") == .write)
        try forge.plue.access.removeCollaborator(repository: "alice/secret", user: "bob", as: .operator)
        #expect(try permission("bob", "alice/secret") == nil)
        #expect(try forge.plue.access.collaborators(repository: "alice/secret", as: .operator).map(\.user) == ["carol"])
    }

    @Test func badCollaboratorRequestsChangeNothing() throws {
        #expect(plueError { _ = try forge.plue.access.addCollaborator(repository: "alice/secret", user: "alice", permission: .read, as: .operator) }?.code == .invalidInput)
        #expect(plueError { _ = try forge.plue.access.addCollaborator(repository: "alice/secret", user: "nobody", permission: .read, as: .operator) }?.code == .notFound)
        #expect(plueError { _ = try forge.plue.access.addCollaborator(repository: "alice/nope", user: "bob", permission: .read, as: .operator) }?.code == .notFound)
        #expect(plueError { _ = try Permission.parse("owner") }?.code == .invalidInput)
        #expect(plueError { try forge.plue.access.removeCollaborator(repository: "alice/secret", user: "bob", as: .operator) }?.code == .notFound)
        #expect(try forge.plue.access.collaborators(repository: "alice/secret", as: .operator).isEmpty)
    }

    @Test func deployKeysReachOnlyTheirRepository() throws {
        let readKey = try GeneratedKey.make("ed25519", in: keys.path)
        let writeKey = try GeneratedKey.make("ed25519", in: keys.path)
        let reader = try forge.plue.keys.addDeployKey(repository: "alice/secret", title: "ci", publicKey: readKey.publicKeyLine, writable: false, as: .operator)
        let writer = try forge.plue.keys.addDeployKey(repository: "alice/secret", title: "deploy", publicKey: writeKey.publicKeyLine, writable: true, as: .operator)
        let secret = try forge.plue.repositories.find("alice/secret", as: .operator)
        let public_ = try forge.plue.repositories.find("alice/public", as: .operator)
        #expect(try forge.plue.access.permission(of: .deployKey(reader), on: secret) == .read)
        #expect(try forge.plue.access.permission(of: .deployKey(writer), on: secret) == .write)
        #expect(try forge.plue.access.permission(of: .deployKey(writer), on: public_) == nil, "not even a public repository")
    }

    @Test func aKeyBelongsToOneOwnerInTheWholeForge() throws {
        let key = try GeneratedKey.make("ed25519", in: keys.path)
        let added = try forge.plue.keys.addUserKey(user: "bob", title: "laptop", publicKey: key.publicKeyLine, as: .operator)
        #expect(added.fingerprint == (try key.sshKeygenFingerprint()) && added.user == "bob")
        #expect(plueError { _ = try forge.plue.keys.addUserKey(user: "carol", title: "x", publicKey: key.publicKeyLine, as: .operator) }?.code == .alreadyExists)
        #expect(plueError { _ = try forge.plue.keys.addDeployKey(repository: "alice/public", title: "x", publicKey: key.publicKeyLine, writable: false, as: .operator) }?.code == .alreadyExists)
        #expect(plueError { _ = try forge.plue.keys.addUserKey(user: "bob", title: "again", publicKey: key.publicKeyLine, as: .operator) }?.code == .alreadyExists)
        #expect(try forge.plue.keys.userKeys(user: "carol", as: .operator).isEmpty)
        #expect(try forge.plue.keys.userKeys(user: "bob", as: .operator).map(\.id) == [added.id])

        // Removing frees the key; the wrong kind of id is not found.
        #expect(plueError { _ = try forge.plue.keys.removeDeployKey(repository: "alice/public", id: added.id, as: .operator) }?.code == .notFound)
        _ = try forge.plue.keys.removeUserKey(id: added.id, as: .operator)
        #expect(plueError { _ = try forge.plue.keys.removeUserKey(id: added.id, as: .operator) }?.code == .notFound)
        _ = try forge.plue.keys.addUserKey(user: "carol", title: "moved", publicKey: key.publicKeyLine, as: .operator)
    }

    @Test func badKeyRequestsChangeNothing() throws {
        let key = try GeneratedKey.make("ed25519", in: keys.path)
        #expect(plueError { _ = try forge.plue.keys.addUserKey(user: "bob", title: "", publicKey: key.publicKeyLine, as: .operator) }?.code == .invalidInput)
        #expect(plueError { _ = try forge.plue.keys.addUserKey(user: "bob", title: "a\nb", publicKey: key.publicKeyLine, as: .operator) }?.code == .invalidInput)
        #expect(plueError { _ = try forge.plue.keys.addUserKey(user: "nobody", title: "t", publicKey: key.publicKeyLine, as: .operator) }?.code == .notFound)
        #expect(plueError { _ = try forge.plue.keys.addUserKey(user: "bob", title: "t", publicKey: "garbage", as: .operator) }?.code == .invalidInput)
        #expect(try forge.plue.keys.userKeys(user: "bob", as: .operator).isEmpty)
    }
}
