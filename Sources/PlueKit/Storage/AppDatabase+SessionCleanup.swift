import Foundation
import GRDB

/// When a session last did something, and how many turns it has had.
struct SessionActivity: Sendable, Equatable {
    let lastActivity: Date
    let turnCount: Int
}

/// A session `plue session gc` may collect: landed or aborted, idle since `lastActivity`.
struct CollectableSession: Sendable, Equatable {
    let id: String
    let repository: String
    let lastActivity: Date
}

/// What deleting a session's rows removed.
struct DeletedSessionRows: Sendable, Equatable {
    let operations: Int
    let turns: Int
}

extension AppDatabase {
    /// The newest operation's time and the number of turns of each session in `ids`.
    func sessionActivity(ids: [String]) throws -> [String: SessionActivity] {
        guard !ids.isEmpty else { return [:] }
        return try read("cannot read the sessions' activity") { db in
            var result: [String: SessionActivity] = [:]
            // In chunks: SQLite limits the number of bound values in one statement.
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = Array(ids[start..<min(start + 500, ids.count)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                let rows = try Row.fetchAll(db, sql: """
                    SELECT session.id,
                           (SELECT MAX(created_at) FROM operation WHERE operation.session_id = session.id) AS last_activity,
                           (SELECT COUNT(*) FROM turn WHERE turn.session_id = session.id) AS turn_count
                    FROM session WHERE session.id IN (\(marks))
                    """, arguments: StatementArguments(chunk))
                for row in rows {
                    let seconds: Int64? = row["last_activity"]
                    result[row["id"]] = SessionActivity(lastActivity: Self.date(seconds ?? 0), turnCount: row["turn_count"])
                }
            }
            return result
        }
    }

    /// The numbers of the session's turns still marked running.
    func runningTurns(sessionID: String) throws -> [Int64] {
        try read("cannot read the session's turns") { db in
            try Int64.fetchAll(db, sql: "SELECT number FROM turn WHERE session_id = ? AND state = 'running' ORDER BY number",
                               arguments: [sessionID])
        }
    }

    /// The working-copy commit of every operation of every session of a repository, by session:
    /// what each session's history reaches.
    /// The working-copy commits the operations of session `id` recorded: every state it has had.
    func operationCommits(sessionID id: String) throws -> [String] {
        try read("cannot read the session's operations") { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT working_copy FROM operation WHERE session_id = ?", arguments: [id])
        }
    }

    func operationCommits(repositoryID: Int64) throws -> [String: [String]] {
        try read("cannot read the sessions' operations") { db in
            var result: [String: [String]] = [:]
            let rows = try Row.fetchAll(db, sql: """
                SELECT operation.session_id, operation.working_copy FROM operation
                JOIN session ON session.id = operation.session_id
                WHERE session.repository_id = ?
                """, arguments: [repositoryID])
            for row in rows { result[row["session_id"], default: []].append(row["working_copy"]) }
            return result
        }
    }

    /// Landed and aborted sessions whose newest operation is older than `cutoff`, oldest first.
    func collectableSessions(repositoryID: Int64?, idleSince cutoff: Date) throws -> [CollectableSession] {
        try read("cannot list the sessions to collect") { db in
            var arguments: StatementArguments = []
            var filter = ""
            if let repositoryID {
                filter = " AND session.repository_id = ?"
                arguments += [repositoryID]
            }
            arguments += [Self.seconds(cutoff)]
            return try Row.fetchAll(db, sql: """
                SELECT * FROM (
                    SELECT session.id, user.name AS owner_name, repository.name AS repository_name,
                           (SELECT MAX(created_at) FROM operation WHERE operation.session_id = session.id) AS last_activity
                    FROM session
                    JOIN repository ON repository.id = session.repository_id
                    JOIN user ON user.id = repository.owner_id
                    WHERE session.status IN ('landed', 'aborted')\(filter)
                ) WHERE last_activity < ? ORDER BY last_activity, id
                """, arguments: arguments)
                .map { row in
                    CollectableSession(id: row["id"], repository: "\(row["owner_name"] as String)/\(row["repository_name"] as String)",
                                       lastActivity: Self.date(row["last_activity"]))
                }
        }
    }

    /// Removes the session's row with its operations and turns (and whatever else the schema
    /// removes with it) in one transaction. Land entries name sessions by id and stay.
    func deleteSession(id: String) throws -> DeletedSessionRows {
        try write("cannot delete the session") { db in
            let operations = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM operation WHERE session_id = ?", arguments: [id]) ?? 0
            let turns = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM turn WHERE session_id = ?", arguments: [id]) ?? 0
            // Turns name operations: they go first. The session's operations (which name each other)
            // and pending moves go with the session in one statement, whose foreign keys SQLite
            // checks at its end.
            try db.execute(sql: "DELETE FROM turn WHERE session_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM session WHERE id = ?", arguments: [id])
            return DeletedSessionRows(operations: operations, turns: turns)
        }
    }
}
