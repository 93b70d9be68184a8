import CSpawn
import Foundation

/// Every program Plue starts (git, an agent's command) starts here, with posix_spawn: an
/// allow-listed environment (`ChildEnvironment`), standard input from /dev/null, both outputs
/// collected, and on request its own process group, a time limit, a no-progress limit and a stop
/// of the whole group when this process is asked to end. (Foundation's Process waits for its child
/// in 50 ms run-loop steps: 50 ms on every `git merge-tree`.) `start` (StreamingChild.swift) spawns
/// the same way and leaves the three streams to a caller that streams them.
enum ChildProcess {
    struct Options {
        /// Run there (through a fixed `sh` trampoline: Swift cannot reach posix_spawn's chdir action).
        var directory: String?
        /// Its own process group, stopped as a whole on a limit, an interruption, and at the end.
        var ownGroup = false
        /// Given the process group id once the process exists; the command itself starts only when
        /// this returns (a gate pipe), so a plue killed in between never leaves a command no one can find.
        var started: ((pid_t) throws -> Void)?
        /// Stop the group after this many seconds in all.
        var timeout: Double?
        /// Stop the group after this many seconds with nothing printed on either output.
        var idleTimeout: Double?
        /// Standard error into the same bytes as standard output (an agent's transcript).
        var mergeErrorOutput = false
        /// Standard error also copied to ours as it comes (git's progress).
        var echoErrorOutput = false
        /// SIGINT, SIGTERM and SIGHUP stop the group and make `run` throw `InterruptedBySignal`, so the caller
        /// unwinds (removing what it staged) before this process ends with the same signal.
        var stopOnInterrupt = false
        /// Bytes of each output kept; the rest is read and dropped (`truncated`).
        var outputLimit = Int.max
        /// Stops the group when its owner asks, and makes `run` throw `InterruptedBySignal`, as
        /// `stopOnInterrupt` does for a signal (which this takes the place of).
        var stopper: ChildStopper?
        /// The most address space the command may take, in bytes (the shell's `ulimit -v`): a
        /// request's small body that makes git allocate gigabytes fails in git, not in the server.
        var memoryLimit: Int?
    }

    struct Outcome {
        let exitStatus: Int32?
        let signal: Int32?
        let output: [UInt8]
        let errorOutput: [UInt8]
        let truncated: Bool
        let timedOut: Bool
        let idle: Bool

        /// The exit status, or 128 + N for a process killed by signal N, as shells report it.
        var status: Int32 { exitStatus ?? 128 + (signal ?? 0) }
    }

