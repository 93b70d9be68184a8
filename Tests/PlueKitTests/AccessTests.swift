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
            _ = try forge.plue.users.create(name: name, email: "\(name)@example.com", admin: false)
        }
        _ = try forge.plue.users.create(name: "root1", email: "root1@example.com", admin: true)
        _ = try forge.plue.repositories.create("alice/public")
        _ = try forge.plue.repositories.create("alice/secret", isPrivate: true)
    }

    func permission(_ user: String, _ repository: String) throws -> Permission? {
        try forge.plue.access.permission(of: .user(forge.plue.users.show(user)), on: forge.plue.repositories.find(repository))
    }

    @Test func ownersCollaboratorsVisibilityAndAdmins() throws {
        _ = try forge.plue.access.addCollaborator(repository: "alice/secret", user: "bob", permission: .read)
        _ = try forge.plue.access.addCollaborator(repository: "alice/secret", user: "carol", permission: .write)
        _ = try forge.plue.access.addCollaborator(repository: "alice/public", user: "carol", permission: .admin)
        #expect(try permission("alice", "alice/secret") == .admin)
        #expect(try permission("bob", "alice/secret") == .read)
        #expect(try permission("carol", "alice/secret") == .write)
        #expect(try permission("dave", "alice/secret") == nil)
        #expect(try permission("dave", "alice/public") == .read)
        #expect(try permission("carol", "alice/public") == .admin)
        #expect(try permission("root1", "alice/secret") == .admin)

        // Adding again changes the permission; removing takes it away.
        _ = try forge.plue.access.addCollaborator(repository: "alice/secret", user: "bob", permission: .write)
        #expect(try permission("bob", "alice/secret") == .write)
        try forge.plue.access.removeCollaborator(repository: "alice/secret", user: "bob")
        #expect(try permission("bob", "alice/secret") == nil)
        #expect(try forge.plue.access.collaborators(repository: "alice/secret").map(\.user) == ["carol"])
    }

    @Test func badCollaboratorRequestsChangeNothing() throws {
        #expect(plueError { _ = try forge.plue.access.addCollaborator(repository: "alice/secret", user: "alice", permission: .read) }?.code == .invalidInput)
        #expect(plueError { _ = try forge.plue.access.addCollaborator(repository: "alice/secret", user: "nobody", permission: .read) }?.code == .notFound)
        #expect(plueError { _ = try forge.plue.access.addCollaborator(repository: "alice/nope", user: "bob", permission: .read) }?.code == .notFound)
        #expect(plueError { _ = try Permission.parse("owner") }?.code == .invalidInput)
        #expect(plueError { try forge.plue.access.removeCollaborator(repository: "alice/secret", user: "bob") }?.code == .notFound)
        #expect(try forge.plue.access.collaborators(repository: "alice/secret").isEmpty)
    }

    @Test func deployKeysReachOnlyTheirRepository() throws {
        let readKey = try GeneratedKey.make("ed25519", in: keys.path)
        let writeKey = try GeneratedKey.make("ed25519", in: keys.path)
        let reader = try forge.plue.keys.addDeployKey(repository: "alice/secret", title: "ci", publicKey: readKey.publicKeyLine, writable: false)
        let writer = try forge.plue.keys.addDeployKey(repository: "alice/secret", title: "deploy", publicKey: writeKey.publicKeyLine, writable: true)
        let secret = try forge.plue.repositories.find("alice/secret")
        let public_ = try forge.plue.repositories.find("alice/public")
        #expect(try forge.plue.access.permission(of: .deployKey(reader), on: secret) == .read)
        #expect(try forge.plue.access.permission(of: .deployKey(writer), on: secret) == .write)
        #expect(try forge.plue.access.permission(of: .deployKey(writer), on: public_) == nil, "not even a public repository")
    }

    @Test func aKeyBelongsToOneOwnerInTheWholeForge() throws {
        let key = try GeneratedKey.make("ed25519", in: keys.path)
        let added = try forge.plue.keys.addUserKey(user: "bob", title: "laptop", publicKey: key.publicKeyLine)
        #expect(added.fingerprint == (try key.sshKeygenFingerprint()) && added.user == "bob")
        #expect(plueError { _ = try forge.plue.keys.addUserKey(user: "carol", title: "x", publicKey: key.publicKeyLine) }?.code == .alreadyExists)
        #expect(plueError { _ = try forge.plue.keys.addDeployKey(repository: "alice/public", title: "x", publicKey: key.publicKeyLine, writable: false) }?.code == .alreadyExists)
        #expect(plueError { _ = try forge.plue.keys.addUserKey(user: "bob", title: "again", publicKey: key.publicKeyLine) }?.code == .alreadyExists)
        #expect(try forge.plue.keys.userKeys(user: "carol").isEmpty)
        #expect(try forge.plue.keys.userKeys(user: "bob").map(\.id) == [added.id])

        // Removing frees the key; the wrong kind of id is not found.
        #expect(plueError { _ = try forge.plue.keys.removeDeployKey(repository: "alice/public", id: added.id) }?.code == .notFound)
        _ = try forge.plue.keys.removeUserKey(id: added.id)
        #expect(plueError { _ = try forge.plue.keys.removeUserKey(id: added.id) }?.code == .notFound)
        _ = try forge.plue.keys.addUserKey(user: "carol", title: "moved", publicKey: key.publicKeyLine)
    }

    @Test func badKeyRequestsChangeNothing() throws {
        let key = try GeneratedKey.make("ed25519", in: keys.path)
        #expect(plueError { _ = try forge.plue.keys.addUserKey(user: "bob", title: "", publicKey: key.publicKeyLine) }?.code == .invalidInput)
        #expect(plueError { _ = try forge.plue.keys.addUserKey(user: "bob", title: "a\nb", publicKey: key.publicKeyLine) }?.code == .invalidInput)
        #expect(plueError { _ = try forge.plue.keys.addUserKey(user: "nobody", title: "t", publicKey: key.publicKeyLine) }?.code == .notFound)
        #expect(plueError { _ = try forge.plue.keys.addUserKey(user: "bob", title: "t", publicKey: "garbage") }?.code == .invalidInput)
        #expect(try forge.plue.keys.userKeys(user: "bob").isEmpty)
    }
}
