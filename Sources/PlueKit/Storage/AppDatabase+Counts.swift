import GRDB

/// How many of each kind the forge holds right now, for `/metrics`.
public struct ForgeCounts: Sendable, Equatable {
    /// Landing entries by state (`queued`, `checking`, ...), only the states that occur.
    public var landEntries: [String: Int]
    /// Sessions by status (`active`, `landed`, ...), only the statuses that occur.
    public var sessions: [String: Int]
    /// Workflow jobs by status (`queued`, `running`, ...), only the statuses that occur.
    public var workflowJobs: [String: Int] = [:]
}

extension AppDatabase {
    func counts() throws -> ForgeCounts {
        try read("cannot count landing entries, sessions and jobs") { db in
            func grouped(_ sql: String) throws -> [String: Int] {
                var result: [String: Int] = [:]
                for row in try Row.fetchAll(db, sql: sql) { result[row[0]] = row[1] }
                return result
            }
            return ForgeCounts(
                landEntries: try grouped("SELECT state, count(*) FROM land_entry GROUP BY state"),
                sessions: try grouped("SELECT status, count(*) FROM session GROUP BY status"),
                workflowJobs: try grouped("SELECT status, count(*) FROM workflow_job GROUP BY status"))
        }
    }
}

extension Plue {
    /// Counts for monitoring: totals by state, naming no repository, session or user.
    public func counts() throws -> ForgeCounts { try repositories.database.counts() }
}