    static func run(_ executable: String, _ arguments: [String], environment: [String],
                    options: Options = Options()) throws -> Outcome {
        let output = try ChildPipe(), errorOutput = try ChildPipe(), gate = try ChildPipe()
        defer { output.closeBoth(); errorOutput.closeBoth(); gate.closeBoth() }
        let gated = options.started != nil
        var argv = [executable] + arguments
        var path = executable
        if gated || options.directory != nil || options.memoryLimit != nil {
            // A fixed trampoline: wait for the gate's "go" (none if plue died: exit 125), change
            // directory, then become the command. Its words are arguments, never parsed by the shell.
            // `cd` leaves the folder plue ran in as OLDPWD, which is not the child's to know.
            let wait = gated ? "IFS= read -r go <&3 && [ \"$go\" = go ] || exit 125; exec 3<&-; " : ""
            let memory = options.memoryLimit.map { "ulimit -v \(max($0 / 1024, 1)) || exit 125; " } ?? ""
            // `$0` is "plue", not the folder: the shell names `$0` in its errors (a command not
            // found), which an agent's turn shows whoever reads it.
            argv = ["sh", "-c", wait + memory + "cd -- \"$1\" && shift && unset OLDPWD && exec \"$@\"", "plue", options.directory ?? "."] + argv
            path = "/bin/sh"
        }
        let interruption = options.stopOnInterrupt ? try InterruptWatch() : nil
        defer { interruption?.restore() }
        let spawned = Result {
            try spawn(path, argv, environment: environment, ownGroup: options.ownGroup || gated, keeping: gated ? 4 : 3) { actions in
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
                posix_spawn_file_actions_adddup2(&actions, output.write, 1)
                posix_spawn_file_actions_adddup2(&actions, options.mergeErrorOutput ? output.write : errorOutput.write, 2)
                if gated { posix_spawn_file_actions_adddup2(&actions, gate.read, 3) }
            }
        }
        output.closeWrite(); errorOutput.closeWrite(); gate.closeRead()
        let pid = try spawned.get()
        let group = options.ownGroup || gated ? pid : nil
        if let started = options.started {
            do {
                try started(pid)
                _ = "go\n".withCString { write(gate.write, $0, 3) }
            } catch {
                kill(-pid, SIGKILL)
                _ = waitForExit(pid)
                throw error
            }
            gate.closeWrite()
        }
        var reader = OutputReader(output: output.read, errorOutput: errorOutput.read, limit: options.outputLimit,
                                  echoErrorOutput: options.echoErrorOutput,
                                  interruption: options.stopper?.read ?? interruption?.read ?? -1)
        let start = Date()
        var lastActivity = start
        var timedOut = false, idle = false
        var status: Int32 = 0
        var closedWait: Int32 = 1
        while true {
            // While the child holds an output open, poll wakes at its first byte or its exit (the
            // pipe closes). Once both are closed the exit is imminent: look again in 1 ms, backing
            // off to 100 ms for a child that closed its outputs and runs on.
            if reader.outputsOpen {
                if reader.poll(milliseconds: 100) { lastActivity = Date() }
            } else {
                _ = reader.poll(milliseconds: closedWait)
                closedWait = min(closedWait * 2, 100)
            }
            if let signal = reader.signal {
                stop(pid: pid, group: group)
                reader.drain()
                throw InterruptedBySignal(signal: signal, output: reader.output, truncated: reader.truncated)
            }
            let finished = waitpid(pid, &status, WNOHANG)
            if finished == pid { reader.drain(); break }
            if finished < 0 && errno != EINTR {
                stop(pid: pid, group: group)
                throw FileSystem.errnoError("cannot wait for \(argv.first ?? executable)", errno)
            }
            let now = Date()
            if !timedOut && !idle {
                if let timeout = options.timeout, now.timeIntervalSince(start) > timeout { timedOut = true }
                if let limit = options.idleTimeout, now.timeIntervalSince(lastActivity) > limit { idle = true }
                if timedOut || idle { kill(group.map { -$0 } ?? pid, SIGKILL) }
            }
        }
        // The command is done; helpers it left behind in its group go with it.
        if let group { kill(-group, SIGKILL) }
        let exited = status & 0x7F == 0
        return Outcome(exitStatus: exited ? (status >> 8) & 0xFF : nil, signal: exited ? nil : status & 0x7F,
                       output: reader.output, errorOutput: reader.errorOutput, truncated: reader.truncated,
                       timedOut: timedOut, idle: idle)
    }

    /// Held while a pipe is made and marked close-on-exec, and while a child is spawned: in a
    /// process that starts children from several threads at once (plue serve), a child spawned
    /// between another's `pipe` and its `fcntl` would inherit that pipe, and a git whose input it
    /// holds open would never see its end.
    static let spawning = NSLock()

    /// posix_spawn with no signal blocked, the signals Plue handles back to their defaults, and
    /// the standard streams `files` sets up; in its own process group when asked. The child keeps
    /// descriptors 0 to `keeping` - 1 and nothing else: a descriptor someone forgot to mark
    /// close-on-exec (plue serve's listening socket and connections, which SwiftNIO opens without
    /// it) would let an agent's command accept other clients' requests and read their tokens.
    static func spawn(_ path: String, _ argv: [String], environment: [String], ownGroup: Bool, keeping: Int32 = 3,
                      files: (inout posix_spawn_file_actions_t) -> Void) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        files(&actions)
        let closing = plue_spawn_close_from(&actions, keeping)
        guard closing == 0 else {
            throw PlueError.failed("cannot run \(argv.first ?? path): \(String(cString: strerror(closing)))")
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if ownGroup { flags |= POSIX_SPAWN_SETPGROUP }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        posix_spawnattr_setpgroup(&attributes, 0)
        // Nothing blocked, and the signals Plue may handle or ignore back to their defaults.
        var noSignals = sigset_t(), handled = sigset_t()
        sigemptyset(&noSignals)
        sigemptyset(&handled)
        for signal in InterruptWatch.signals + [SIGPIPE] { sigaddset(&handled, signal) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &handled)
        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup($0) } + [nil]
        defer { (cArguments + cEnvironment).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = spawning.withLock { posix_spawn(&pid, path, &actions, &attributes, cArguments, cEnvironment) }
        guard spawned == 0 else {
            throw PlueError.failed("cannot run \(argv.first ?? path): \(String(cString: strerror(spawned)))")
        }
        return pid
    }

