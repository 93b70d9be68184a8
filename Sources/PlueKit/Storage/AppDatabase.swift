import Foundation
import GRDB
import GRDBSQLite

/// The forge's metadata in one SQLite file. Every write is one transaction.
///
/// A command (`Mode.command`) opens an existing database with a plain `ReadConnection` first;
/// GRDB's `DatabaseQueue`, which every write and most reads use, is opened the first time one
/// needs it. So a command that only reads through `reading` (the SSH key lookup, `repo show`)
/// never pays for GRDB. A server (`Mode.server`) opens a GRDB `DatabasePool` once: its readers
/// run side by side and beside the one writer.
public struct AppDatabase: Sendable {
    private let connections: Connections

    /// How a process uses the database.
    public enum Mode: Sendable {
        /// One short command: the plain read connection, GRDB's queue on the first write, and the
        /// WAL folded back into the file after each write, since the next command will be the
        /// first connection again and would otherwise read the whole WAL to rebuild its index.
        case command
        /// A long-lived process: a pool of connections opened once, reads on any of its readers at
        /// the same time as a write, and SQLite's own checkpoints instead of one per write.
        case server
    }

    /// Opens the database at `path`, creating it when `create` is set, and brings its schema up to date.
    public static func open(path: String, create: Bool, readOnly: Bool = false, mode: Mode = .command) throws -> AppDatabase {
        if !create && !FileSystem.exists(path) {
            throw PlueError.notFound("no database at \(path)")
        }
        let database: AppDatabase
        switch (mode, create) {
        case (.server, _):
            let pool = try Connections.pool(path: path, readOnly: readOnly)
            database = AppDatabase(connections: Connections(path: path, readOnly: readOnly, mode: mode, reader: nil, writer: pool))
        case (.command, true):
            let queue = try Connections.queue(path: path, create: true, readOnly: readOnly)
            database = AppDatabase(connections: Connections(path: path, readOnly: readOnly, mode: mode, reader: nil, writer: queue))
        case (.command, false):
            let reader = try Connections.translatingOpenErrors(path) { try ReadConnection(path: path, readOnly: readOnly) }
            database = AppDatabase(connections: Connections(path: path, readOnly: readOnly, mode: mode, reader: reader, writer: nil))
        }
        // A read-only connection cannot migrate; it reads the schema the last writer left.
        try database.checkSchema(fresh: create)
        if !readOnly { try Connections.translatingOpenErrors(path) { try database.migrateIfNeeded() } }
        return database
    }

    /// The connections to one database file: the plain reader of a command, and GRDB's writer
    /// (a pool, opened with the server; a queue, opened on a command's first need).
    private final class Connections: @unchecked Sendable {
        let path: String
        let readOnly: Bool
        let mode: Mode
        let reader: ReadConnection?
        /// A server's own read connections (nil for a command).
        let readers: ReaderPool?
        /// Set once at open when given (a server's pool, a new database's queue): read without a lock.
        private let givenWriter: (any DatabaseWriter)?
        private let lock = NSLock()
        private var opened: DatabaseQueue?

        init(path: String, readOnly: Bool, mode: Mode, reader: ReadConnection?, writer: (any DatabaseWriter)?) {
            self.path = path
            self.readOnly = readOnly
            self.mode = mode
            self.reader = reader
            readers = mode == .server ? ReaderPool(path: path, readOnly: readOnly) : nil
            givenWriter = writer
        }

        func writer() throws -> any DatabaseWriter {
            if let givenWriter { return givenWriter }
            lock.lock()
            defer { lock.unlock() }
            if let opened { return opened }
            let queue = try Self.queue(path: path, create: false, readOnly: readOnly)
            opened = queue
            return queue
        }

        static func configuration(create: Bool, readOnly: Bool) -> Configuration {
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            configuration.readonly = readOnly
            configuration.foreignKeysEnabled = true
            configuration.prepareDatabase { db in
                // WAL lets readers run while a push records its events.
                if create { try db.execute(sql: "PRAGMA journal_mode = WAL") }
                if !readOnly { try db.execute(sql: "PRAGMA synchronous = NORMAL") }
                // Keep the -wal and -shm files when the last connection closes: plue is one short
                // process per command, and creating and deleting both files each time cost more
                // than the queries.
                var persist: Int32 = 1
                sqlite3_file_control(db.sqliteConnection, nil, SQLITE_FCNTL_PERSIST_WAL, &persist)
            }
            return configuration
        }

        static func queue(path: String, create: Bool, readOnly: Bool) throws -> DatabaseQueue {
            let configuration = configuration(create: create, readOnly: readOnly)
            return try translatingOpenErrors(path) { try DatabaseQueue(path: path, configuration: configuration) }
        }

