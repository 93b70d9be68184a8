import Foundation

/// An exclusive lock on a file, which the kernel releases when the holder exits, however it exits
/// (kill -9 included). Released when the value goes away.
final class FileLock {
    private let descriptor: Int32

    /// Waits up to `wait` seconds (nil: as long as it takes), then fails with `busy`.
    init(path: String, wait: Double?, busy: @autoclosure () -> String) throws {
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw FileSystem.errnoError("cannot open the lock file \(path)", errno) }
        let deadline = wait.map { Date().addingTimeInterval($0) }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, deadline.map({ Date() < $0 }) ?? true else {
                close(descriptor)
                throw PlueError(.unavailable, busy())
            }
            usleep(20_000)
        }
    }

    deinit { close(descriptor) }
}
