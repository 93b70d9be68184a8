import Foundation
import GRDB

/// Workflow runs as rows: created by the trigger (all of a push's in one transaction with the
/// trigger's cursor), read by `plue workflow` and the API.
extension AppDatabase {
    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
    static func dateFromMilliseconds(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

    /// The push events after the trigger's cursor, oldest first, with the cursor they were read at.
    func pushEventsForWorkflows(limit: Int) throws -> (cursor: Int64, events: [(id: Int64, repositoryID: Int64, update: RefUpdate)]) {
        try read("cannot read push events") { db in
            let cursor = try Int64.fetchOne(db, sql: "SELECT last_event_id FROM event_cursor WHERE consumer = 'workflows'") ?? 0
            let rows = try Row.fetchAll(
                db, sql: "SELECT id, repository_id, ref, old_commit, new_commit FROM push_event WHERE id > ? ORDER BY id LIMIT ?",
                arguments: [cursor, limit])
            return (cursor, rows.map { row in
                (row["id"], row["repository_id"], RefUpdate(oldCommit: row["old_commit"], newCommit: row["new_commit"], ref: row["ref"]))
            })
        }
    }

    /// Creates the runs of the events up to `through` and moves the cursor there, in one
    /// transaction, only if the cursor is still at `from`: two triggers (a server and a runner)
    /// never start a push's runs twice, and a trigger killed before the commit leaves both undone.
    /// Returns false when another trigger got there first.
    func recordTriggeredRuns(_ runs: [NewWorkflowRun], from: Int64, through: Int64, at time: Date) throws -> Bool {
        try write("cannot record workflow runs") { db in
            try db.execute(sql: "UPDATE event_cursor SET last_event_id = ? WHERE consumer = 'workflows' AND last_event_id = ?",
                           arguments: [through, from])
            guard db.changesCount == 1 else { return false }
            for run in runs {
                guard let repositoryID = try Self.repositoryOfPush(db, run.pushEventID) else { continue }
                _ = try Self.insertRun(db, repositoryID: repositoryID, run, at: time)
            }
            return true
        }
    }

    private static func repositoryOfPush(_ db: Database, _ id: Int64?) throws -> Int64? {
        guard let id else { return nil }
        return try Int64.fetchOne(db, sql: "SELECT repository_id FROM push_event WHERE id = ?", arguments: [id])
    }

    /// A manual or land run; returns its id.
    func createRun(repositoryID: Int64, _ run: NewWorkflowRun, at time: Date) throws -> Int64 {
        try write("cannot record the workflow run") { db in
            try Self.insertRun(db, repositoryID: repositoryID, run, at: time)
        }
    }

    static func insertRun(_ db: Database, repositoryID: Int64, _ run: NewWorkflowRun, at time: Date) throws -> Int64 {
        let now = milliseconds(time)
        let failed = run.error != nil
        try db.execute(
            sql: """
                INSERT INTO workflow_run (repository_id, workflow_path, workflow_name, event, ref, commit_id, push_event_id,
                    land_entry_id, requested_by, status, error, created_ms, finished_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [repositoryID, run.workflowPath, run.workflowName, run.event.rawValue, run.ref, run.commit, run.pushEventID,
                        run.landEntryID, run.requestedBy, failed ? "failure" : "queued", run.error, now, failed ? now : nil])
        let runID = db.lastInsertedRowID
        var jobIDs: [String: Int64] = [:]
        for (position, job) in run.jobs.enumerated() {
            let definition = try JobDefinition(job: job, workflowEnv: run.workflowEnv).encoded()
            try db.execute(
                sql: "INSERT INTO workflow_job (run_id, job_key, position, definition, status, created_ms) VALUES (?, ?, ?, ?, 'queued', ?)",
                arguments: [runID, job.id, position, definition, now])
            let jobID = db.lastInsertedRowID
            jobIDs[job.id] = jobID
            for (index, step) in job.steps.enumerated() {
                try db.execute(sql: "INSERT INTO workflow_step (job_id, position, name, status) VALUES (?, ?, ?, 'queued')",
                               arguments: [jobID, index + 1, step.name])
            }
        }
        for job in run.jobs {
            for need in job.needs {
                try db.execute(sql: "INSERT INTO workflow_job_need (job_id, needed_id) VALUES (?, ?)",
                               arguments: [jobIDs[job.id], jobIDs[need]])
            }
        }
        return runID
    }

    /// Newest first, with how many the repository has.
    /// The repository's runs, newest first, but those checking the land entries in `hiding`.
    func workflowRuns(repositoryID: Int64, fullName: String, hiding: [Int64] = [], limit: Int, offset: Int) throws -> (runs: [WorkflowRun], total: Int) {
        try read("cannot list workflow runs") { db in
            let hidden = hiding.isEmpty ? "" : " AND (land_entry_id IS NULL OR land_entry_id NOT IN (\(hiding.map { _ in "?" }.joined(separator: ", "))))"
            let filter = StatementArguments([repositoryID] + hiding)
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM workflow_run WHERE repository_id = ?" + hidden, arguments: filter) ?? 0
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM workflow_run WHERE repository_id = ?" + hidden + " ORDER BY id DESC LIMIT ? OFFSET ?",
                                         arguments: filter + [limit, offset])
            return (try ids.compactMap { try Self.workflowRun(db, id: $0, fullName: fullName) }, total)
        }
    }

    /// The run and the id of its repository.
    func workflowRun(id: Int64) throws -> (run: WorkflowRun, repositoryID: Int64)? {
        try read("cannot read the workflow run") { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT repository.id, user.name AS owner, repository.name FROM workflow_run JOIN repository ON repository.id = workflow_run.repository_id JOIN user ON user.id = repository.owner_id WHERE workflow_run.id = ?",
                arguments: [id]) else { return nil }
            let owner: String = row["owner"], name: String = row["name"]
            return try Self.workflowRun(db, id: id, fullName: owner + "/" + name).map { ($0, row["id"]) }
        }
    }

    /// The runs checking one land result.
    func landRuns(entryID: Int64, commit: String) throws -> [(id: Int64, name: String, status: WorkflowStatus)] {
        try read("cannot read the land's workflow runs") { db in
            try Row.fetchAll(db, sql: "SELECT id, workflow_name, status FROM workflow_run WHERE land_entry_id = ? AND commit_id = ? ORDER BY id",
                             arguments: [entryID, commit]).map { row in
                (row["id"], row["workflow_name"], WorkflowStatus(rawValue: row["status"]) ?? .failure)
            }
        }
    }

    static func workflowRun(_ db: Database, id: Int64, fullName: String) throws -> WorkflowRun? {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT workflow_run.*, user.name AS requester FROM workflow_run LEFT JOIN user ON user.id = workflow_run.requested_by WHERE workflow_run.id = ?",
            arguments: [id]) else { return nil }
        let jobRows = try Row.fetchAll(db, sql: "SELECT * FROM workflow_job WHERE run_id = ? ORDER BY position", arguments: [id])
        var jobs: [WorkflowJob] = []
        for job in jobRows {
            let jobID: Int64 = job["id"]
            let steps = try Row.fetchAll(db, sql: "SELECT * FROM workflow_step WHERE job_id = ? ORDER BY position", arguments: [jobID]).map { step in
                WorkflowStep(position: step["position"], name: step["name"], status: WorkflowStatus(rawValue: step["status"]) ?? .failure,
                             exitCode: step["exit_code"], startedAt: (step["started_ms"] as Int64?).map { dateFromMilliseconds($0) },
                             finishedAt: (step["finished_ms"] as Int64?).map { dateFromMilliseconds($0) })
            }
            let needs = try String.fetchAll(
                db, sql: "SELECT needed.job_key FROM workflow_job_need JOIN workflow_job AS needed ON needed.id = workflow_job_need.needed_id WHERE workflow_job_need.job_id = ? ORDER BY needed.position",
                arguments: [jobID])
            let definition: String = job["definition"], key: String = job["job_key"]
            let name = (try? JobDefinition.decode(definition))?.job.name ?? key
            jobs.append(WorkflowJob(id: jobID, key: job["job_key"], name: name, needs: needs,
                                    status: WorkflowStatus(rawValue: job["status"]) ?? .failure, reason: job["reason"], attempts: job["attempts"],
                                    startedAt: (job["started_ms"] as Int64?).map { dateFromMilliseconds($0) },
                                    finishedAt: (job["finished_ms"] as Int64?).map { dateFromMilliseconds($0) }, steps: steps))
        }
        return WorkflowRun(id: id, repository: fullName, workflowPath: row["workflow_path"], workflowName: row["workflow_name"],
                           event: WorkflowEvent(rawValue: row["event"]) ?? .manual, ref: row["ref"], commit: row["commit_id"],
                           pushEventID: row["push_event_id"], landEntryID: row["land_entry_id"], requestedBy: row["requester"],
                           status: WorkflowStatus(rawValue: row["status"]) ?? .failure, error: row["error"],
                           createdAt: dateFromMilliseconds(row["created_ms"]),
                           startedAt: (row["started_ms"] as Int64?).map { dateFromMilliseconds($0) },
                           finishedAt: (row["finished_ms"] as Int64?).map { dateFromMilliseconds($0) }, jobs: jobs)
    }

    /// Lines of a run's logs after `afterID`, oldest first; `job` narrows to one job's key.
    func workflowLogs(runID: Int64, job: String?, afterID: Int64, limit: Int) throws -> [WorkflowLogLine] {
        try read("cannot read the workflow logs") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT workflow_log.*, workflow_job.job_key FROM workflow_log JOIN workflow_job ON workflow_job.id = workflow_log.job_id
                    WHERE workflow_job.run_id = ? AND (? IS NULL OR workflow_job.job_key = ?) AND workflow_log.id > ?
                    ORDER BY workflow_log.id LIMIT ?
                    """,
                arguments: [runID, job, job, afterID, limit]
            ).map { row in
                WorkflowLogLine(id: row["id"], job: row["job_key"], attempt: row["attempt"], step: row["step"],
                                time: Self.dateFromMilliseconds(row["time_ms"]), text: row["text"])
            }
        }
    }

