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

    /// Runs with `--json` and parses the one document it prints.
    public func json(_ arguments: [String], environment: [String: String] = [:]) throws -> Any {
        let text = try ok(arguments + ["--json"], environment: environment)
        return try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }
}
