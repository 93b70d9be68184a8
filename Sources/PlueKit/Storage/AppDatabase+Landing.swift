import Foundation
import GRDB

struct NewLandEntry: Sendable {
    let repositoryID: Int64
    let source: LandSource
    let target: String
    let strategy: LandStrategy
    let message: String?
    let headCommit: String
    let requestedBy: Int64?
    let reason: String
}

/// How a runner leaves an entry: its final state, and for a land the push event and the session.
struct LandOutcome: Sendable {
    let state: LandEntry.State
    let reason: String
    var conflicts: [LandEntry.Conflict] = []
    var result: String? = nil
    /// The target ref's move, recorded as a push event.
    var push: RefUpdate? = nil
    var pusherID: Int64? = nil
    var sizeBytes: Int64? = nil
    /// A session that landed, marked landed.
    var landedSession: String? = nil
}

extension AppDatabase {
    private static let landSelect = """
        SELECT land_entry.*, repository.name AS repository_name, owner.name AS owner_name, requester.name AS requester_name,
               CASE WHEN land_entry.state IN ('queued', 'checking') THEN
                   (SELECT COUNT(*) FROM land_entry AS ahead WHERE ahead.repository_id = land_entry.repository_id
                    AND ahead.state IN ('queued', 'checking') AND ahead.id <= land_entry.id)
               END AS position
        FROM land_entry
        JOIN repository ON repository.id = land_entry.repository_id
        JOIN user AS owner ON owner.id = repository.owner_id
        LEFT JOIN user AS requester ON requester.id = land_entry.requested_by
        """

    /// Queues an entry, unless the same source is already waiting in this repository's queue.
    func enqueueLand(_ new: NewLandEntry, at time: Date) throws -> LandEntry {
        try write("cannot queue the land") { db in
            if let waiting = try Int64.fetchOne(
                db, sql: """
                    SELECT id FROM land_entry WHERE repository_id = ? AND source_kind = ? AND source_name = ?
                    AND state IN ('queued', 'checking')
                    """,
                arguments: [new.repositoryID, new.source.kind, new.source.name]) {
                throw PlueError(.alreadyExists, "\(new.source.description) is already in the landing queue as entry \(waiting)", hint: "see `plue land show \(waiting)`")
            }
            try db.execute(
                sql: """
                    INSERT INTO land_entry (repository_id, source_kind, source_name, target_branch, strategy, message, head_commit,
                                            requested_by, state, reason, queued_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)
                    """,
                arguments: [new.repositoryID, new.source.kind, new.source.name, new.target, new.strategy.rawValue, new.message,
                            new.headCommit, new.requestedBy, new.reason, Self.seconds(time)])
            return try Self.landEntry(db, id: db.lastInsertedRowID)!
        }
    }

    func landEntry(id: Int64) throws -> LandEntry? {
        try read("cannot read the land entry") { db in try Self.landEntry(db, id: id) }
    }

    /// Queue order; only waiting entries unless `includeFinished`.
    func landEntries(repositoryID: Int64, includeFinished: Bool) throws -> [LandEntry] {
        try read("cannot list the landing queue") { db in
            let filter = includeFinished ? "" : " AND land_entry.state IN ('queued', 'checking')"
            return try Row.fetchAll(db, sql: Self.landSelect + " WHERE land_entry.repository_id = ?" + filter + " ORDER BY land_entry.id",
                                    arguments: [repositoryID]).map { try Self.landEntry(db, $0) }
        }
    }

