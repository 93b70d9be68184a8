import Foundation
import GRDB

extension AppDatabase {
    /// Numbers turns 1, 2, 3... per session.
    func startTurn(sessionID: String, prompt: String, command: [String]?, startOperation: Int64, runner: ProcessIdentity?,
                   at time: Date) throws -> Int64 {
        try write("cannot record the turn") { db in
            let number = (try Int64.fetchOne(db, sql: "SELECT MAX(number) FROM turn WHERE session_id = ?", arguments: [sessionID]) ?? 0) + 1
            try db.execute(
                sql: """
                    INSERT INTO turn (session_id, number, prompt, command, state, start_operation_id, runner_pid, runner_start,
                                      started_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [sessionID, number, prompt, command.map { JSON.array($0.map(JSON.string)).rendered() },
                            command == nil ? "done" : "running",
                            startOperation, runner?.pid, runner?.start, Self.seconds(time)])
            return number
        }
    }

    func setTurnProcessGroup(sessionID: String, number: Int64, processGroup: ProcessIdentity) throws {
        try write("cannot record the turn's process") { db in
            try db.execute(sql: "UPDATE turn SET process_group = ?, group_start = ? WHERE session_id = ? AND number = ?",
                           arguments: [processGroup.pid, processGroup.start, sessionID, number])
        }
    }

    func finishTurn(sessionID: String, number: Int64, reply: String, state: Turn.State, exitStatus: Int32?,
                    endOperation: Int64, changedFiles: [ChangedFile], at time: Date) throws {
        try write("cannot record the turn's end") { db in
            try db.execute(
                sql: """
                    UPDATE turn SET reply = ?, state = ?, exit_status = ?, end_operation_id = ?, finished_at = ?,
                    changed_files = ?, process_group = NULL, group_start = NULL WHERE session_id = ? AND number = ?
                    """,
                arguments: [reply, state.rawValue, exitStatus, endOperation, Self.seconds(time),
                            JSON.array(changedFiles.map(\.json)).rendered(), sessionID, number])
        }
    }

    /// The sessions with a turn marked running.
    func sessionsWithRunningTurns() throws -> [String] {
        try read("cannot list running turns") { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT session_id FROM turn WHERE state = 'running' ORDER BY session_id")
        }
    }

    /// The session's turns, or only those in `state`.
    func turns(sessionID: String, state: Turn.State? = nil) throws -> [Turn] {
        try read("cannot list turns") { db in
            let filter = state == nil ? "" : " AND state = ?"
            return try Row.fetchAll(db, sql: "SELECT * FROM turn WHERE session_id = ?" + filter + " ORDER BY number",
                                    arguments: StatementArguments([sessionID] + (state.map { [$0.rawValue] } ?? []))).map { row in
                let command: String? = row["command"]
                let finished: Int64? = row["finished_at"]
                let arguments = command.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String] }
                return Turn(number: row["number"], prompt: row["prompt"], command: arguments,
                            reply: row["reply"], state: Turn.State(rawValue: row["state"]) ?? .failed, exitStatus: row["exit_status"],
                            processGroup: row["process_group"], groupStart: row["group_start"],
                            runner: (row["runner_pid"] as Int32?).flatMap { pid in
                                (row["runner_start"] as Int64?).map { ProcessIdentity(pid: pid, start: $0) }
                            },
                            changedFiles: Self.changedFiles(row["changed_files"]),
                            startOperation: row["start_operation_id"], endOperation: row["end_operation_id"],
                            startedAt: Self.date(row["started_at"]), finishedAt: finished.map(Self.date))
            }
        }
    }

    /// Marks the session and returns the process groups of its running turns, to be stopped.
    func abortSession(id: String) throws -> [ProcessIdentity] {
        try write("cannot abort the session") { db in
            try db.execute(sql: "UPDATE session SET status = 'aborted' WHERE id = ?", arguments: [id])
            return try Row.fetchAll(db, sql: """
                SELECT process_group, group_start FROM turn
                WHERE session_id = ? AND state = 'running' AND process_group IS NOT NULL AND group_start IS NOT NULL
                """, arguments: [id]).map { ProcessIdentity(pid: $0["process_group"], start: $0["group_start"]) }
        }
    }

    private static func changedFiles(_ text: String) -> [ChangedFile] {
        guard let list = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] else { return [] }
        return list.compactMap { item in
            guard let path = item["path"] as? String, let status = (item["status"] as? String).flatMap(ChangedFile.Status.init) else {
                return nil
            }
            return ChangedFile(status: status, path: path, size: (item["size"] as? NSNumber)?.int64Value)
        }
    }
}