    /// Cancels a run: its queued jobs at once, its running ones by asking their runners (they stop
    /// the steps within seconds and record the job cancelled). Returns false for a finished run.
    func cancelWorkflowRun(id: Int64, at time: Date) throws -> Bool {
        try write("cannot cancel the workflow run") { db in
            let status = try String.fetchOne(db, sql: "SELECT status FROM workflow_run WHERE id = ?", arguments: [id])
            guard let status, !(WorkflowStatus(rawValue: status)?.isFinished ?? true) else { return false }
            let now = Self.milliseconds(time)
            try db.execute(sql: "UPDATE workflow_job SET cancel_requested = 1 WHERE run_id = ? AND status = 'running'", arguments: [id])
            try db.execute(
                sql: "UPDATE workflow_job SET status = 'cancelled', reason = 'cancelled before it started', finished_ms = ? WHERE run_id = ? AND status = 'queued'",
                arguments: [now, id])
            try db.execute(sql: "UPDATE workflow_step SET status = 'cancelled' WHERE status = 'queued' AND job_id IN (SELECT id FROM workflow_job WHERE run_id = ? AND status = 'cancelled')",
                           arguments: [id])
            try Self.settleRun(db, id: id, now: now)
            return true
        }
    }

    /// After a job finished: skips the queued jobs whose needs did not succeed, then gives the run
    /// its outcome once no job is left queued or running.
    static func settleRun(_ db: Database, id: Int64, now: Int64) throws {
        repeat {
            try db.execute(
                sql: """
                    UPDATE workflow_job SET status = 'skipped', reason = 'a job it needs did not succeed', finished_ms = ?
                    WHERE run_id = ? AND status = 'queued' AND EXISTS (
                        SELECT 1 FROM workflow_job_need JOIN workflow_job AS needed ON needed.id = workflow_job_need.needed_id
                        WHERE workflow_job_need.job_id = workflow_job.id AND needed.status IN ('failure', 'cancelled', 'timed_out', 'skipped'))
                    """,
                arguments: [now, id])
        } while db.changesCount > 0
        try db.execute(sql: "UPDATE workflow_step SET status = 'skipped' WHERE status = 'queued' AND job_id IN (SELECT id FROM workflow_job WHERE run_id = ? AND status = 'skipped')",
                       arguments: [id])
        let statuses = try String.fetchAll(db, sql: "SELECT status FROM workflow_job WHERE run_id = ?", arguments: [id])
            .compactMap(WorkflowStatus.init(rawValue:))
        if statuses.contains(where: { !$0.isFinished }) {
            if statuses.contains(where: { $0 != .queued }) {
                try db.execute(sql: "UPDATE workflow_run SET status = 'running', started_ms = COALESCE(started_ms, ?) WHERE id = ? AND status = 'queued'",
                               arguments: [now, id])
            }
            return
        }
        let outcome: WorkflowStatus
        if statuses.contains(.failure) { outcome = .failure }
        else if statuses.contains(.timedOut) { outcome = .timedOut }
        else if statuses.contains(.cancelled) { outcome = .cancelled }
        else { outcome = .success }
        try db.execute(
            sql: "UPDATE workflow_run SET status = ?, finished_ms = ?, started_ms = COALESCE(started_ms, ?) WHERE id = ? AND status IN ('queued', 'running')",
            arguments: [outcome.rawValue, now, now, id])
    }