    /// Whether an entry waits (queued, or left checking by a runner that died): a read, so an idle
    /// runner polling the queue writes nothing.
    func hasWaitingLand(repositoryID: Int64) throws -> Bool {
        try read("cannot read the landing queue") { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM land_entry WHERE repository_id = ? AND state IN ('queued', 'checking') LIMIT 1",
                              arguments: [repositoryID]) ?? false
        }
    }

    /// The full names of the repositories whose queues hold waiting or checking entries.
    func repositoriesWithWaitingLands() throws -> [String] {
        try read("cannot read the landing queues") { db in
            try String.fetchAll(db, sql: """
                SELECT user.name || '/' || repository.name FROM repository
                JOIN user ON user.id = repository.owner_id
                WHERE repository.id IN (SELECT repository_id FROM land_entry WHERE state IN ('queued', 'checking'))
                ORDER BY repository.id
                """)
        }
    }

    /// Puts an entry a runner took up back in the queue when a passing condition (a busy database, a
    /// locked ref or session) stopped it, undoing the attempt it counted: attempts count runners
    /// that died, not waits.
    func requeueLand(id: Int64, reason: String) throws {
        try write("cannot put the land back in the queue") { db in
            try db.execute(
                sql: "UPDATE land_entry SET state = 'queued', attempts = attempts - 1, reason = ? WHERE id = ? AND state = 'checking'",
                arguments: [reason, id])
        }
    }

    /// Takes up the head of the queue: the oldest entry still waiting, or one a dead runner left
    /// checking. Only a runner holding the queue's lock may call this.
    func startNextLand(repositoryID: Int64, runner: Int32, at time: Date) throws -> LandEntry? {
        try write("cannot take up the next land") { db in
            guard let id = try Int64.fetchOne(
                db, sql: "SELECT MIN(id) FROM land_entry WHERE repository_id = ? AND state IN ('queued', 'checking')",
                arguments: [repositoryID]) else { return nil }
            try db.execute(
                sql: """
                    UPDATE land_entry SET state = 'checking', attempts = attempts + 1, started_at = ?,
                        reason = 'taken up by the runner with process id ' || ? || ', attempt ' || (attempts + 1)
                    WHERE id = ?
                    """,
                arguments: [Self.seconds(time), runner, id])
            return try Self.landEntry(db, id: id)
        }
    }

    /// Remembers the result built for an entry before the target moves, so a runner that dies
    /// after moving it can be followed by one that recognises the land.
    func recordLandBuild(id: Int64, builtOn: String, result: String) throws {
        try write("cannot record the built land") { db in
            try db.execute(sql: "UPDATE land_entry SET built_on = ?, result_commit = ? WHERE id = ? AND state = 'checking'",
                           arguments: [builtOn, result, id])
        }
    }

    /// Leaves a checking entry waiting for its required workflow runs; the pass is not counted as
    /// an attempt (attempts count runners that died).
    func waitForLandChecks(id: Int64, reason: String) throws -> LandEntry {
        try write("cannot record that the land waits for workflows") { db in
            try db.execute(sql: "UPDATE land_entry SET reason = ?, attempts = max(attempts - 1, 0) WHERE id = ? AND state = 'checking'",
                           arguments: [reason, id])
            guard let entry = try Self.landEntry(db, id: id) else { throw PlueError.notFound("land entry \(id) is gone") }
            return entry
        }
    }

    /// Finishes a checking entry: its state, conflicts, the push event of a land and the landed
    /// session, all in one transaction.
    func finishLand(id: Int64, repositoryID: Int64, _ outcome: LandOutcome, at time: Date) throws -> LandEntry {
        try write("cannot record the land's outcome") { db in
            try db.execute(
                sql: """
                    UPDATE land_entry SET state = ?, reason = ?, result_commit = COALESCE(?, result_commit), finished_at = ?
                    WHERE id = ? AND state = 'checking'
                    """,
                arguments: [outcome.state.rawValue, outcome.reason, outcome.result, Self.seconds(time), id])
            guard db.changesCount == 1 else {
                throw PlueError(.unavailable, "land entry \(id) is no longer being checked; run the queue again")
            }
            for (position, conflict) in outcome.conflicts.enumerated() {
                try db.execute(sql: "INSERT INTO land_conflict (entry_id, position, path, kind) VALUES (?, ?, ?, ?)",
                               arguments: [id, position, conflict.path, conflict.kind])
            }
            if let push = outcome.push {
                try Self.insertPush(db, repositoryID: repositoryID, updates: [push], pusherID: outcome.pusherID, deployKeyID: nil,
                                    sizeBytes: outcome.sizeBytes ?? 0, at: time)
            }
            if let session = outcome.landedSession {
                // Only an active session: one aborted meanwhile keeps the state its owner gave it.
                try db.execute(sql: "UPDATE session SET status = 'landed' WHERE id = ? AND status = 'active'", arguments: [session])
            }
            return try Self.landEntry(db, id: id)!
        }
    }

    /// Cancels a queued entry; returns the entry as it is afterwards (unchanged when it was not queued).
    func cancelLand(id: Int64, at time: Date) throws -> (cancelled: Bool, entry: LandEntry?) {
        try write("cannot cancel the land") { db in
            try db.execute(
                sql: """
                    UPDATE land_entry SET state = 'cancelled', reason = 'cancelled before it was checked', finished_at = ?
                    WHERE id = ? AND state = 'queued'
                    """,
                arguments: [Self.seconds(time), id])
            return (db.changesCount == 1, try Self.landEntry(db, id: id))
        }
    }

    /// Cancels an entry that waits for its required workflow runs; nil when it no longer does.
    func cancelWaitingLand(id: Int64, at time: Date) throws -> LandEntry? {
        try write("cannot cancel the land") { db in
            try db.execute(
                sql: """
                    UPDATE land_entry SET state = 'cancelled', reason = 'cancelled while it waited for its required workflows', finished_at = ?
                    WHERE id = ? AND state = 'checking' AND reason LIKE 'waiting for required workflow runs%'
                    """,
                arguments: [Self.seconds(time), id])
            return db.changesCount == 1 ? try Self.landEntry(db, id: id) : nil
        }
    }

    private static func landEntry(_ db: Database, id: Int64) throws -> LandEntry? {
        try Row.fetchOne(db, sql: landSelect + " WHERE land_entry.id = ?", arguments: [id]).map { try landEntry(db, $0) }
    }

    private static func landEntry(_ db: Database, _ row: Row) throws -> LandEntry {
        let id: Int64 = row["id"]
        let conflicts = try Row.fetchAll(db, sql: "SELECT path, kind FROM land_conflict WHERE entry_id = ? ORDER BY position",
                                         arguments: [id]).map { LandEntry.Conflict(path: $0["path"], kind: $0["kind"]) }
        let name: String = row["source_name"]
        let source: LandSource = (row["source_kind"] as String) == "session" ? .session(name) : .branch(name)
        return LandEntry(
            id: id, repository: "\(row["owner_name"] as String)/\(row["repository_name"] as String)", source: source,
            target: row["target_branch"], strategy: LandStrategy(rawValue: row["strategy"]) ?? .rebase, message: row["message"],
            headCommit: row["head_commit"], requestedBy: row["requester_name"],
            state: LandEntry.State(rawValue: row["state"]) ?? .failed, reason: row["reason"], conflicts: conflicts,
            builtOn: row["built_on"], result: row["result_commit"], attempts: row["attempts"], position: row["position"],
            queuedAt: date(row["queued_at"]), startedAt: (row["started_at"] as Int64?).map(date),
            finishedAt: (row["finished_at"] as Int64?).map(date))
    }
}
