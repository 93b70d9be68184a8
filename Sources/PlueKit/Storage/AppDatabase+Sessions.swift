import Foundation
import GRDB

/// A session row with its repository's name and visibility, its owner, and its head operation.
struct SessionRow: Sendable, Equatable {
    let id: String
    let repositoryID: Int64
    let repositoryOwner: String
    let repositoryName: String
    let repositoryIsPrivate: Bool
    /// The account that started (or forked) the session; nil when the operator did.
    let ownerID: Int64?
    let ownerName: String?
    let title: String
    let baseBranch: String
    let baseCommit: String
    let status: String
    let headOperationID: Int64
    let workingCopy: String
    let visibleTurns: [Int64]
    /// The head operation's permission bits.
    let modes: FileModes
    /// The session's own limit for new files, when it has one.
    let maxNewFileSize: Int64?
    let createdAt: Date
}

struct NewOperation: Sendable {
    let kind: String
    let description: String
    let workingCopy: String
    var target: Int64? = nil
    /// For undo and redo: the operation whose view this one brings back.
    var restored: Int64? = nil
    var visibleTurns: [Int64] = []
    /// Nil: the permission bits of the operation it follows.
    var modes: FileModes?
}

extension AppDatabase {
    private static let sessionSelect = """
        SELECT session.*, repository.name AS repository_name, repository.is_private AS repository_private,
               repository_owner.name AS repository_owner_name, session_owner.name AS session_owner_name,
               operation.working_copy, operation.visible_turns, operation.modes
        FROM session
        JOIN repository ON repository.id = session.repository_id
        JOIN user AS repository_owner ON repository_owner.id = repository.owner_id
        LEFT JOIN user AS session_owner ON session_owner.id = session.owner_id
        JOIN operation ON operation.id = session.head_operation_id
        """

    /// Records a new session and its first operation in one transaction.
    /// `ownerID` nil: the operator's.
    func createSession(id: String, repositoryID: Int64, ownerID: Int64?, title: String, baseBranch: String, baseCommit: String,
                       maxNewFileSize: Int64?, first: NewOperation, at time: Date, placeOnDisk: () throws -> Void) throws {
        try write("cannot record the session") { db in
            try db.execute(
                sql: """
                    INSERT INTO session (id, repository_id, owner_id, title, base_branch, base_commit, status, max_new_file_size, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?)
                    """,
                arguments: [id, repositoryID, ownerID, title, baseBranch, baseCommit, maxNewFileSize, Self.seconds(time)])
            let operation = try Self.insertOperation(db, sessionID: id, parent: nil, first, at: time)
            try db.execute(sql: "UPDATE session SET head_operation_id = ? WHERE id = ?", arguments: [operation, id])
            try placeOnDisk()
        }
    }

    /// Appends an operation, only if the session's head is still `parent` (a concurrent command
    /// that got there first makes this one fail instead of forking the log silently).
    func appendOperation(sessionID: String, parent: Int64, _ new: NewOperation, at time: Date,
                         finishingCheckout: Bool = false) throws -> SessionOperation {
        try write("cannot record the operation") { db in
            if finishingCheckout {
                try db.execute(sql: "DELETE FROM pending_checkout WHERE session_id = ?", arguments: [sessionID])
            }
            let head = try Int64.fetchOne(db, sql: "SELECT head_operation_id FROM session WHERE id = ?", arguments: [sessionID])
            guard head == parent else {
                throw PlueError(.unavailable, "session \(sessionID) changed while this command ran; run it again")
            }
            let id = try Self.insertOperation(db, sessionID: sessionID, parent: parent, new, at: time)
            try db.execute(sql: "UPDATE session SET head_operation_id = ? WHERE id = ?", arguments: [id, sessionID])
            return SessionOperation(id: id, parent: parent, kind: new.kind, description: new.description,
                                    workingCopy: new.workingCopy, target: new.target, restored: new.restored,
                                    visibleTurns: new.visibleTurns, modes: new.modes ?? FileModes(), time: time)
        }
    }

    func setMaxNewFileSize(sessionID: String, _ bytes: Int64?) throws {
        try write("cannot change the session") { db in
            try db.execute(sql: "UPDATE session SET max_new_file_size = ? WHERE id = ?", arguments: [bytes, sessionID])
        }
    }

    func session(id: String) throws -> SessionRow? {
        try read("cannot read the session") { db in
            try Row.fetchOne(db, sql: Self.sessionSelect + " WHERE session.id = ?", arguments: [id]).map(Self.sessionRow)
        }
    }

    func sessions(repositoryID: Int64?, includeInactive: Bool) throws -> [SessionRow] {
        try read("cannot list sessions") { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let repositoryID { conditions.append("session.repository_id = ?"); arguments += [repositoryID] }
            if !includeInactive { conditions.append("session.status = 'active'") }
            let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            return try Row.fetchAll(db, sql: Self.sessionSelect + filter + " ORDER BY session.created_at, session.id",
                                    arguments: arguments).map(Self.sessionRow)
        }
    }

    /// Newest first.
    func operations(sessionID: String) throws -> [SessionOperation] {
        try read("cannot list operations") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM operation WHERE session_id = ? ORDER BY id DESC", arguments: [sessionID])
                .map { row in
                    SessionOperation(id: row["id"], parent: row["parent_id"], kind: row["kind"], description: row["description"],
                                     workingCopy: row["working_copy"], target: row["target_id"], restored: row["restored_id"],
                                     visibleTurns: Self.turnList(row["visible_turns"]), modes: FileModes(text: row["modes"]),
                                     time: Self.date(row["created_at"]))
                }
        }
    }

    private static func insertOperation(_ db: Database, sessionID: String, parent: Int64?, _ new: NewOperation, at time: Date) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO operation (session_id, parent_id, kind, description, working_copy, target_id, restored_id,
                                       visible_turns, modes, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [sessionID, parent, new.kind, new.description, new.workingCopy, new.target, new.restored,
                        new.visibleTurns.map(String.init).joined(separator: ","), (new.modes ?? FileModes()).text, seconds(time)])
        return db.lastInsertedRowID
    }

    private static func sessionRow(_ row: Row) -> SessionRow {
        SessionRow(id: row["id"], repositoryID: row["repository_id"], repositoryOwner: row["repository_owner_name"],
                   repositoryName: row["repository_name"], repositoryIsPrivate: row["repository_private"],
                   ownerID: row["owner_id"], ownerName: row["session_owner_name"],
                   title: row["title"], baseBranch: row["base_branch"], baseCommit: row["base_commit"], status: row["status"],
                   headOperationID: row["head_operation_id"], workingCopy: row["working_copy"],
                   visibleTurns: turnList(row["visible_turns"]), modes: FileModes(text: row["modes"]),
                   maxNewFileSize: row["max_new_file_size"], createdAt: date(row["created_at"]))
    }

    static func turnList(_ text: String) -> [Int64] {
        text.split(separator: ",").compactMap { Int64($0) }
    }
}
