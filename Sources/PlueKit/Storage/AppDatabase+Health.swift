import Foundation
import GRDB

/// Which of the migrations this `plue` knows a database has been through.
struct SchemaState: Sendable, Equatable {
    /// The migrations this binary registers, in order.
    let known: [String]
    /// The identifiers the database records as applied, known or not.
    let applied: Set<String>

    /// Known migrations the database has not been through.
    var missing: [String] { known.filter { !applied.contains($0) } }
    /// Applied migrations this binary does not know: a newer `plue` wrote the file.
    var unknown: [String] { applied.subtracting(known).sorted() }
}

/// The checks `plue doctor` runs on the database file itself.
extension AppDatabase {
    /// What SQLite's `PRAGMA integrity_check` reports, at most `limit` lines; empty when the file
    /// is whole. A file too damaged to be read at all gives one line saying so.
    func integrityProblems(limit: Int = 10) throws -> [String] {
        do {
            let lines = try reading("cannot check the database") { connection in
                try connection.rows("PRAGMA integrity_check(\(max(1, limit)))", []) { $0.text(0) }
            }
            return lines == ["ok"] ? [] : lines
        } catch let error as PlueError where error.code == .failed {
            // StorageError's translation of SQLITE_CORRUPT and SQLITE_NOTADB.
            return [error.cause ?? error.messageWithHint]
        }
    }

    /// The migrations GRDB's own table records, against the ones this binary registers.
    func schemaState() throws -> SchemaState {
        let applied = try reading("cannot read the database's migrations") { connection in
            let hasTable = try connection.row("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'grdb_migrations'", []) { _ in true }
            guard hasTable == true else { return [String]() }
            return try connection.rows("SELECT identifier FROM grdb_migrations", []) { $0.text(0) }
        }
        return SchemaState(known: Self.migrator.migrations, applied: Set(applied))
    }

    /// The sessions that have a turn marked running.
    func sessionIDsWithRunningTurns() throws -> [String] {
        try read("cannot read the running turns") { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT session_id FROM turn WHERE state = 'running' ORDER BY session_id")
        }
    }
}

extension AppDatabase {
    /// `applyMigrations` with its failures translated, for `plue doctor --fix`.
    func bringSchemaUpToDate() throws {
        do {
            try applyMigrations()
        } catch {
            throw StorageError.translate(error, "cannot apply the database's missing migrations")
        }
    }
}
