/// One thing `plue doctor` found wrong in a home: what, where, and whether `--fix` repaired it.
public struct DoctorFinding: Sendable, Equatable, JSONRepresentable {
    /// What kind of problem this is; stable, for scripts reading `--json`.
    public enum Code: String, Sendable, CaseIterable {
        /// No `plue.db` in the home.
        case databaseMissing
        /// The database file cannot be opened or read (permissions, a locked or unreadable file).
        case databaseUnreadable
        /// SQLite's integrity check failed.
        case databaseDamaged
        /// The database holds no Plue schema at all (an empty file, or another program's).
        case schemaMissing
        /// Migrations this `plue` knows have not been applied yet.
        case schemaBehind
        /// A newer `plue` migrated the database with migrations this one does not know.
        case schemaNewer
        /// HOME/secret is missing.
        case secretMissing
        /// HOME/secret is not a regular file (a symbolic link, a folder).
        case secretNotFile
        /// HOME/secret is readable by others than its owner.
        case secretMode
        /// HOME/secret does not hold 32 bytes.
        case secretContent
        /// A repository has no `pre-receive` or `post-receive` hook: pushes skip Plue's checks.
        case hookMissing
        /// The hook runs a `plue` that is not there (moved, removed): every push fails.
        case hookBinaryMissing
        /// The hook names another home or another repository (the home or the repository moved).
        case hookMismatch
        /// The hook file is not executable: git skips it, so pushes skip Plue's checks.
        case hookNotExecutable
        /// The hook is not the one Plue writes (edited by hand, or another program's).
        case hookModified
        /// The hook is not a regular file (a symbolic link, a folder).
        case hookNotFile
        /// A repository folder under HOME/repos that no repository row records.
        case repositoryWithoutRow
        /// A repository row whose folder is missing.
        case rowWithoutRepository
        /// A recorded repository whose git folder cannot be read as a repository.
        case repositoryDamaged
        /// A session folder under HOME/sessions that no session row records.
        case sessionWithoutRow
        /// A session row whose folder is missing.
        case rowWithoutSession
        /// What a killed command left in a staging or trash folder.
        case stagingLeftover
        /// A turn marked running whose `plue` is gone.
        case stuckTurn
        /// A check could not run; the message says why.
        case checkFailed
    }

    public let code: Code
    /// The file or folder concerned, when there is one.
    public let path: String?
    /// The repository (OWNER/NAME) or session (ID, or ID/turn N) concerned, when there is one.
    public let name: String?
    /// What is wrong.
    public let message: String
    /// What `--fix` did, or would do, or what to do by hand.
    public let remedy: String
    /// Whether `--fix` can repair it.
    public let fixable: Bool
    /// Whether `--fix` repaired it.
    public let fixed: Bool

    public init(_ code: Code, path: String? = nil, name: String? = nil, message: String, remedy: String,
                fixable: Bool = false, fixed: Bool = false) {
        self.code = code
        self.path = path
        self.name = name
        self.message = message
        self.remedy = remedy
        self.fixable = fixable
        self.fixed = fixed
    }

    public var json: JSON {
        .object([("code", .string(code.rawValue)), ("path", path.map(JSON.string) ?? .null), ("name", name.map(JSON.string) ?? .null),
                 ("message", .string(message)), ("remedy", .string(remedy)), ("fixable", .bool(fixable)), ("fixed", .bool(fixed))])
    }
}
