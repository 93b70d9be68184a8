import Foundation
import GRDB

extension AppDatabase {
    /// Numbers turns 1, 2, 3... per session.
    func startTurn(sessionID: String, prompt: String, command: [String]?, startOperation: Int64, at time: Date) throws -> Int64 {
        try write("cannot record the turn") { db in
            let number = (try Int64.fetchOne(db, sql: "SELECT MAX(number) FROM turn WHERE session_id = ?", arguments: [sessionID]) ?? 0) + 1
            try db.execute(
                sql: """
                    INSERT INTO turn (session_id, number, prompt, command, state, start_operation_id, started_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [sessionID, number, prompt, command.map { JSON.array($0.map(JSON.string)).rendered() },
                            command == nil ? "done" : "running",
                            startOperation, Self.seconds(time)])
            return number
        }
    }

    func setTurnProcessGroup(sessionID: String, number: Int64, processGroup: Int32) throws {
        try write("cannot record the turn's process") { db in
            try db.execute(sql: "UPDATE turn SET process_group = ? WHERE session_id = ? AND number = ?",
                           arguments: [processGroup, sessionID, number])
        }
    }

    func finishTurn(sessionID: String, number: Int64, reply: String, state: Turn.State, exitStatus: Int32?,
                    endOperation: Int64, at time: Date) throws {
        try write("cannot record the turn's end") { db in
            try db.execute(
                sql: """
                    UPDATE turn SET reply = ?, state = ?, exit_status = ?, end_operation_id = ?, finished_at = ?,
                    process_group = NULL WHERE session_id = ? AND number = ?
                    """,
                arguments: [reply, state.rawValue, exitStatus, endOperation, Self.seconds(time), sessionID, number])
        }
    }

    func turns(sessionID: String) throws -> [Turn] {
        try read("cannot list turns") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM turn WHERE session_id = ? ORDER BY number", arguments: [sessionID]).map { row in
                let command: String? = row["command"]
                let finished: Int64? = row["finished_at"]
                let arguments = command.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String] }
                return Turn(number: row["number"], prompt: row["prompt"], command: arguments,
                            reply: row["reply"], state: Turn.State(rawValue: row["state"]) ?? .failed, exitStatus: row["exit_status"],
                            processGroup: row["process_group"],
                            startOperation: row["start_operation_id"], endOperation: row["end_operation_id"],
                            startedAt: Self.date(row["started_at"]), finishedAt: finished.map(Self.date))
            }
        }
    }

    /// Marks the session and returns the process groups of its running turns, to be stopped.
    func abortSession(id: String) throws -> [Int32] {
        try write("cannot abort the session") { db in
            try db.execute(sql: "UPDATE session SET status = 'aborted' WHERE id = ?", arguments: [id])
            return try Int32.fetchAll(db, sql: "SELECT process_group FROM turn WHERE session_id = ? AND state = 'running' AND process_group IS NOT NULL",
                                      arguments: [id])
        }
    }
}
