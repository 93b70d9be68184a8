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
    static func run(_ arguments: [String], in directory: String? = nil, passErrorOutput: Bool = false,
                    keepQuarantine: Bool = false) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable())
        // ext:: runs arbitrary commands and must never be reachable from an import URL.
        process.arguments = ["-c", "protocol.ext.allow=never"] + arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["GIT_ASKPASS"] = "/bin/false"
        environment["SSH_ASKPASS"] = "/bin/false"
        var inherited = ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"]
        if !keepQuarantine { inherited += ["GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_QUARANTINE_PATH"] }
        for key in inherited { environment.removeValue(forKey: key) }
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        // stderr goes to a file, not a pipe, so a chatty git can never block on it while we read stdout.
        let errorPath = NSTemporaryDirectory() + "plue-git-\(getpid())-\(FileSystem.randomName())"
        guard FileManager.default.createFile(atPath: errorPath, contents: nil),
              let errorFile = FileHandle(forWritingAtPath: errorPath) else {
            throw PlueError.internalError("cannot create a temporary file for git's messages")
        }
        defer {
            try? errorFile.close()
            unlink(errorPath)
        }
        process.standardError = passErrorOutput ? FileHandle.standardError : errorFile
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw PlueError.internalError("cannot run git", cause: String(describing: error))
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorData = passErrorOutput ? Data() : (FileManager.default.contents(atPath: errorPath) ?? Data())
        return Result(
            status: process.terminationStatus,
            output: String(decoding: outputData, as: UTF8.self),
            errorOutput: String(decoding: errorData, as: UTF8.self))
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
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where access("\(directory)/git", X_OK) == 0 {
            return "\(directory)/git"
        }
        throw PlueError(.unavailable, "git is not installed or not on PATH; install it (apt-get install git)")
    }
}