        /// A pool sets WAL mode itself (it needs it) and opens readers as reads come.
        static func pool(path: String, readOnly: Bool) throws -> DatabasePool {
            let configuration = configuration(create: false, readOnly: readOnly)
            return try translatingOpenErrors(path) { try DatabasePool(path: path, configuration: configuration) }
        }

        static func translatingOpenErrors<T>(_ path: String, _ body: () throws -> T) throws -> T {
            do {
                return try body()
            } catch {
                if error is PlueError { throw error }
                if FileSystem.isReadOnlyFileSystem(path) {
                    throw PlueError(.unavailable, "cannot open the database \(path): its file system is read-only; remount it read-write and try again")
                }
                throw StorageError.translate(error, "cannot open the database \(path)", path: path)
            }
        }
    }

    /// A database of a newer Plue, or one without any schema that was not just created, is
    /// refused as damaged: migrating it would build an empty forge over a lost one.
    private func checkSchema(fresh: Bool) throws {
        let version = try reading("cannot read the schema version") { try $0.row("PRAGMA user_version", []) { $0.int64(0) } } ?? 0
        let known = Self.migrator.migrations.count
        let restore = "restore plue.db from a backup of this home (copy it to \(connections.path) while no plue runs)"
        if version > known {
            throw PlueError(.damaged, "\(connections.path) has schema version \(version), newer than this plue knows (\(known)); "
                            + "run the newer plue that wrote it, or \(restore)")
        }
        if version == 0 && !fresh {
            let tables = try reading("cannot read the schema") { try $0.row("SELECT count(*) FROM sqlite_master", []) { $0.int64(0) } } ?? 0
            if tables == 0 { throw PlueError(.damaged, "\(connections.path) holds no tables, so the home is damaged; \(restore)") }
        }
    }

    /// `PRAGMA user_version` holds how many migrations the file has been through: reading it is one
    /// statement, where asking GRDB's migrator which migrations ran cost 0.5 ms of every command.
    /// It is set after the migrator finishes, so a process killed in between only leaves the next
    /// one to find every migration applied and set it then.
    private func migrateIfNeeded() throws {
        let migrator = Self.migrator
        let current = migrator.migrations.count
        let version = try reading("cannot read the schema version") { try $0.row("PRAGMA user_version", []) { $0.int64(0) } } ?? 0
        if version >= current { return }
        try applyMigrations()
    }

    /// Runs every migration the file has not been through, whatever `user_version` says, then
    /// records their number there (`plue doctor --fix`, and `migrateIfNeeded` when it is behind).
    func applyMigrations() throws {
        let migrator = Self.migrator
        let current = migrator.migrations.count
        let writer = try connections.writer()
        try migrator.migrate(writer)
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA user_version = \(current)")
            _ = try? db.checkpoint(.truncate)
        }
    }

    /// Runs `body` in one write transaction, translating SQLite errors.
    func write<T>(_ what: String, _ body: (Database) throws -> T) throws -> T {
        let writer = try connections.writer()
        let result: T
        do {
            result = try writer.write(body)
        } catch {
            throw StorageError.translate(error, what, path: connections.path)
        }
        // A server is one long-lived connection pool: SQLite's own checkpoints keep its WAL short.
        guard connections.mode == .command else { return result }
        // Each plue process is the first connection to open the database, and the first connection
        // rebuilds SQLite's WAL index by reading the whole -wal file: after 1,000 push events that
        // cost `repo show` 2 ms. Folding the WAL back after each write keeps it empty. Best effort:
        // a busy checkpoint leaves the data safe in the WAL for the next one.
        _ = try? writer.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        return result
    }

    /// Runs `body` with the plain read connection of a command, one of a server's own, or the
    /// handle of GRDB's queue (a command that opened it to write), translating SQLite errors.
    func reading<T>(_ what: String, _ body: (ReadConnection) throws -> T) throws -> T {
        do {
            if let reader = connections.reader { return try body(reader) }
            if let readers = connections.readers { return try readers.read(body) }
            return try connections.writer().read { db in
                guard let handle = db.sqliteConnection else { throw PlueError.internalError(what, cause: "the database is closed") }
                return try body(ReadConnection(borrowing: handle))
            }
        } catch {
            throw StorageError.translate(error, what, path: connections.path)
        }
    }

    /// Runs `body` on a read snapshot, translating SQLite errors.
    func read<T>(_ what: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try connections.writer().read(body)
        } catch {
            throw StorageError.translate(error, what, path: connections.path)
        }
    }

    /// Times are stored as whole Unix seconds: cheap to decode (GRDB's text dates go through a
    /// Foundation Calendar, which cost more than the query itself) and exact to compare.
    static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
    static func date(_ seconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }

    /// The SQLite journal mode in force, for checks and diagnostics.
    public func journalMode() throws -> String {
        try read("cannot read the journal mode") { db in
            try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
        }
    }
}
