import Foundation

/// The `git` CLI, for what libgit2 does not do: transport (`clone --mirror`, later
/// `upload-pack`/`receive-pack`) and `merge-tree`.
enum GitCommandLine {
    struct Result {
        let status: Int32
        let output: String
        let errorOutput: String
    }

    /// Runs `git ARGS` with no shell, a clean transport environment and no terminal prompts.
    static func run(_ arguments: [String], passErrorOutput: Bool = false, keepQuarantine: Bool = false) throws -> Result {
        var removed = ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_TERMINAL_PROMPT", "GIT_ASKPASS", "SSH_ASKPASS"]
        if !keepQuarantine { removed += ["GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_QUARANTINE_PATH"] }
        let environment = Subprocess.environment(removing: removed)
            + ["GIT_TERMINAL_PROMPT=0", "GIT_ASKPASS=/bin/false", "SSH_ASKPASS=/bin/false"]
        // ext:: runs arbitrary commands and must never be reachable from an import URL.
        let result = try Subprocess.run(try executable(), ["-c", "protocol.ext.allow=never"] + arguments,
                                        environment: environment, passErrorOutput: passErrorOutput)
        return Result(status: result.status, output: String(decoding: result.output, as: UTF8.self),
                      errorOutput: String(decoding: result.errorOutput, as: UTF8.self))
    }

    /// Whether `ancestor` is reachable from `commit` (a fast-forward), asked of git inside a
    /// receive hook: git's quarantine variables are kept, so objects of the push being checked count.
    static func isAncestor(_ ancestor: String, of commit: String, in gitDirectory: String) throws -> Bool {
        let result = try run(["--git-dir", gitDirectory, "merge-base", "--is-ancestor", ancestor, commit], keepQuarantine: true)
        switch result.status {
        case 0: return true
        case 1: return false
        default: throw PlueError.failed("cannot compare \(ancestor) and \(commit)", cause: result.errorOutput)
        }
    }

    static func executable() throws -> String {
        // getenv, not ProcessInfo: building the environment dictionary cost more than the lookup.
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where access("\(directory)/git", X_OK) == 0 {
            return "\(directory)/git"
        }
        throw PlueError(.unavailable, "git is not installed or not on PATH; install it (apt-get install git)")
    }
}
