import Foundation

/// Runs the built `plue` binary against one home, as a user would from a shell.
public struct PlueRunner: Sendable {
    public let home: String
    public let binary: String

    public init(home: String) throws {
        self.home = home
        self.binary = try PlueBinary.path
    }

    /// `plue ARGS --home HOME`, with `--home` placed after the command's name as the docs show.
    @discardableResult
    public func run(_ arguments: [String], environment: [String: String] = [:], input: Data? = nil) throws -> CommandResult {
        try raw(arguments + ["--home", home], environment: environment, input: input)
    }

    /// `plue ARGS` exactly as given, for arguments that must stay last (after `--`).
    public func raw(_ arguments: [String], environment: [String: String] = [:], input: Data? = nil) throws -> CommandResult {
        try Command.run(binary, arguments, environment: Command.environment(environment), input: input)
    }

    /// Runs and requires exit 0, returning standard output.
    @discardableResult
    public func ok(_ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let result = try run(arguments, environment: environment)
        guard result.status == 0 else {
            throw CommandFailure(description: "plue \(arguments.joined(separator: " ")) exited \(result.status): \(result.errorOutput)")
        }
        return result.text
    }

    /// `plue init`, the account alice and the repository alice/demo. With `seed`, a work tree made
    /// there has one commit holding `files` (empty when none), pushed to main.
    public func setUpDemo(seed: String? = nil, files: [String: String] = [:]) throws {
        try ok(["init"])
        try ok(["user", "create", "alice", "--email", "alice@example.com"])
        try ok(["repo", "create", "alice/demo"])
        guard let seed else { return }
        try Command.git(["init", "-q", "-b", "main", seed])
        for (name, contents) in files {
            let folder = (seed + "/" + name).split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try contents.write(toFile: seed + "/" + name, atomically: true, encoding: .utf8)
        }
        try Command.git(["add", "-A"], in: seed)
        try Command.git(["commit", "-q", "--allow-empty", "-m", "seed"], in: seed)
        try Command.git(["push", "-q", home + "/repos/alice/demo.git", "main"], in: seed)
    }

    /// Runs with `--json` and parses the one document it prints.
    public func json(_ arguments: [String], environment: [String: String] = [:]) throws -> Any {
        let text = try ok(arguments + ["--json"], environment: environment)
        return try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }
}
