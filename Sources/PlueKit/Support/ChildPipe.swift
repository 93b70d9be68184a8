import Foundation

/// Both ends of a pipe for a child's standard stream, closed on exec (posix_spawn's dup2 gives the
/// child its own copies).
final class ChildPipe {
    private(set) var read: Int32
    private(set) var write: Int32

    init() throws {
        var ends: [Int32] = [0, 0]
        try Self.create(&ends, flags: 0)
        (read, write) = (ends[0], ends[1])
    }

    /// pipe, then close-on-exec and `flags` (pipe2 is out of Swift's reach without _GNU_SOURCE),
    /// under `ChildProcess.spawning` so no child is spawned between the two.
    static func create(_ ends: inout [Int32], flags: Int32) throws {
        try ChildProcess.spawning.withLock {
            guard pipe(&ends) == 0 else { throw FileSystem.errnoError("cannot create a pipe", errno) }
            for end in ends {
                _ = fcntl(end, F_SETFD, FD_CLOEXEC)
                if flags != 0 { _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | flags) }
            }
        }
    }

    func closeRead() { if read >= 0 { close(read); read = -1 } }
    func closeWrite() { if write >= 0 { close(write); write = -1 } }
    func closeBoth() { closeRead(); closeWrite() }

    /// Hands the read end to the caller, who closes it.
    func takeRead() -> Int32 { defer { read = -1 }; return read }
    /// Hands the write end to the caller, who closes it.
    func takeWrite() -> Int32 { defer { write = -1 }; return write }
}
