import Foundation

/// A running child whose standard input, output and error output are pipes its caller drives as
/// the bytes come: plue serve writes an HTTP request's body into git and sends git's output back
/// while git still runs. The child has its own process group. Its caller owns the three
/// descriptors and closes them, and reaps the child with `exitStatus` once its output has ended,
/// or ends it with `stop`; either also ends what the child left running in its group.
public final class StreamingChild: @unchecked Sendable {
    // @unchecked: `status` is read and written only under `lock`; the rest is immutable.
    public let pid: Int32
    /// The write end of the child's standard input.
    public let input: Int32
    /// The read end of the child's standard output.
    public let output: Int32
    /// The read end of the child's standard error.
    public let errorOutput: Int32
    private let lock = NSLock()
    private var status: Int32?

    init(pid: Int32, input: Int32, output: Int32, errorOutput: Int32) {
        (self.pid, self.input, self.output, self.errorOutput) = (pid, input, output, errorOutput)
    }

    /// The exit status (128 + N for a child killed by signal N) once the child has ended, or nil
    /// while it runs. Never blocks.
    public func exitStatus() -> Int32? {
        lock.withLock {
            if status == nil {
                var raw: Int32 = 0
                if waitpid(pid, &raw, WNOHANG) == pid {
                    status = raw
                    kill(-pid, SIGKILL)
                }
            }
            return status.map(ChildProcess.shellStatus)
        }
    }

    /// Ends the child if it still runs: SIGTERM to its group, two seconds to finish (git removes
    /// what it had received), then SIGKILL. Returns its exit status. Blocks while it waits.
    @discardableResult
    public func stop() -> Int32 {
        lock.withLock {
            if status == nil { status = ChildProcess.stop(pid: pid, group: pid) }
            return ChildProcess.shellStatus(status ?? 0)
        }
    }

    // A child nobody reaped would stay a zombie for as long as the server runs.
    deinit {
        if status == nil {
            kill(-pid, SIGKILL)
            _ = ChildProcess.waitForExit(pid)
        }
    }
}

extension ChildProcess {
    /// Starts `executable` in its own process group with pipes on its three standard streams, for
    /// a caller that streams them itself. The spawn is `run`'s: same lock, signals and no shell.
    static func start(_ executable: String, _ arguments: [String], environment: [String]) throws -> StreamingChild {
        let input = try ChildPipe(), output = try ChildPipe(), errorOutput = try ChildPipe()
        defer { input.closeBoth(); output.closeBoth(); errorOutput.closeBoth() }
        let pid = try spawn(executable, [executable] + arguments, environment: environment, ownGroup: true) { actions in
            posix_spawn_file_actions_adddup2(&actions, input.read, 0)
            posix_spawn_file_actions_adddup2(&actions, output.write, 1)
            posix_spawn_file_actions_adddup2(&actions, errorOutput.write, 2)
        }
        return StreamingChild(pid: pid, input: input.takeWrite(), output: output.takeRead(), errorOutput: errorOutput.takeRead())
    }
}
