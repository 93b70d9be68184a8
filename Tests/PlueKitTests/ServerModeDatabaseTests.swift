import Dispatch
import Foundation
@testable import PlueKit
import PlueTestSupport
import Testing

/// The database as a long-lived server opens it: a pool whose reads do not wait for a write, and
/// whose WAL SQLite checkpoints on its own; commands beside it still read what it wrote.
@Suite struct ServerModeDatabaseTests {
    @Test func aReadFinishesWhileAWriteTransactionIsOpen() throws {
        let forge = try Forge()
        _ = try forge.plue.repositories.create("alice/demo", as: .operator)
        let server = try AppDatabase.open(path: forge.home.databasePath, create: false, mode: .server)

        let writing = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let written = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            _ = try? server.write("hold a write open") { db in
                try db.execute(sql: "UPDATE repository SET description = 'during'")
                writing.signal()
                release.wait()
            }
            written.signal()
        }
        #expect(writing.wait(timeout: .now() + 10) == .success)

        // A single queue would make this read wait for the write above, which waits for the read.
        let read = DispatchSemaphore(value: 0)
        let description = Locked<String?>(nil)
        DispatchQueue.global().async {
            description.set(try? server.repository(owner: "alice", name: "demo")?.description)
            read.signal()
        }
        let readInTime = read.wait(timeout: .now() + 10) == .success
        release.signal()
        #expect(written.wait(timeout: .now() + 10) == .success)
        #expect(readInTime)
        // The read saw the last committed state, not the open transaction's.
        #expect(description.get() == "")
        #expect(try server.repository(owner: "alice", name: "demo")?.description == "during")
    }

    @Test func aServerLeavesTheWALToSQLiteAndACommandFoldsItBack() throws {
        let forge = try Forge()
        _ = try forge.plue.repositories.create("alice/demo", as: .operator)
        let wal = forge.home.databasePath + "-wal"
        #expect(try fileSize(wal) == 0)

        let server = try AppDatabase.open(path: forge.home.databasePath, create: false, mode: .server)
        try server.write("write as a server") { db in try db.execute(sql: "UPDATE repository SET description = 'server'") }
        #expect(try fileSize(wal) > 0)

        // A command beside the server reads the row from the WAL, and its own write folds it back
        // when no reader holds it.
        let command = try AppDatabase.open(path: forge.home.databasePath, create: false)
        #expect(try command.repository(owner: "alice", name: "demo")?.description == "server")
        try command.write("write as a command") { db in try db.execute(sql: "UPDATE repository SET description = 'command'") }
        #expect(try server.repository(owner: "alice", name: "demo")?.description == "command")
        #expect(try server.journalMode() == "wal")
    }

    private func fileSize(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? -1
    }
}

/// A value two threads hand over.
private final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func set(_ newValue: Value) { lock.lock(); value = newValue; lock.unlock() }
    func get() -> Value { lock.lock(); defer { lock.unlock() }; return value }
}
