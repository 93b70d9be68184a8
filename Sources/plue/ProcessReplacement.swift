import PlueKit

#if canImport(Glibc)
import Glibc
#endif

/// Replaces this process with another program (execve), so git talks to the SSH client directly.
enum ProcessReplacement {
    /// The current environment without git's and Plue's own variables, plus `environment`.
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
