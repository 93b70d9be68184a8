import Foundation

/// Runs a program to completion and collects what it prints, with posix_spawn. (Foundation's
/// Process waits for its child in 50 ms run-loop steps: 50 ms on every `git merge-tree`.)
enum Subprocess {
    struct Result {
        /// The exit status; 128 + N for a process killed by signal N, as shells report it.
        let status: Int32
        let output: [UInt8]
        let errorOutput: [UInt8]
    }

    /// Standard input is /dev/null. Standard error goes to an unlinked temporary file (so a chatty
    /// program can never block on it while standard output is read), or to ours with `passErrorOutput`.
    /// `environment` holds `NAME=VALUE` entries.
    static func run(_ executable: String, _ arguments: [String], environment: [String],
                    passErrorOutput: Bool = false) throws -> Result {
        let errorFile = passErrorOutput ? -1 : try temporaryFile()
        defer { if errorFile >= 0 { close(errorFile) } }
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { throw FileSystem.errnoError("cannot create a pipe", errno) }
        let (readEnd, writeEnd) = (pipeEnds[0], pipeEnds[1])
        defer { close(readEnd) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        if errorFile >= 0 { posix_spawn_file_actions_adddup2(&actions, errorFile, 2) }
        posix_spawn_file_actions_addclose(&actions, readEnd)
        posix_spawn_file_actions_addclose(&actions, writeEnd)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        close(writeEnd)
        guard spawned == 0 else {
            throw PlueError.internalError("cannot run \(executable): \(String(cString: strerror(spawned)))")
        }
        let output = readAll(readEnd)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            // Without the child's status its result cannot be trusted: never report it as success.
            guard errno == EINTR else { throw FileSystem.errnoError("cannot wait for \(executable)", errno) }
        }
        var errorOutput: [UInt8] = []
        if errorFile >= 0 {
            lseek(errorFile, 0, SEEK_SET)
            errorOutput = readAll(errorFile)
        }
        let signal = status & 0x7F
        return Result(status: signal == 0 ? (status >> 8) & 0xFF : 128 + signal, output: output, errorOutput: errorOutput)
    }

    /// This process's environment as `NAME=VALUE` entries, without the variables named.
    static func environment(removing names: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while let entry = environ[index] {
            let text = String(cString: entry)
            if !names.contains(where: { text.hasPrefix($0 + "=") }) { result.append(text) }
            index += 1
        }
        return result
    }

    private static func readAll(_ descriptor: Int32) -> [UInt8] {
        var result: [UInt8] = []
        // Left uninitialised: zeroing 64 KiB touched 16 fresh pages for outputs of a line or two.
        var buffer = [UInt8](unsafeUninitializedCapacity: 65536) { _, count in count = 65536 }
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return result }
            result += buffer.prefix(count)
        }
    }

    private static func temporaryFile() throws -> Int32 {
        // $TMPDIR read directly: Foundation's NSTemporaryDirectory() cost a millisecond per process.
        let directory = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        let path = directory + "/plue-" + String(Int(getpid())) + "-" + FileSystem.randomName()
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw FileSystem.errnoError("cannot create a temporary file in \(directory)", errno) }
        unlink(path)
        return descriptor
    }
}
