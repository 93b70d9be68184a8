import Foundation

/// `plue doctor`: checks a home for what moving or upgrading `plue`, a killed command or a change
/// by hand can leave behind, and with `fix` repairs what it can without deciding anything about
/// data: it rewrites hooks Plue wrote, removes staging leftovers, closes stuck turns, applies
/// missing migrations and sets the secret's mode. Rows without folders and folders without rows
/// are only reported: which half to keep is the administrator's decision.
///
/// It works on a damaged home: a missing, unreadable or damaged database is a finding, and only
/// the checks that read it are skipped.
public struct HomeDoctor: Sendable {
    let home: PlueHome
    /// The `plue` that rewritten hooks call: the running one.
    let executable: String

    public init(home: PlueHome, executable: String = FilePath.currentExecutable()) {
        self.home = home
        self.executable = executable
    }

    /// Runs every check, repairing what it can when `fix` is set; each finding says whether it was.
    public func examine(fix: Bool) throws -> DoctorReport {
        guard FileSystem.isDirectory(home.root) else {
            throw PlueError.notFound("no Plue home at \(home.root)", hint: "pass --home DIR, or create one with `plue init --home \(home.root)`")
        }
        // Repairs write hooks, objects and the database: as another account (sudo), they would
        // leave files the home's owner cannot write. A report changes nothing, so anyone may ask.
        var root = stat()
        if fix && lstat(home.root, &root) == 0 && root.st_uid != geteuid() {
            throw PlueError(.permissionDenied, "plue doctor --fix must run as the account that owns \(home.root) "
                            + "(uid \(root.st_uid)), so what it writes stays that account's; try `sudo -u OWNER plue doctor --fix`")
        }
        // A home this account may not read looks empty: a report from there would be wrong.
        var status = stat()
        if lstat(home.databasePath, &status) != 0 && errno == EACCES || access(home.root, R_OK | X_OK) != 0 {
            throw PlueError(.permissionDenied, "this account may not read the home at \(home.root); run plue doctor as the account that owns the home")
        }
        var findings: [DoctorFinding] = []
        let database = checkDatabase(fix: fix, into: &findings)
        findings += checking("the server secret") { try checkSecret(fix: fix) }
        findings += checking("the staging folders") { try checkLeftovers(fix: fix) }
        findings += checking("the repositories' hooks") { try checkHooks(fix: fix, database: database) }
        if let database {
            let plue = Plue(home: home, database: database, executable: executable)
            findings += checking("the repository records") { try checkRepositoryRecords(database) }
            findings += checking("the session records") { try checkSessionRecords(database) }
            findings += checking("the running turns") { try checkTurns(plue.sessions, database: database, fix: fix) }
        }
        return DoctorReport(home: home.root, findings: findings)
    }

    /// A check that cannot run is a finding too, so the others still run.
    private func checking(_ what: String, _ check: () throws -> [DoctorFinding]) -> [DoctorFinding] {
        do {
            return try check()
        } catch {
            return [DoctorFinding(.checkFailed, message: "cannot check \(what): \(Self.describe(error))",
                                  remedy: "fix what the message names, then run `plue doctor` again")]
        }
    }

    static func describe(_ error: any Error) -> String {
        (error as? PlueError)?.description ?? String(describing: error)
    }

    static func skipped(_ message: String) -> String { message + "; the checks that read the database were skipped" }

    /// The database file, its integrity and its schema. Returns the database when the checks that
    /// read it can run: opened read-only for a report, for writing when fixing.
    private func checkDatabase(fix: Bool, into findings: inout [DoctorFinding]) -> AppDatabase? {
        var status = stat()
        let path = home.databasePath
        // The same checks every command makes before opening: never through a link, never a FIFO
        // (opening one would wait for a writer forever), never an empty file.
        if lstat(path, &status) == 0 {
            do {
                try Plue.checkDatabaseFile(of: home)
            } catch let error as PlueError where error.code == .damaged {
                findings.append(DoctorFinding(.databaseDamaged, path: path, message: Self.skipped(error.messageWithHint),
                                              remedy: "stop every plue command and restore plue.db from a backup"))
                return nil
            } catch {
                return nil
            }
        }
        guard FileSystem.exists(path) else {
            findings.append(DoctorFinding(.databaseMissing, path: path, message: Self.skipped("there is no database file"),
                                          remedy: "restore plue.db from a backup; the repositories under \(home.repositoriesPath) are untouched"))
            return nil
        }
        let inspected: AppDatabase
        let schema: SchemaState
        do {
            // Read-only: a report changes nothing, not even the schema.
            inspected = try AppDatabase.open(path: path, create: false, readOnly: true)
            let problems = try inspected.integrityProblems()
            guard problems.isEmpty else {
                findings.append(DoctorFinding(.databaseDamaged, path: path,
                                              message: Self.skipped("SQLite's integrity check failed: " + problems.joined(separator: "; ")),
                                              remedy: "stop every plue command and restore plue.db from a backup"))
                return nil
            }
            schema = try inspected.schemaState()
        } catch let error as PlueError where error.code == .damaged {
            // Opening refuses a file that is not a database, empty, or of a newer schema.
            findings.append(DoctorFinding(.databaseDamaged, path: path, message: Self.skipped(Self.describe(error)),
                                          remedy: "stop every plue command and restore plue.db from a backup"))
            return nil
        } catch {
            findings.append(DoctorFinding(.databaseUnreadable, path: path, message: Self.skipped("cannot read the database: \(Self.describe(error))"),
                                          remedy: "make plue.db readable and writable by the account that owns the home, or restore it from a backup"))
            return nil
        }
        if !schema.unknown.isEmpty {
            findings.append(DoctorFinding(.schemaNewer, path: path,
                                          message: Self.skipped("a newer plue migrated the database (\(schema.unknown.joined(separator: ", "))), so this one may misread it"),
                                          remedy: "run the newer plue (is an older one first on PATH?), or restore a backup of plue.db made for this version"))
            return nil
        }
        if schema.applied.isEmpty {
            findings.append(DoctorFinding(.schemaMissing, path: path, message: Self.skipped("the database holds no Plue schema (an empty file, or another program's)"),
                                          remedy: "restore plue.db from a backup"))
            return nil
        }
        let behind = !schema.missing.isEmpty
        guard fix else {
            if behind {
                findings.append(DoctorFinding(.schemaBehind, path: path, message: Self.skipped(Self.behindMessage(schema)),
                                              remedy: "`plue doctor --fix` applies them, as the next command that writes would", fixable: true))
                return nil
            }
            return inspected
        }
        do {
            let writable = try AppDatabase.open(path: path, create: false)
            if behind {
                try writable.bringSchemaUpToDate()
                findings.append(DoctorFinding(.schemaBehind, path: path, message: Self.behindMessage(schema), remedy: "applied them",
                                              fixable: true, fixed: true))
            }
            return writable
        } catch {
            let reason = Self.describe(error)
            if behind {
                findings.append(DoctorFinding(.schemaBehind, path: path, message: Self.skipped(Self.behindMessage(schema)),
                                              remedy: "could not apply them: \(reason)", fixable: true))
                return nil
            }
            findings.append(DoctorFinding(.checkFailed, path: path, message: "cannot open the database for writing: \(reason)",
                                          remedy: "make plue.db writable by the account that owns the home, then run `plue doctor --fix` again"))
            return inspected
        }
    }

    private static func behindMessage(_ schema: SchemaState) -> String {
        "the database has not been through \(schema.missing.count) of the \(schema.known.count) migrations this plue knows ("
            + schema.missing.joined(separator: ", ") + ")"
    }
}
