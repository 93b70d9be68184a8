import Foundation
@testable import PlueKit
import PlueTestSupport
import Testing

/// The plain SQLite reads that `repo show` and `ssh-authorize` use instead of GRDB.
@Suite struct ReadConnectionTests {
    @Test func textWithANULIsComparedWholeNotCutAtTheNUL() throws {
        let forge = try Forge()
        _ = try forge.plue.repositories.create("alice/demo", as: .operator)
        let key = try GeneratedKey.make("ed25519", in: forge.directory.path)
        _ = try forge.plue.keys.addUserKey(user: "alice", title: "laptop", publicKey: key.publicKeyLine, as: .operator)

        let database = try AppDatabase.open(path: forge.home.databasePath, create: false)
        #expect(try database.repository(owner: "alice", name: "demo")?.name == "demo")
        #expect(try database.repository(owner: "alice", name: "demo\0x") == nil)
        #expect(try database.repository(owner: "alice\0", name: "demo") == nil)
        #expect(try database.keyLogin(base64: key.base64, gitUserSetting: "git-user").key?.userName == "alice")
        #expect(try database.keyLogin(base64: key.base64 + "\0AAAA", gitUserSetting: "git-user").key == nil)
        #expect(try database.keyLogin(base64: "", gitUserSetting: "git-user").key == nil)
    }

    /// A process that created the database reads through GRDB's own handle; one that opened it
    /// reads through its own connection, and sees what the other wrote.
    @Test func bothConnectionsReadTheSameRows() throws {
        let directory = TemporaryDirectory()
        let home = PlueHome(root: directory.child("home"))
        _ = try HomeInitializer.initialize(home)
        let created = try AppDatabase.open(path: home.databasePath + ".second", create: true)
        #expect(try created.repositories(owner: nil).isEmpty)

        let plue = try Plue.open(home: home, executable: PlueBinary.path)
        _ = try plue.users.create(name: "bob", email: "bob@example.com", admin: false, as: .operator)
        _ = try plue.repositories.create("bob/one", as: .operator)
        let other = try AppDatabase.open(path: home.databasePath, create: false)
        #expect(try other.repositories(owner: "bob").map(\.name) == ["one"])
        #expect(try other.repositories(owner: "nobody").isEmpty)
    }

    @Test func aMissingOrDamagedFileIsAClearError() throws {
        let directory = TemporaryDirectory()
        #expect(throws: PlueError.self) { try AppDatabase.open(path: directory.child("none.db"), create: false) }
        let path = directory.child("damaged.db")
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: path))
        do {
            _ = try AppDatabase.open(path: path, create: false)
            Issue.record("a damaged file opened")
        } catch let error as PlueError {
            #expect(error.code == .damaged && error.message.contains("damaged"))
        }
    }
}