    /// SIGTERM to the group, two seconds to finish, then SIGKILL; the child is always reaped.
    /// Returns its wait status.
    @discardableResult
    static func stop(pid: pid_t, group: pid_t?) -> Int32 {
        let target = group.map { -$0 } ?? pid
        kill(target, SIGTERM)
        let deadline = Date().addingTimeInterval(2)
        var status: Int32 = 0
        while Date() < deadline {
            if waitpid(pid, &status, WNOHANG) == pid {
                if let group { kill(-group, SIGKILL) }
                return status
            }
            usleep(20_000)
        }
        kill(target, SIGKILL)
        return waitForExit(pid)
    }

    /// Marks every descriptor above standard error close-on-exec, so no child inherits one this
    /// process was handed by whoever started it.
    static func closeInheritedOnExec() {
        for name in FileSystem.sortedEntries("/proc/self/fd") {
            guard let descriptor = Int32(name), descriptor > 2 else { continue }
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0 && flags & FD_CLOEXEC == 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    /// A wait status as shells report it: the exit status, or 128 + N for a child killed by signal N.
    static func shellStatus(_ status: Int32) -> Int32 {
        status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    static func waitForExit(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }
}

/// A signal asked this process to end while a child ran. The child's group has been stopped; the
/// caller unwinds (removing what it staged), then the process ends by the same signal.
public struct InterruptedBySignal: Error {
    public let signal: Int32
    /// What the child wrote to its standard output before it was stopped (up to the output limit),
    /// and whether that limit cut it.
    public var output: [UInt8] = []
    public var truncated = false
}

/// Reads a child's two outputs (and the interruption pipe) without ever blocking on either.
private struct OutputReader {
    let outputDescriptor: Int32
    let errorDescriptor: Int32
    let limit: Int
    let echoErrorOutput: Bool
    let interruption: Int32
    var output: [UInt8] = []
    var errorOutput: [UInt8] = []
    var truncated = false
    var signal: Int32?
    private var open: Set<Int32>
    var outputsOpen: Bool { !open.isEmpty }
    // Left uninitialised: zeroing 64 KiB touched 16 fresh pages for outputs of a line or two.
    private var buffer = [UInt8](unsafeUninitializedCapacity: 65536) { _, count in count = 65536 }

    init(output: Int32, errorOutput: Int32, limit: Int, echoErrorOutput: Bool, interruption: Int32) {
        (outputDescriptor, errorDescriptor, self.limit, self.echoErrorOutput, self.interruption) =
            (output, errorOutput, limit, echoErrorOutput, interruption)
        open = [output, errorOutput]
    }

    /// Waits up to `milliseconds` for something to read and reads it; true when a child printed.
    mutating func poll(milliseconds: Int32) -> Bool {
        var descriptors = (open + (interruption >= 0 ? [interruption] : [])).map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        guard !descriptors.isEmpty else {
            usleep(UInt32(milliseconds) * 1000)
            return false
        }
        guard Glibc.poll(&descriptors, nfds_t(descriptors.count), milliseconds) > 0 else { return false }
        var printed = false
        for descriptor in descriptors where descriptor.revents != 0 {
            if descriptor.fd == interruption {
                var byte: UInt8 = 0
                if Glibc.read(interruption, &byte, 1) == 1 { signal = Int32(byte) }
            } else if readOnce(descriptor.fd) {
                printed = true
            }
        }
        return printed
    }

    /// Reads whatever is left once the child has exited (a grandchild may still hold a pipe: not waited for).
    mutating func drain() {
        while !open.isEmpty, poll(milliseconds: 0) {}
    }

    private mutating func readOnce(_ descriptor: Int32) -> Bool {
        let count = Glibc.read(descriptor, &buffer, buffer.count)
        if count < 0 && errno == EINTR { return false }
        guard count > 0 else {
            open.remove(descriptor)
            return false
        }
        if descriptor == errorDescriptor {
            if echoErrorOutput { _ = buffer.withUnsafeBytes { Glibc.write(2, $0.baseAddress, count) } }
            if errorOutput.count < limit { errorOutput += buffer.prefix(min(count, limit - errorOutput.count)) }
        } else {
            let room = max(0, limit - output.count)
            output += buffer.prefix(min(count, room))
            if count > room { truncated = true }
        }
        return true
    }
}

/// While a child runs with `stopOnInterrupt`: SIGINT, SIGTERM and SIGHUP write their number to a
/// pipe the wait loop polls (the self-pipe pattern), whichever thread receives them. Several may
/// run at once in one process (a server's imports, the tests): each takes a slot with a pipe of
/// its own, which the handler writes to. Slots' pipes are made once and never closed, so the
/// handler (which can take no lock) never writes to a descriptor another thread has closed and
/// reused; a slot is drained when it is taken again. The handlers are installed while at least
/// one watch is live, and the earlier ones put back when the last ends.
private final class InterruptWatch {
    static let signals = [SIGINT, SIGTERM, SIGHUP]
    static let capacity = 64
    /// Each slot's pipe: read end at 2i, write end at 2i+1; -1 until first used.
    nonisolated(unsafe) static let ends: UnsafeMutablePointer<Int32> = {
        let ends = UnsafeMutablePointer<Int32>.allocate(capacity: 2 * capacity)
        ends.initialize(repeating: -1, count: 2 * capacity)
        return ends
    }()
    nonisolated(unsafe) static var taken = [Bool](repeating: false, count: capacity)
    nonisolated(unsafe) static var live = 0
    nonisolated(unsafe) static var previous: [sigaction] = []
    static let lock = NSLock()

    let read: Int32
    private let slot: Int
    private var previousMask = sigset_t()

    init() throws {
        Self.lock.lock()
        defer { Self.lock.unlock() }
        guard let slot = Self.taken.firstIndex(of: false) else {
            throw PlueError(.unavailable, "more than \(Self.capacity) imports are running in this process; try again when one ends")
        }
        if Self.ends[2 * slot] < 0 {
            var pair: [Int32] = [0, 0]
            try ChildPipe.create(&pair, flags: O_NONBLOCK)
            (Self.ends[2 * slot], Self.ends[2 * slot + 1]) = (pair[0], pair[1])
        }
        var byte: UInt8 = 0
        while Glibc.read(Self.ends[2 * slot], &byte, 1) == 1 {}
        Self.taken[slot] = true
        self.slot = slot
        read = Self.ends[2 * slot]
        if Self.live == 0 { Self.install() }
        Self.live += 1
        // A parent may have started plue with these blocked (Foundation's Process does): they would
        // wait, pending, until the import ended on its own.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in Self.signals { sigaddset(&unblock, signal) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, &previousMask)
    }

    private static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            var byte = UInt8(truncatingIfNeeded: signal)
            for slot in 0..<InterruptWatch.capacity where InterruptWatch.ends[2 * slot + 1] >= 0 {
                _ = write(InterruptWatch.ends[2 * slot + 1], &byte, 1)
            }
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        previous = []
        for signal in signals {
            var old = sigaction()
            sigaction(signal, &action, &old)
            previous.append(old)
        }
    }

    func restore() {
        pthread_sigmask(SIG_SETMASK, &previousMask, nil)
        Self.lock.lock()
        defer { Self.lock.unlock() }
        Self.taken[slot] = false
        Self.live -= 1
        if Self.live == 0 {
            for (signal, var old) in zip(Self.signals, Self.previous) { sigaction(signal, &old, nil) }
        }
    }
}
