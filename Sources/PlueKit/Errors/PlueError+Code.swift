extension PlueError {
    /// What kind of failure this is. Each code has exactly one exit code and one HTTP status.
    public enum Code: String, Sendable, CaseIterable, Codable {
        /// The operation ran and failed (a conflict, a refused push, a source that could not be read).
        case failed
        /// A home, database or repository is damaged: Plue refuses to guess, and says how to restore it.
        case damaged
        /// The command line itself was wrong: a missing confirmation, options that do not go together.
        case usage
        /// A name, path, ref or body that does not have the required shape.
        case invalidInput
        /// The thing named does not exist (or is not visible to the caller).
        case notFound
        /// The thing to be created exists already.
        case alreadyExists
        /// Try again later: the database is busy or locked, the disk is read-only.
        case unavailable
        /// The caller may not do this.
        case permissionDenied
        /// No API token, or one that is malformed, unknown, revoked or expired (HTTP 401). Every
        /// such token gets the same answer, so none can be told from another.
        case unauthenticated
        /// An API token without the scope a route needs, or used outside its repositories or its
        /// session (HTTP 403). Spelled as OAuth (RFC 6750) and Gitea spell it.
        case insufficientScope = "insufficient_scope"
        /// A bug in Plue or an unexpected state of the machine.
        case internalError
        /// The request names the state it expects (`If-Match`), and the thing has moved on since:
        /// nothing was changed (HTTP 412).
        case preconditionFailed
    }
}

extension PlueError.Code {
    /// The process exit code (sysexits.h values where one fits).
    public var exitCode: Int32 {
        switch self {
        case .failed, .damaged, .preconditionFailed: 1
        case .usage: 64
        case .invalidInput: 65
        case .notFound: 66
        case .internalError: 70
        case .alreadyExists: 73
        case .unavailable: 75
        case .permissionDenied, .unauthenticated, .insufficientScope: 77
        }
    }

    /// The HTTP status the API answers with.
    public var httpStatus: Int {
        switch self {
        case .failed: 409
        case .damaged: 500
        case .usage: 400
        case .invalidInput: 422
        case .notFound: 404
        case .internalError: 500
        case .alreadyExists: 409
        case .unavailable: 503
        case .permissionDenied, .insufficientScope: 403
        case .unauthenticated: 401
        case .preconditionFailed: 412
        }
    }
}
