import Foundation
import GRDB

extension AppDatabase {
    /// Records every ref a push moved, all or none, and the repository's new size.
    func recordPush(repositoryID: Int64, updates: [RefUpdate], pusherID: Int64?, deployKeyID: Int64?, sizeBytes: Int64, at time: Date) throws {
        try write("cannot record the push") { db in
            try Self.insertPush(db, repositoryID: repositoryID, updates: updates, pusherID: pusherID, deployKeyID: deployKeyID,
                                sizeBytes: sizeBytes, at: time)
        }
    }

    /// The push event rows and the repository's new size, inside the caller's transaction.
    static func insertPush(_ db: Database, repositoryID: Int64, updates: [RefUpdate], pusherID: Int64?, deployKeyID: Int64?,
                           sizeBytes: Int64, at time: Date) throws {
        for update in updates {
            try db.execute(
                sql: """
                    INSERT INTO push_event (repository_id, ref, old_commit, new_commit, pusher_id, deploy_key_id, pushed_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [repositoryID, update.ref, update.oldCommit, update.newCommit, pusherID, deployKeyID, seconds(time)])
        }
        try db.execute(sql: "UPDATE repository SET size_bytes = ? WHERE id = ?", arguments: [sizeBytes, repositoryID])
    }

    /// Newest first.
    func pushEvents(repositoryID: Int64, fullName: String, limit: Int) throws -> [PushEvent] {
        try read("cannot list push events") { db in
            try Self.pushEvents(db, repositoryID: repositoryID, fullName: fullName, limit: limit, offset: 0)
        }
    }

    /// One page of the events, newest first, and how many the repository has, from one snapshot.
    func pushEventPage(repositoryID: Int64, fullName: String, limit: Int, offset: Int) throws -> (events: [PushEvent], total: Int) {
        try read("cannot list push events") { db in
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM push_event WHERE repository_id = ?", arguments: [repositoryID]) ?? 0
            return (try Self.pushEvents(db, repositoryID: repositoryID, fullName: fullName, limit: limit, offset: offset), total)
        }
    }

    private static func pushEvents(_ db: Database, repositoryID: Int64, fullName: String, limit: Int, offset: Int) throws -> [PushEvent] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT push_event.*, user.name AS pusher_name FROM push_event
                LEFT JOIN user ON user.id = push_event.pusher_id
                WHERE repository_id = ? ORDER BY push_event.id DESC LIMIT ? OFFSET ?
                """,
            arguments: [repositoryID, limit, offset]
        ).map { row in
            PushEvent(id: row["id"], repository: fullName, ref: row["ref"], oldCommit: row["old_commit"],
                      newCommit: row["new_commit"], pusher: row["pusher_name"], deployKey: row["deploy_key_id"],
                      pushedAt: date(row["pushed_at"]))
        }
    }

    /// Checks that a write can go through now, so a push is refused rather than left unrecorded.
    func checkWritable() throws {
        try write("the database cannot record pushes") { db in
            try db.execute(sql: "UPDATE repository SET id = id WHERE 0")
        }
    }
}
