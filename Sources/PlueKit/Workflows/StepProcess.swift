import Foundation

/// What a running job may be told from outside its thread: its run was cancelled, its lease was
/// lost to another runner, or the runner is stopping.
final class JobControl: @unchecked Sendable {
    // @unchecked: every field is read and written under `lock`.
    private let lock = NSLock()
    private var _cancelled = false, _leaseLost = false, _finished = false
    let runner: RunnerStop

    init(runner: RunnerStop) { self.runner = runner }

    var cancelled: Bool { lock.withLock { _cancelled } }
    var leaseLost: Bool { lock.withLock { _leaseLost } }
    var finished: Bool { lock.withLock { _finished } }
    func cancel() { lock.withLock { _cancelled = true } }
    func loseLease() { lock.withLock { _leaseLost = true } }
    func finish() { lock.withLock { _finished = true } }
}

/// Set when the runner is asked to stop (SIGTERM): running steps end and their jobs go back to the queue.
public final class RunnerStop: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false

    public init() {}
    public var isStopped: Bool { lock.withLock { stopped } }
    public func stop() { lock.withLock { stopped = true } }
}

/// A job's log as it is written: lines time-stamped as they arrive, stored in batches (every
/// 100 ms or 500 lines), so `plue workflow logs --follow` shows them while the step runs.
final class JobLog {
    /// What a job may store, each line counted with what a row costs besides its text (so empty
    /// lines fill it too), and what all of a run's jobs may store together.
    static let maxBytes = 10 * 1024 * 1024
    static let maxRunBytes = 50 * 1024 * 1024
    static let rowCost = 64
    static let maxLine = 64 * 1024
    let database: AppDatabase
    let jobID: Int64
    let attempt: Int
    private var pending: [(step: Int, time: Date, text: String)] = []
    private var lastFlush = Date()
    private var written = 0
    private var capped = false

    private let allowance: Int

    init(database: AppDatabase, jobID: Int64, attempt: Int) {
        (self.database, self.jobID, self.attempt) = (database, jobID, attempt)
        let usedByRun = (try? database.logBytesOfRun(jobID: jobID, rowCost: Self.rowCost)) ?? 0
        allowance = max(0, min(Self.maxBytes, Self.maxRunBytes - usedByRun))
    }

    /// The runner's own lines (`[plue] ...`), kept past the cap: they say how the job ended.
    func note(_ step: Int, _ text: String) {
        pending.append((step, Date(), text))
    }

    func line(_ step: Int, _ text: String) {
        guard !capped else { return }
        written += text.utf8.count + Self.rowCost
        if written > allowance {
            capped = true
            pending.append((step, Date(), "[plue] the log reached its limit (\(Self.maxBytes / 1024 / 1024) MiB a job, \(Self.maxRunBytes / 1024 / 1024) MiB a run, a line counting \(Self.rowCost) bytes more than its text); later output is not kept"))
            return
        }
        pending.append((step, Date(), text))
        if pending.count >= 500 { flush() }
    }

    func flushIfDue() {
        if !pending.isEmpty && Date().timeIntervalSince(lastFlush) >= 0.1 { flush() }
    }

    func flush() {
        lastFlush = Date()
        guard !pending.isEmpty else { return }
        do {
            try database.appendLog(jobID: jobID, attempt: attempt, lines: pending)
            pending.removeAll(keepingCapacity: true)
        } catch {
            // A busy database: keep the lines for the next flush rather than lose them.
            if pending.count > 100_000 { pending.removeFirst(pending.count - 100_000) }
        }
    }
}

enum StepEnd: Equatable {
    case exited(Int32)
    case timedOut, cancelled, leaseLost, stopping
}

enum StepProcess {
    /// Runs one step to its end or until it must stop, its output (both streams, in the order
    /// written) line by line into `log`. The step has its own process group, stopped whole.
    static func run(_ executable: String, _ arguments: [String], environment: [String], deadline: Date,
                    control: JobControl, log: JobLog, step: Int) throws -> StepEnd {
        let output = try ChildPipe()
        defer { output.closeBoth() }
        let pid = try ChildProcess.spawn(executable, [executable] + arguments, environment: environment, ownGroup: true) { actions in
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_adddup2(&actions, output.write, 1)
            posix_spawn_file_actions_adddup2(&actions, output.write, 2)
        }
        output.closeWrite()
        var lines = LineSplitter()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var end: StepEnd?
        var status: Int32 = 0
        var exited = false, open = true
        var exitedAt = Date.distantFuture
        while !exited || open {
            // Output still coming two seconds after the step ended is from something that left its
            // group (outside a sandbox); it is not waited for.
            if exited && Date().timeIntervalSince(exitedAt) > 2 { break }
            if open {
                var descriptor = pollfd(fd: output.read, events: Int16(POLLIN), revents: 0)
                if poll(&descriptor, 1, exited ? 1_000 : 100) > 0 {
                    let count = read(output.read, &chunk, chunk.count)
                    if count > 0 {
                        lines.append(chunk[0..<count]) { log.line(step, $0) }
                    } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                        open = false
                    }
                } else if exited {
                    // Exited, and what holds its output open has been killed; nothing more comes.
                    open = false
                }
            }
            if !exited && waitpid(pid, &status, WNOHANG) == pid {
                exited = true
                exitedAt = Date()
                // What it left running in its group goes with it (in a sandbox, its namespace already has).
                kill(-pid, SIGKILL)
            }
            if !exited && end == nil {
                if control.runner.isStopped { end = .stopping }
                else if control.leaseLost { end = .leaseLost }
                else if control.cancelled { end = .cancelled }
                else if Date() >= deadline { end = .timedOut }
                if end != nil { kill(-pid, SIGKILL) }
            }
            log.flushIfDue()
        }
        lines.finish { log.line(step, $0) }
        log.flush()
        return end ?? .exited(ChildProcess.shellStatus(status))
    }
}

/// Bytes into lines: split at newlines, a trailing carriage return dropped, invalid UTF-8
/// replaced, a line longer than `JobLog.maxLine` cut into pieces.
struct LineSplitter {
    private var partial: [UInt8] = []

    mutating func append(_ bytes: ArraySlice<UInt8>, _ emit: (String) -> Void) {
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                emitPartial(emit)
            } else {
                partial.append(byte)
                if partial.count >= JobLog.maxLine { emitPartial(emit) }
            }
        }
    }

    mutating func finish(_ emit: (String) -> Void) {
        if !partial.isEmpty { emitPartial(emit) }
    }

    private mutating func emitPartial(_ emit: (String) -> Void) {
        if partial.last == UInt8(ascii: "\r") { partial.removeLast() }
        // SQLite's text stops at NUL for some readers; a NUL byte shows as U+FFFD, as invalid UTF-8 does.
        emit(String(decoding: partial, as: UTF8.self).replacingOccurrences(of: "\u{0}", with: "\u{FFFD}"))
        partial.removeAll(keepingCapacity: true)
    }
}
