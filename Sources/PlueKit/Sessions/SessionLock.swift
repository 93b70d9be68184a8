import Foundation

/// One command at a time per session: an exclusive lock on HOME/sessions/ID/lock, which the kernel
/// releases when the holder exits, however it exits. Holding it, a leftover git lock file of the
/// session (its index, its bookmark) can only belong to a process that died, and is removed.
final class SessionLock {
    private let descriptor: Int32

    init(directory: String, staleGitLocks: [String], wait: Double = 10) throws {
        descriptor = open(directory + "/lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw FileSystem.errnoError("cannot open the session lock", errno) }
        let deadline = Date().addingTimeInterval(wait)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, Date() < deadline else {
                close(descriptor)
                throw PlueError(.unavailable, "another plue command is working on this session; try again when it is done")
            }
            usleep(20_000)
        }
        for path in staleGitLocks where FileSystem.exists(path) { unlink(path) }
    }

    deinit { close(descriptor) }
}