    // MARK: Branch protection

    func setRequiredWorkflows(repositoryID: Int64, branch: String, workflows: [String]) throws {
        try write("cannot record the branch's protection") { db in
            try db.execute(sql: "DELETE FROM branch_protection WHERE repository_id = ? AND branch = ?", arguments: [repositoryID, branch])
            for workflow in workflows {
                try db.execute(sql: "INSERT OR IGNORE INTO branch_protection (repository_id, branch, workflow) VALUES (?, ?, ?)",
                               arguments: [repositoryID, branch, workflow])
            }
        }
    }

    /// Branch → required workflows, branches in order.
    func branchProtection(repositoryID: Int64) throws -> [(branch: String, workflows: [String])] {
        try read("cannot read branch protection") { db in
            let rows = try Row.fetchAll(db, sql: "SELECT branch, workflow FROM branch_protection WHERE repository_id = ? ORDER BY branch, workflow",
                                        arguments: [repositoryID])
            var result: [(String, [String])] = []
            for row in rows {
                let branch: String = row["branch"], workflow: String = row["workflow"]
                if result.last?.0 == branch { result[result.count - 1].1.append(workflow) } else { result.append((branch, [workflow])) }
            }
            return result
        }
    }

    func requiredWorkflows(repositoryID: Int64, branch: String) throws -> [String] {
        try read("cannot read branch protection") { db in
            try String.fetchAll(db, sql: "SELECT workflow FROM branch_protection WHERE repository_id = ? AND branch = ? ORDER BY workflow",
                                arguments: [repositoryID, branch])
        }
    }

    func repositoryFullName(id: Int64) throws -> String? {
        try read("cannot read the repository") { db in
            try Row.fetchOne(db, sql: "SELECT user.name AS owner, repository.name FROM repository JOIN user ON user.id = repository.owner_id WHERE repository.id = ?",
                             arguments: [id]).map { row in (row["owner"] as String) + "/" + (row["name"] as String) }
        }
    }
}
