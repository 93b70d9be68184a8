import Foundation
import GRDB

/// A move of a session's working directory that was begun and not yet recorded.
struct PendingCheckout: Sendable {
    let parent: Int64
    let fromCommit: String
    let operation: NewOperation
}

extension AppDatabase {
    /// Records, before a move of the working directory starts, everything needed to finish it.
    func beginCheckout(sessionID: String, parent: Int64, from fromCommit: String, _ new: NewOperation, at time: Date) throws {
        try write("cannot record the start of the checkout") { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO pending_checkout (session_id, parent_id, from_commit, to_commit, kind, description,
                                                             target_id, restored_id, visible_turns, modes, started_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [sessionID, parent, fromCommit, new.workingCopy, new.kind, new.description, new.target, new.restored,
                            new.visibleTurns.map(String.init).joined(separator: ","), (new.modes ?? FileModes()).text,
                            Self.seconds(time)])
        }
    }

    func pendingCheckout(sessionID: String) throws -> PendingCheckout? {
        try read("cannot read the session's pending checkout") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM pending_checkout WHERE session_id = ?", arguments: [sessionID]).map { row in
                PendingCheckout(parent: row["parent_id"], fromCommit: row["from_commit"], operation: NewOperation(
                    kind: row["kind"], description: row["description"], workingCopy: row["to_commit"], target: row["target_id"],
                    restored: row["restored_id"], visibleTurns: Self.turnList(row["visible_turns"]), modes: FileModes(text: row["modes"])))
            }
        }
    }

    func dropPendingCheckout(sessionID: String) throws {
        try write("cannot clear the session's pending checkout") { db in
            try db.execute(sql: "DELETE FROM pending_checkout WHERE session_id = ?", arguments: [sessionID])
        }
    }
}
