import PlueKit

#if canImport(Glibc)
import Glibc
#endif

/// Replaces this process with another program (execve), so git talks to the SSH client directly.
enum ProcessReplacement {
    /// The current environment without git's and Plue's own variables, plus `environment`.
    /// Makes standard input a pipe that holds `bytes` and then ends, for a request read before exec.
    static func replaceStandardInput(with bytes: [UInt8]) throws {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw PlueError.internalError("cannot create a pipe", cause: String(cString: strerror(errno))) }
        // A request is under 64 KiB, which a pipe holds (its default capacity) without a reader.
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(ends[1], $0.baseAddress! + written, bytes.count - written) }
            guard count > 0 else { throw PlueError.internalError("cannot pass the request on", cause: String(cString: strerror(errno))) }
            written += count
        }
        close(ends[1])
        guard dup2(ends[0], 0) == 0 else { throw PlueError.internalError("cannot pass the request on", cause: String(cString: strerror(errno))) }
        close(ends[0])
    }

    static func exec(_ executable: String, arguments: [String], environment: [String: String]) throws -> Never {
        var variables: [String] = []
        var index = 0
        while let entry = environ[index] {
            let text = String(cString: entry)
            if !text.hasPrefix("GIT_") && !text.hasPrefix("PLUE_") { variables.append(text) }
            index += 1
        }
        variables += environment.map { "\($0.key)=\($0.value)" }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = variables.map { strdup($0) } + [nil]
        execve(executable, argv, envp)
        throw PlueError.internalError("cannot run \(executable)", cause: String(cString: strerror(errno)))
    }
}
