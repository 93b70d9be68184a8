import Foundation

/// `plue init`: builds a complete home in a staging directory and moves it into place in one rename,
/// so a failed or interrupted init leaves nothing behind at the home's path.
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
            throw PlueError.alreadyExists("a Plue home exists at \(home.root) already; use it, or pass another --home")
        }
        if FileSystem.exists(home.root) {
            let contents = (try? FileManager.default.contentsOfDirectory(atPath: home.root)) ?? ["?"]
            guard FileSystem.isDirectory(home.root), contents.isEmpty else {
                throw PlueError.alreadyExists("\(home.root) exists and is not an empty directory; choose a new or empty directory for --home")
            }
        }
        let parent = (home.root as NSString).deletingLastPathComponent
        try FileSystem.createDirectory(parent)
        let staging = PlueHome(root: parent + "/.plue-init-" + FileSystem.randomName())
        do {
            try FileSystem.createDirectory(staging.root, mode: 0o700)
            try FileSystem.createDirectory(staging.repositoriesPath)
            try FileSystem.writeFile(staging.secretPath, contents: randomSecret(), mode: 0o600)
            // Scoped so the connection closes (and SQLite folds its WAL) before the directory moves.
            try FileSystem.createDirectory(staging.root + "/log", mode: 0o750)
            let journalMode = try {
                let database = try AppDatabase.open(path: staging.databasePath, create: true)
                try database.setSetting(SSHAuthorizer.gitUserSetting, gitUser)
                return try database.journalMode()
            }()
            try FileSystem.rename(staging.root, to: home.root)
            return Summary(home: home.root, database: home.databasePath, repositories: home.repositoriesPath,
                           secret: home.secretPath, journalMode: journalMode, gitUser: gitUser)
        } catch {
            try? FileSystem.remove(staging.root)
            throw error
        }
    }

    /// 32 random bytes from the operating system, written as 64 hex digits.
    private static func randomSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var hex = ""
        for _ in 0..<32 {
            let byte = UInt8.random(in: 0...255, using: &generator)
            hex += (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }
        return Array((hex + "\n").utf8)
    }
}
