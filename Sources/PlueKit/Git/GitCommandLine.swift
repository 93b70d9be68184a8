import Foundation

/// The `git` CLI, for what libgit2 does not do: transport (`clone --mirror`, later
/// `upload-pack`/`receive-pack`) and `merge-tree`.
enum GitCommandLine {
    struct Result {
        let status: Int32
        let output: String
        let errorOutput: String
        /// Stopped for printing nothing for longer than the options' `idleTimeout`.
        var stalled = false
    }

    /// The transports an import may use; `ext::` (runs any command) and `fd::` (waits forever on a
    /// descriptor nobody writes) among the rest are refused by git itself.
    static let allowedProtocols = ["https", "http", "ssh", "git", "file"]

    /// Runs `git ARGS` with no shell, an allow-listed environment and no terminal prompts. Only the
    /// transports in `allowedProtocols` are allowed, whatever the URL names. `extra` variables
    /// (such as `GIT_INDEX_FILE`) are set on top.
    static func run(_ arguments: [String], keepQuarantine: Bool = false, setting extra: [(String, String)] = [],
                    options: ChildProcess.Options = ChildProcess.Options()) throws -> Result {
        var setting = [("GIT_TERMINAL_PROMPT", "0"), ("GIT_ASKPASS", "/bin/false"), ("SSH_ASKPASS", "/bin/false")] + extra
        if keepQuarantine {
            // Inside a receive hook: objects of the push being checked are in the quarantine.
            for name in ["GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_QUARANTINE_PATH"] {
                if let value = ChildEnvironment.value(name) { setting.append((name, value)) }
            }
        }
        let environment = ChildEnvironment.build(allowing: ChildEnvironment.basic.union(ChildEnvironment.transport), setting: setting)
        let protocols = ["-c", "protocol.allow=never"] + allowedProtocols.flatMap { ["-c", "protocol.\($0).allow=always"] }
        let outcome = try ChildProcess.run(try executable(), protocols + arguments, environment: environment, options: options)
        return Result(status: outcome.status, output: String(decoding: outcome.output, as: UTF8.self),
                      errorOutput: String(decoding: outcome.errorOutput, as: UTF8.self), stalled: outcome.idle)
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

    /// The commits among what `tips` reach that only refs under `privateRefs` reach now: a
    /// session's history, which a push naming a commit's id would make public (git checks only
    /// that a pushed ref's objects exist). Asked inside a receive hook, quarantine kept, before
    /// any ref moves.
    static func privateCommits(reachableFrom tips: [String], privateRefs: String, in gitDirectory: String) throws -> Set<String> {
        guard !tips.isEmpty else { return [] }
        let hidden = "--exclude=\(privateRefs)*"
        func revList(_ arguments: [String]) throws -> Set<String> {
            let result = try run(["--git-dir", gitDirectory, "rev-list"] + arguments + ["--not", hidden, "--all"], keepQuarantine: true)
            guard result.status == 0 else { throw PlueError.failed("cannot list the commits of the push", cause: result.errorOutput) }
            return Set(result.output.split(separator: "\n").map(String.init))
        }
        let published = try revList(tips)
        guard !published.isEmpty else { return [] }
        return published.intersection(try revList(["--glob=\(privateRefs)*"]))
    }

    static func executable() throws -> String {
        let path = ChildEnvironment.value("PATH") ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where access("\(directory)/git", X_OK) == 0 {
            return "\(directory)/git"
        }
        throw PlueError(.unavailable, "git is not installed or not on PATH; install it (apt-get install git)")
    }
}
