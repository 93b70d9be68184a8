import Foundation

/// One command at a time per session: an exclusive lock on HOME/sessions/ID/lock. Holding it, a
/// leftover git lock file of the session (its index, its bookmark) can only belong to a process
/// that died, and is removed.
final class SessionLock {
    private let lock: FileLock

    init(directory: String, staleGitLocks: [String], wait: Double = 10,
         busy: @autoclosure () -> PlueError = PlueError(.unavailable, "another plue command is working on this session; try again when it is done")) throws {
        lock = try FileLock(path: directory + "/lock", wait: wait, busy: busy())
        for path in staleGitLocks where FileSystem.exists(path) { unlink(path) }
    }
}
