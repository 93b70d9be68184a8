/// The one error type Plue reports: a code, a message that says what went wrong (in words any
/// door can show: no command-line syntax), an optional hint saying how to fix it at the command
/// line, and the underlying cause when there is one. The CLI prints the hint after the message;
/// the HTTP API leaves it out, since its clients have no such commands to run.
public struct PlueError: Error, Sendable, CustomStringConvertible {
    public let code: Code
    public let message: String
    /// How to fix it with `plue` commands and options, for the command line.
    public let hint: String?
    /// What a lower layer (SQLite, libgit2, the OS) said, kept for logs and `--verbose` output.
    public let cause: String?

    public init(_ code: Code, _ message: String, hint: String? = nil, cause: String? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
        self.cause = cause
    }

    /// The message with its hint, as the command line shows it.
    public var messageWithHint: String {
        guard let hint, !hint.isEmpty else { return message }
        return "\(message); \(hint)"
    }

    public var description: String {
        guard let cause, !cause.isEmpty else { return messageWithHint }
        return "\(messageWithHint) (\(cause))"
    }

    public static func invalidInput(_ message: String, hint: String? = nil) -> PlueError { PlueError(.invalidInput, message, hint: hint) }
    public static func notFound(_ message: String, hint: String? = nil) -> PlueError { PlueError(.notFound, message, hint: hint) }
    public static func alreadyExists(_ message: String, hint: String? = nil) -> PlueError { PlueError(.alreadyExists, message, hint: hint) }
    public static func usage(_ message: String, hint: String? = nil) -> PlueError { PlueError(.usage, message, hint: hint) }
    public static func failed(_ message: String, hint: String? = nil, cause: String? = nil) -> PlueError {
        PlueError(.failed, message, hint: hint, cause: cause)
    }
    public static func internalError(_ message: String, cause: String? = nil) -> PlueError {
        PlueError(.internalError, message, cause: cause)
    }
}
