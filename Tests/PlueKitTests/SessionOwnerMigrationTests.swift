import Foundation
import GRDB
@testable import PlueKit
import PlueTestSupport
import Testing

/// "v6: session owners": sessions recorded before it are the operator's, and a session whose
/// owner's account is deleted goes back to the operator rather than vanish.
@Suite struct SessionOwnerMigrationTests {
    @Test func sessionsRecordedBeforeOwnersExistedAreTheOperators() throws {
        let directory = TemporaryDirectory()
        let path = directory.child("plue.db")
        let known = AppDatabase.migrator.migrations
        let v5 = try #require(known.firstIndex(of: "v5: sessions an agent can trust"))
        #expect(known[v5 + 1] == "v6: session owners", "v6 follows v5")
        let queue = try DatabaseQueue(path: path)
        try AppDatabase.migrator.migrate(queue, upTo: known[v5])
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO user (id, name, email, created_at) VALUES (1, 'alice', 'alice@example.com', 0);
                INSERT INTO repository (id, owner_id, name, default_branch, created_at) VALUES (1, 1, 'demo', 'main', 0);
                INSERT INTO session (id, repository_id, base_branch, base_commit, status, created_at)
                    VALUES ('0123456789abcdef', 1, 'main', 'abc', 'active', 0);
                """)
        }
        try AppDatabase.migrator.migrate(queue)
        let owner = try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT owner_id FROM session WHERE id = '0123456789abcdef'")?["owner_id"] as Int64?
        }
        #expect(owner == nil)
    }

    @Test func aDeletedOwnersSessionsGoBackToTheOperator() throws {
        let forge = try Forge(user: "alice")
        let bob = try forge.plue.users.create(name: "bob", email: "bob@example.com", admin: false, as: .operator)
        let repository = try forge.plue.repositories.create("alice/demo", as: .operator)
        try Command.git(["push", "-q", repository.path, "main"], in: try forge.workTree(files: ["a.txt": "a\n"]))
        _ = try forge.plue.access.addCollaborator(repository: "alice/demo", user: "bob", permission: .write, as: .operator)
        let session = try forge.plue.sessions.new(repository: "alice/demo", as: .user(bob))
        #expect(session.owner == "bob")
        try DatabaseQueue(path: forge.home.databasePath).write { db in
            try db.execute(sql: "DELETE FROM user WHERE name = 'bob'")
        }
        let shown = try forge.plue.sessions.show(session.id, as: .operator)
        #expect(shown.owner == nil && shown.json.rendered().contains("\"owner\": null"))
        #expect(plueError { _ = try forge.plue.sessions.show(session.id, as: .user(bob)) }?.code == .notFound)
    }
}
