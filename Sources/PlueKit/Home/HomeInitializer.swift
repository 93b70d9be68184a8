import Foundation

/// `plue init`: builds a complete home in a staging directory and moves it into place, so a failed
/// init leaves nothing behind and an interrupted one leaves no home (only what the next init clears).
public enum HomeInitializer {
    public struct Summary: Sendable, JSONRepresentable {
        public let home: String
        public let database: String
        public let repositories: String
        public let secret: String
        public let journalMode: String
        public let gitUser: String

        public var json: JSON {
            .object([("home", .string(home)), ("database", .string(database)), ("repositories", .string(repositories)),
                     ("secret", .string(secret)), ("journalMode", .string(journalMode)), ("gitUser", .string(gitUser))])
        }
    }

    public static func initialize(_ home: PlueHome, gitUser: String = SSHAuthorizer.defaultGitUser) throws -> Summary {
        let gitUser = try SSHAuthorizer.validatedSystemUser(gitUser)
        if home.isInitialized {
            throw PlueError.alreadyExists("a Plue home exists at \(home.root) already", hint: "use it, or pass another --home")
        }
        let inPlace = FileSystem.exists(home.root)
        if inPlace {
            guard FileSystem.isDirectory(home.root), try leftoverEntries(in: home) != nil else {
                throw PlueError.alreadyExists("\(home.root) exists and is not an empty directory", hint: "choose a new or empty directory for --home")
            }
        }
        // In place, the home keeps its owner and mode (an administrator made it for the git account
        // under a folder that account may not write); otherwise it is built beside and renamed in.
        let parent = (home.root as NSString).deletingLastPathComponent
        if !inPlace { try FileSystem.createDirectory(parent) }
        let staging = PlueHome(root: inPlace ? home.root + "/" + Self.inPlaceStaging + FileSystem.randomName()
                                             : parent + "/.plue-init-" + FileSystem.randomName())
        do {
            if inPlace { try removeLeftovers(in: home) }
            try FileSystem.createDirectory(staging.root, mode: 0o700)
            try FileSystem.createDirectory(staging.repositoriesPath)
            try FileSystem.writeFile(staging.secretPath, contents: randomSecret(), mode: 0o600)
            // Scoped so the connection closes (and SQLite folds its WAL) before the files move.
            try FileSystem.createDirectory(staging.root + "/log", mode: 0o750)
            let journalMode = try {
                let database = try AppDatabase.open(path: staging.databasePath, create: true)
                try database.setSetting(SSHAuthorizer.gitUserSetting, gitUser)
                return try database.journalMode()
            }()
            if inPlace {
                // plue.db last: until it is there the home is not initialised, and the staging
                // folder (removed after it) marks the rest as this init's, for the next one to clear.
                for name in Self.entries { try FileSystem.rename(staging.root + "/" + name, to: home.root + "/" + name) }
                try FileSystem.remove(staging.root)
            } else {
                try FileSystem.rename(staging.root, to: home.root)
            }
            return Summary(home: home.root, database: home.databasePath, repositories: home.repositoriesPath,
                           secret: home.secretPath, journalMode: journalMode, gitUser: gitUser)
        } catch {
            if inPlace { try? removeLeftovers(in: home) } else { try? FileSystem.remove(staging.root) }
            throw error
        }
    }

    /// What an init puts in a home, in the order it moves them into an existing directory.
    static let entries = ["repos", "log", "secret", "plue.db"]
    /// The staging folder of an init in place: inside the home, so only an init of this very
    /// directory makes one (an init of a folder below stages beside it as `.plue-init-*`).
    static let inPlaceStaging = ".plue-init-in-place-"

    /// The entries of an existing home directory that an interrupted init left (its staging folder,
    /// and beside it what it had moved already), or nil when anything else is there.
    private static func leftoverEntries(in home: PlueHome) throws -> [String]? {
        let names = try FileManager.default.contentsOfDirectory(atPath: home.root)
        let staged = names.filter { $0.hasPrefix(inPlaceStaging) }
        let others = names.filter { !$0.hasPrefix(inPlaceStaging) }
        guard others.isEmpty || (!staged.isEmpty && others.allSatisfy({ isInitsOwn($0, in: home) })) else { return nil }
        return names
    }

    /// Whether `name` is as an init moves it in: `repos` and `log` empty folders, `secret` a file.
    private static func isInitsOwn(_ name: String, in home: PlueHome) -> Bool {
        let path = home.root + "/" + name
        var status = stat()
        guard lstat(path, &status) == 0 else { return false }
        switch name {
        case "repos", "log":
            return status.st_mode & S_IFMT == S_IFDIR && ((try? FileManager.default.contentsOfDirectory(atPath: path).isEmpty) ?? false)
        case "secret":
            return status.st_mode & S_IFMT == S_IFREG && status.st_size == 65
        default:
            return false
        }
    }

    private static func removeLeftovers(in home: PlueHome) throws {
        for name in try leftoverEntries(in: home) ?? [] { try FileSystem.remove(home.root + "/" + name) }
    }

    /// 32 random bytes from the operating system, written as 64 hex digits.
    private static func randomSecret() -> [UInt8] {
        Array((Hex.random(bytes: 32) + "\n").utf8)
    }
}
