import Foundation

/// A server's plain read connections, opened as concurrent reads need them and kept: each read
/// takes an idle one, runs in one read transaction, and gives it back. Reading through GRDB's
/// pool instead cost a server about a third of an API request's time (its reader queues, and its
/// authorizer, which SQLite calls for every column of every statement prepared anew); these keep
/// their prepared statements (ReadConnection). Writes still go through GRDB's pool.
final class ReaderPool: @unchecked Sendable {
    private let path: String
    private let readOnly: Bool
    private let lock = NSLock()
    // Guarded by `lock`.
    private var idle: [ReadConnection] = []

    init(path: String, readOnly: Bool) {
        self.path = path
        self.readOnly = readOnly
    }

    func read<T>(_ body: (ReadConnection) throws -> T) throws -> T {
        let reader = try take()
        defer { give(reader) }
        return try reader.inReadTransaction(body)
    }

    private func take() throws -> ReadConnection {
        lock.lock()
        let reader = idle.popLast()
        lock.unlock()
        return try reader ?? ReadConnection(path: path, readOnly: readOnly)
    }

    /// Back to the idle ones, unless a transaction is still open on it: then it is closed.
    private func give(_ reader: ReadConnection) {
        guard reader.isOutsideTransaction else { return }
        lock.lock()
        idle.append(reader)
        lock.unlock()
    }
}
