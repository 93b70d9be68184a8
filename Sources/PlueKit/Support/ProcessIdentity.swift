import Foundation

/// A process named by its id and its start time, so that a pid the kernel has since given to
/// another process is never taken for it.
struct ProcessIdentity: Sendable, Equatable {
    let pid: Int32
    /// Field 22 of /proc/PID/stat: clock ticks after boot.
    let start: Int64

    static var current: ProcessIdentity? { of(getpid()) }

    /// The process as it is now; nil when there is none, or only its exit status is left (a
    /// zombie its parent has not reaped).
    /// `includingZombies`: a process group whose leader is a zombie may still have live members.
    static func of(_ pid: Int32, includingZombies: Bool = false) -> ProcessIdentity? {
        guard pid > 0, let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (the state), so field 22 is fields[19].
        guard fields.count > 19, includingZombies || (fields[0] != "Z" && fields[0] != "X"), let start = Int64(fields[19]) else {
            return nil
        }
        return ProcessIdentity(pid: pid, start: start)
    }

    /// Whether this very process still runs.
    var isRunning: Bool { Self.of(pid) == self }
}
