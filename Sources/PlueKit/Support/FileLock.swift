import Foundation

/// An exclusive lock on a file, which the kernel releases when the holder exits, however it exits
/// (kill -9 included). Released when the value goes away.
final class FileLock {
    private let descriptor: Int32

    /// Waits up to `wait` seconds (nil: as long as it takes), then fails with `busy`.
    init(path: String, wait: Double?, busy: @autoclosure () -> PlueError) throws {
        descriptor = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw FileSystem.errnoError("cannot open the lock file \(path)", errno) }
        guard let wait else {
            // As long as it takes: the kernel wakes this process when the lock is free.
            while flock(descriptor, LOCK_EX) != 0 {
                guard errno == EINTR else { throw Self.failure(descriptor, path) }
            }
            return
        }
        // Never less than a moment: a child another thread is spawning holds a copy of the
        // descriptor between its fork and its exec, so a lock just released can look held.
        let deadline = Date().addingTimeInterval(max(wait, 0.2))
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { throw Self.failure(descriptor, path) }
            guard Date() < deadline else {
                close(descriptor)
                throw busy()
            }
            usleep(20_000)
        }
    }

    deinit { close(descriptor) }

    /// A lock that failed for another reason than being held: the real error, and the file closed.
    private static func failure(_ descriptor: Int32, _ path: String) -> PlueError {
        let code = errno
        close(descriptor)
        return FileSystem.errnoError("cannot lock \(path)", code)
    }
}
