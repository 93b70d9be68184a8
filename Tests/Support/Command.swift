import Foundation

/// A finished process: exit status and both outputs.
public struct CommandResult: Sendable {
    public let status: Int32
    public let output: Data
    public let errorOutput: String
    public var text: String { String(decoding: output, as: UTF8.self) }
    public var trimmed: String { text.trimmingCharacters(in: .whitespacesAndNewlines) }
}

public struct CommandFailure: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}

/// Runs real programs (git, the built plue) as a user would, without a shell.
public enum Command {
    /// A neutral environment: a fixed git identity, no user or system git configuration.
    public static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("GIT_") || key.hasPrefix("PLUE_") { environment.removeValue(forKey: key) }
        environment["GIT_AUTHOR_NAME"] = "Test Author"
        environment["GIT_AUTHOR_EMAIL"] = "author@example.com"
        environment["GIT_COMMITTER_NAME"] = "Test Committer"
        environment["GIT_COMMITTER_EMAIL"] = "committer@example.com"
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        environment["LC_ALL"] = "C"
        environment.merge(extra) { _, new in new }
        return environment
    }

    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], in directory: String? = nil,
                           environment: [String: String]? = nil, input: Data? = nil) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.environment = environment ?? Self.environment()
        let output = Pipe()
        let errors = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(input) }
        try stdin.fileHandleForWriting.close()
        // Read both pipes at once so neither can fill up and stall the child.
        let errorData = LockedData()
        let reader = Thread { errorData.set(errors.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { usleep(1000) }
        return CommandResult(status: process.terminationStatus, output: outputData,
                             errorOutput: String(decoding: errorData.get(), as: UTF8.self))
    }

    /// Runs `git ARGS` and returns its trimmed output, failing the test's step when git fails.
    @discardableResult
    public static func git(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> String {
        let result = try run("/usr/bin/git", arguments, in: directory, environment: Self.environment(environment))
        guard result.status == 0 else {
            throw CommandFailure(description: "git \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.errorOutput)")
        }
        return result.trimmed
    }
}

final class LockedData: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var data: Data?
    func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return data != nil }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data ?? Data() }
}
