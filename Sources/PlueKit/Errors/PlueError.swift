/// The one error type Plue reports: a code, a message that says what went wrong and how to fix it,
/// and the underlying cause when there is one.
public struct PlueError: Error, Sendable, CustomStringConvertible {
    public let code: Code
    public let message: String
    /// What a lower layer (SQLite, libgit2, the OS) said, kept for logs and `--verbose` output.
    public let cause: String?

    public init(_ code: Code, _ message: String, cause: String? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        guard let cause, !cause.isEmpty else { return message }
        return "\(message) (\(cause))"
    }

    public static func invalidInput(_ message: String) -> PlueError { PlueError(.invalidInput, message) }
    public static func notFound(_ message: String) -> PlueError { PlueError(.notFound, message) }
    public static func alreadyExists(_ message: String) -> PlueError { PlueError(.alreadyExists, message) }
    public static func usage(_ message: String) -> PlueError { PlueError(.usage, message) }
    public static func failed(_ message: String, cause: String? = nil) -> PlueError {
        PlueError(.failed, message, cause: cause)
    }
    public static func internalError(_ message: String, cause: String? = nil) -> PlueError {
        PlueError(.internalError, message, cause: cause)
    }
}
