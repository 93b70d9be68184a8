import Foundation
import GRDB
import GRDBSQLite

/// A plain SQLite connection for the reads on the path of every push and SSH connection
/// (`repo show`, `ssh-authorize`, `land check`). Opening GRDB's `DatabaseQueue` cost about 1.5 ms
/// of each such process: registering functions and collations, an authorizer called for every
/// column, configuration statements. Reads written against this type run on this connection when
/// the database was opened with one, and otherwise on the GRDB connection's own handle, so each
/// query is written once. Writes always go through GRDB.
final class ReadConnection: @unchecked Sendable {
    private let handle: OpaquePointer
    private let owned: Bool
    private let lock = NSLock()
    /// Prepared statements by their SQL, kept on a connection of our own (a server's readers run
    /// the same few queries on every request); a borrowed handle prepares each time.
    private var statements: [String: OpaquePointer] = [:]

    /// Opens the existing database at `path` (never creates it), with the same busy timeout and
    /// kept WAL files as the GRDB connection.
    init(path: String, readOnly: Bool) throws {
        var opened: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_FULLMUTEX
        let code = sqlite3_open_v2(path, &opened, flags, nil)
        guard code == SQLITE_OK, let opened else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(opened)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
        }
        handle = opened
        owned = true
        sqlite3_busy_timeout(opened, 5_000)
        var persist: Int32 = 1
        sqlite3_file_control(opened, nil, SQLITE_FCNTL_PERSIST_WAL, &persist)
    }

    /// Borrows the handle of a GRDB connection for the duration of one read.
    init(borrowing handle: OpaquePointer) {
        self.handle = handle
        owned = false
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        if owned { sqlite3_close_v2(handle) }
    }

    /// One result row: columns by position, in the order the SELECT names them.
    struct Row {
        fileprivate let statement: OpaquePointer

        func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }
        func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }
        func bool(_ column: Int32) -> Bool { int64(column) != 0 }
        func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

        func text(_ column: Int32) -> String {
            guard let bytes = sqlite3_column_text(statement, column) else { return "" }
            let count = Int(sqlite3_column_bytes(statement, column))
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }

        func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }
    }

    /// Runs one SELECT with text arguments and maps each row, up to `limit` rows; SQLite failures
    /// are thrown as GRDB's `DatabaseError`, which `StorageError` translates like any other.
    func rows<T>(_ sql: String, _ arguments: [String], limit: Int = .max, _ map: (Row) throws -> T) throws -> [T] {
        lock.lock()
        defer { lock.unlock() }
        let statement: OpaquePointer
        if let cached = statements[sql] {
            statement = cached
        } else {
            var prepared: OpaquePointer?
            try check(sqlite3_prepare_v2(handle, sql, -1, &prepared, nil), sql)
            guard let prepared else { return [] }
            statement = prepared
            if owned { statements[sql] = prepared }
        }
        defer {
            if owned {
                sqlite3_reset(statement)
                sqlite3_clear_bindings(statement)
            } else {
                sqlite3_finalize(statement)
            }
        }
        for (index, argument) in arguments.enumerated() {
            try check(bind(argument, at: Int32(index + 1), in: statement), sql)
        }
        var results: [T] = []
        while results.count < limit {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return results }
            guard code == SQLITE_ROW else { try check(code, sql); return results }
            results.append(try map(Row(statement: statement)))
        }
        return results
    }

    /// Runs `body` in one read transaction, so that all it reads comes from one state of the
    /// database while a server's writes go on beside it.
    func inReadTransaction<T>(_ body: (ReadConnection) throws -> T) throws -> T {
        try execute("BEGIN DEFERRED")
        defer { try? execute("COMMIT") }
        return try body(self)
    }

    /// Whether no transaction is open on it (one a failed COMMIT left open would refuse the next BEGIN).
    var isOutsideTransaction: Bool {
        lock.lock()
        defer { lock.unlock() }
        return sqlite3_get_autocommit(handle) != 0
    }

    private func execute(_ sql: String) throws {
        _ = try rows(sql, []) { _ in () }
    }

    /// The first row only (statement left unfinished after it).
    func row<T>(_ sql: String, _ arguments: [String], _ map: (Row) throws -> T) throws -> T? {
        try rows(sql, arguments, limit: 1, map).first
    }

    /// Binds the text with its byte count, so an embedded NUL is compared as data rather than
    /// ending the value early (a C string would make "alice\0x" look up "alice").
    private func bind(_ value: String, at position: Int32, in statement: OpaquePointer) -> Int32 {
        var text = value
        return text.withUTF8 { bytes in
            guard bytes.count <= Int(Int32.max) else { return SQLITE_TOOBIG }
            guard let base = bytes.baseAddress, !bytes.isEmpty else {
                return sqlite3_bind_text(statement, position, "", 0, transientDestructor)
            }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text(statement, position, $0, Int32(bytes.count), transientDestructor)
            }
        }
    }

    private func check(_ code: Int32, _ sql: String) throws {
        guard code != SQLITE_OK else { return }
        throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    /// SQLITE_TRANSIENT: SQLite copies the bound text, which lives only as long as the call.
    private let transientDestructor = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
