import Foundation
import GRDB

/// The durable job queue. A runner claims a job with a lease in one `UPDATE ... RETURNING`, keeps
/// renewing it while the job runs, and finishes it only while it still holds it; a lease left to
/// expire (a runner killed) puts the job back in the queue, or fails it after `maxAttempts`.
extension AppDatabase {
    /// Claims a queued job whose needs have all succeeded, for `lease` milliseconds: the oldest of
    /// the repository with the fewest jobs running. First takes back jobs whose leases expired.
    func claimJob(runner: String, leaseMilliseconds: Int64, maxAttempts: Int, onlyRuns: [Int64]? = nil, at time: Date) throws -> ClaimedJob? {
        try write("cannot take a job from the queue") { db in
            let now = Self.milliseconds(time)
            try Self.recoverExpiredLeases(db, now: now, maxAttempts: maxAttempts)
            let runList = onlyRuns.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }
            guard let row = try Row.fetchOne(
                db,
                sql: """
                    UPDATE workflow_job SET status = 'running', runner = ?, lease_until_ms = ?, attempts = attempts + 1,
                        started_ms = ?, reason = ''
                    WHERE id = (
                        SELECT job.id FROM workflow_job AS job JOIN workflow_run AS run ON run.id = job.run_id
                        WHERE job.status = 'queued' AND NOT EXISTS (
                            SELECT 1 FROM workflow_job_need JOIN workflow_job AS needed ON needed.id = workflow_job_need.needed_id
                            WHERE workflow_job_need.job_id = job.id AND needed.status <> 'success')
                        AND (? IS NULL OR job.run_id IN (SELECT value FROM json_each(?)))
                        -- Fair between repositories: the one with the fewest jobs running first, so
                        -- a push of a thousand branches to one does not hold every other's CI back.
                        ORDER BY (SELECT count(*) FROM workflow_job AS busy JOIN workflow_run AS busy_run ON busy_run.id = busy.run_id
                                  WHERE busy.status = 'running' AND busy_run.repository_id = run.repository_id), job.id
                        LIMIT 1)
                    RETURNING id, run_id, job_key, attempts, definition
                    """,
                arguments: [runner, now + leaseMilliseconds, now, runList, runList]) else { return nil }
            let jobID: Int64 = row["id"], runID: Int64 = row["run_id"]
            try db.execute(sql: "UPDATE workflow_step SET status = 'queued', exit_code = NULL, started_ms = NULL, finished_ms = NULL WHERE job_id = ?",
                           arguments: [jobID])
            try db.execute(sql: "UPDATE workflow_run SET status = 'running', started_ms = COALESCE(started_ms, ?) WHERE id = ? AND status = 'queued'",
                           arguments: [now, runID])
            guard let run = try Row.fetchOne(
                db,
                sql: """
                    SELECT workflow_run.*, user.name AS owner, repository.name FROM workflow_run
                    JOIN repository ON repository.id = workflow_run.repository_id JOIN user ON user.id = repository.owner_id
                    WHERE workflow_run.id = ?
                    """,
                arguments: [runID]) else { return nil }
            let owner: String = run["owner"], name: String = run["name"]
            return ClaimedJob(id: jobID, runID: runID, key: row["job_key"], attempt: row["attempts"],
                              definition: try JobDefinition.decode(row["definition"]), repositoryID: run["repository_id"],
                              repository: owner + "/" + name, commit: run["commit_id"], ref: run["ref"],
                              event: WorkflowEvent(rawValue: run["event"]) ?? .manual)
        }
    }

    private static func recoverExpiredLeases(_ db: Database, now: Int64, maxAttempts: Int) throws {
        let expired = try Row.fetchAll(
            db, sql: "SELECT id, run_id, attempts, cancel_requested FROM workflow_job WHERE status = 'running' AND lease_until_ms < ?",
            arguments: [now])
        for job in expired {
            let id: Int64 = job["id"], runID: Int64 = job["run_id"], attempts: Int = job["attempts"]
            let cancelled: Bool = job["cancel_requested"]
            if cancelled || attempts >= maxAttempts {
                let reason = cancelled ? "cancelled; its runner stopped before it could say so"
                    : "its runner stopped \(attempts) times while running it (lease expired); look into the runner, then run it again"
                try db.execute(sql: "UPDATE workflow_job SET status = ?, reason = ?, finished_ms = ?, runner = NULL, lease_until_ms = NULL WHERE id = ?",
                               arguments: [cancelled ? "cancelled" : "failure", reason, now, id])
                try db.execute(sql: "UPDATE workflow_step SET status = ?, finished_ms = ? WHERE job_id = ? AND status IN ('queued', 'running')",
                               arguments: [cancelled ? "cancelled" : "failure", now, id])
                try settleRun(db, id: runID, now: now)
            } else {
                try db.execute(
                    sql: "UPDATE workflow_job SET status = 'queued', reason = ?, runner = NULL, lease_until_ms = NULL WHERE id = ?",
                    arguments: ["its runner stopped (lease expired after attempt \(attempts)); queued again", id])
            }
        }
    }

    /// Extends a lease. Returns nil when the runner no longer holds the job (its lease expired and
    /// someone took it back), else whether the job's run was cancelled.
    func renewLease(jobID: Int64, runner: String, leaseMilliseconds: Int64, at time: Date) throws -> Bool? {
        try write("cannot renew the job's lease") { db in
            let now = Self.milliseconds(time)
            return try Bool.fetchOne(
                db,
                sql: """
                    UPDATE workflow_job SET lease_until_ms = ? WHERE id = ? AND runner = ? AND status = 'running'
                    RETURNING cancel_requested
                    """,
                arguments: [now + leaseMilliseconds, jobID, runner])
        }
    }

    func startStep(jobID: Int64, runner: String, position: Int, at time: Date) throws {
        try write("cannot record the step's start") { db in
            try db.execute(
                sql: """
                    UPDATE workflow_step SET status = 'running', started_ms = ? WHERE job_id = ? AND position = ?
                    AND EXISTS (SELECT 1 FROM workflow_job WHERE id = ? AND runner = ? AND status = 'running')
                    """,
                arguments: [Self.milliseconds(time), jobID, position, jobID, runner])
        }
    }

    func finishStep(jobID: Int64, runner: String, position: Int, status: WorkflowStatus, exitCode: Int32?, at time: Date) throws {
        try write("cannot record the step's outcome") { db in
            try db.execute(
                sql: """
                    UPDATE workflow_step SET status = ?, exit_code = ?, finished_ms = ?, started_ms = COALESCE(started_ms, ?)
                    WHERE job_id = ? AND position = ?
                    AND EXISTS (SELECT 1 FROM workflow_job WHERE id = ? AND runner = ? AND status = 'running')
                    """,
                arguments: [status.rawValue, exitCode, Self.milliseconds(time), Self.milliseconds(time), jobID, position, jobID, runner])
        }
    }

    /// Appends lines to a job's log, one transaction for the lot.
    func appendLog(jobID: Int64, attempt: Int, lines: [(step: Int, time: Date, text: String)]) throws {
        guard !lines.isEmpty else { return }
        try write("cannot store the job's output") { db in
            let statement = try db.cachedStatement(sql: "INSERT INTO workflow_log (job_id, attempt, step, time_ms, text) VALUES (?, ?, ?, ?, ?)")
            for line in lines {
                try statement.execute(arguments: [jobID, attempt, line.step, Self.milliseconds(line.time), line.text])
            }
        }
    }

    /// Records a job's outcome if this runner still holds it, then settles its run.
    @discardableResult
    func finishJob(jobID: Int64, runner: String, status: WorkflowStatus, reason: String, at time: Date) throws -> Bool {
        try write("cannot record the job's outcome") { db in
            let now = Self.milliseconds(time)
            guard let runID = try Int64.fetchOne(
                db,
                sql: """
                    UPDATE workflow_job SET status = ?, reason = ?, finished_ms = ?, lease_until_ms = NULL
                    WHERE id = ? AND runner = ? AND status = 'running' RETURNING run_id
                    """,
                arguments: [status.rawValue, reason, now, jobID, runner]) else { return false }
            let stepStatus = status == .success || status == .failure ? WorkflowStatus.skipped : status
            try db.execute(sql: "UPDATE workflow_step SET status = ? WHERE job_id = ? AND status IN ('queued', 'running')",
                           arguments: [stepStatus.rawValue, jobID])
            try Self.settleRun(db, id: runID, now: now)
            return true
        }
    }

    /// Jobs not finished, for a runner's `--once` and the metrics.
    func queuedJobCount() throws -> Int {
        try read("cannot count queued jobs") { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM workflow_job WHERE status IN ('queued', 'running')") ?? 0
        }
    }

    /// Puts a job this runner holds back in the queue, its attempt not counted: the runner is
    /// stopping on request, not dying.
    func releaseJob(jobID: Int64, runner: String) throws {
        try write("cannot hand the job back to the queue") { db in
            try db.execute(
                sql: """
                    UPDATE workflow_job SET status = 'queued', runner = NULL, lease_until_ms = NULL, attempts = max(attempts - 1, 0),
                        reason = 'handed back by a runner that stopped'
                    WHERE id = ? AND runner = ? AND status = 'running'
                    """,
                arguments: [jobID, runner])
            try db.execute(sql: "UPDATE workflow_step SET status = 'queued', exit_code = NULL, started_ms = NULL, finished_ms = NULL WHERE job_id = ?",
                           arguments: [jobID])
            // A run with nothing started or finished is queued again, as it shows.
            try db.execute(
                sql: """
                    UPDATE workflow_run SET status = 'queued', started_ms = NULL
                    WHERE id = (SELECT run_id FROM workflow_job WHERE id = ?) AND status = 'running'
                    AND NOT EXISTS (SELECT 1 FROM workflow_job WHERE run_id = workflow_run.id AND status <> 'queued')
                    """,
                arguments: [jobID])
        }
    }

    func jobIsRunning(id: Int64, attempt: Int) throws -> Bool {
        try read("cannot read the job") { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM workflow_job WHERE id = ? AND attempts = ? AND status = 'running')",
                              arguments: [id, attempt]) ?? false
        }
    }

    /// What the logs of the run a job belongs to hold, each line counted `rowCost` bytes more than its text.
    func logBytesOfRun(jobID: Int64, rowCost: Int) throws -> Int {
        try read("cannot measure the run's logs") { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COALESCE(SUM(length(CAST(text AS BLOB)) + ?), 0) FROM workflow_log
                    WHERE job_id IN (SELECT id FROM workflow_job WHERE run_id = (SELECT run_id FROM workflow_job WHERE id = ?))
                    """,
                arguments: [rowCost, jobID]) ?? 0
        }
    }

    /// A queued job, or a running one whose lease expired: a cheap read before a runner's claim,
    /// which writes.
    func hasClaimableJob(at time: Date) throws -> Bool {
        try read("cannot read the job queue") { db in
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM workflow_job WHERE status = 'queued' OR (status = 'running' AND lease_until_ms < ?))",
                arguments: [Self.milliseconds(time)]) ?? false
        }
    }
}
