import Foundation

/// Runs an agent's command in its own process group, so the whole group can be stopped (on a
/// timeout, or by `plue session abort` from another process), collecting what it prints.
enum ChildProcess {
    struct Outcome {
        let exitStatus: Int32?
        let signal: Int32?
        let output: [UInt8]
        let truncated: Bool
        let timedOut: Bool
    }

    /// `started` receives the process group id as soon as the process exists.
    static func run(_ arguments: [String], in directory: String, environment: [String], timeout: Double?, outputLimit: Int,
                    started: (pid_t) throws -> Void) throws -> Outcome {
        guard let program = arguments.first, !program.isEmpty else { throw PlueError.usage("no command to run") }
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { throw FileSystem.errnoError("cannot create a pipe", errno) }
        let (readEnd, writeEnd) = (pipeEnds[0], pipeEnds[1])
        // The gate: the child waits on it until its process group is recorded, so a plue killed at
        // any point never leaves a command running that no one can find and stop.
        var gateEnds: [Int32] = [0, 0]
        guard pipe(&gateEnds) == 0 else {
            close(readEnd); close(writeEnd)
            throw FileSystem.errnoError("cannot create a pipe", errno)
        }
        let (gateRead, gateWrite) = (gateEnds[0], gateEnds[1])
        // Closed on exec: the child gets the read end only as descriptor 3, which dup2 leaves open.
        _ = fcntl(gateRead, F_SETFD, FD_CLOEXEC)
        _ = fcntl(gateWrite, F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 2)
        posix_spawn_file_actions_adddup2(&actions, gateRead, 3)
        posix_spawn_file_actions_addclose(&actions, readEnd)
        posix_spawn_file_actions_addclose(&actions, writeEnd)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        // A fixed trampoline (Swift cannot reach glibc's posix_spawn_file_actions_addchdir_np): wait
        // for the gate's "go" (none if plue died: exit 125), change directory, then become the
        // command, found on the PATH of `environment`. The command's words are arguments, never
        // parsed by the shell.
        let trampoline = "IFS= read -r go <&3 && [ \"$go\" = go ] || exit 125; exec 3<&-; cd -- \"$0\" && exec \"$@\""
        let argv = (["sh", "-c", trampoline, directory] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp = environment.map { strdup($0) } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
        close(writeEnd)
        close(gateRead)
        guard spawned == 0 else {
            close(readEnd)
            close(gateWrite)
            throw PlueError.failed("cannot run \(program): \(String(cString: strerror(spawned)))")
        }
        defer { close(readEnd) }
        do {
            try started(pid)
            var go = Array("go\n".utf8)
            _ = write(gateWrite, &go, go.count)
        } catch {
            kill(-pid, SIGKILL)
        }
        close(gateWrite)
        _ = fcntl(readEnd, F_SETFL, fcntl(readEnd, F_GETFL) | O_NONBLOCK)

        var output: [UInt8] = []
        var truncated = false, timedOut = false
        var status: Int32 = 0
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        func drain() {
            while true {
                let count = read(readEnd, &buffer, buffer.count)
                guard count > 0 else { return }
                let room = max(0, outputLimit - output.count)
                output += buffer.prefix(min(count, room))
                if count > room { truncated = true }
            }
        }
        while true {
            var descriptor = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            _ = poll(&descriptor, 1, 100)
            drain()
            let finished = waitpid(pid, &status, WNOHANG)
            if finished == pid { drain(); break }
            if finished < 0 && errno != EINTR {
                kill(-pid, SIGKILL)
                throw FileSystem.errnoError("cannot wait for the command", errno)
            }
            if let deadline, !timedOut, Date() > deadline {
                timedOut = true
                kill(-pid, SIGKILL)
            }
        }
        // The command is done; helpers it left behind in its group go with it.
        kill(-pid, SIGKILL)
        let exited = status & 0x7F == 0
        return Outcome(exitStatus: exited ? (status >> 8) & 0xFF : nil, signal: exited ? nil : status & 0x7F,
                       output: output, truncated: truncated, timedOut: timedOut)
    }
}
