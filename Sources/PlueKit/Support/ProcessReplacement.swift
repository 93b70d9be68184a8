import Foundation

/// Replaces this process with another program (execve), so git talks to the SSH client directly.
public enum ProcessReplacement {
    /// Makes standard input a pipe that holds `bytes` and then ends, for a request read before exec.
    public static func replaceStandardInput(with bytes: [UInt8]) throws {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw PlueError.internalError("cannot create a pipe", cause: String(cString: strerror(errno))) }
        // A request is under 64 KiB, which a pipe holds (its default capacity) without a reader.
        defer { close(ends[1]) }
        try bytes.withUnsafeBytes { try FileSystem.writeAll(ends[1], $0, what: "the request to git") }
        close(ends[1])
        ends[1] = -1
        guard dup2(ends[0], 0) == 0 else { throw PlueError.internalError("cannot pass the request on", cause: String(cString: strerror(errno))) }
        close(ends[0])
    }

    /// Becomes `executable` with `ChildEnvironment.basic` of this environment plus `environment`.
    public static func exec(_ executable: String, arguments: [String], environment: [String: String]) throws -> Never {
        let variables = ChildEnvironment.build(setting: environment.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = variables.map { strdup($0) } + [nil]
        execve(executable, argv, envp)
        throw PlueError.internalError("cannot run \(executable)", cause: String(cString: strerror(errno)))
    }
}
