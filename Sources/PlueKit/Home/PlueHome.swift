import Glibc

/// The directory that holds one forge: `plue.db`, `repos/` and the server secret.
public struct PlueHome: Sendable, Equatable {
    /// Absolute path of the home directory.
    public let root: String

    public init(root: String) {
        self.root = FilePath.absolute(root)
    }

    public var databasePath: String { root + "/plue.db" }
    public var repositoriesPath: String { root + "/repos" }
    public var secretPath: String { root + "/secret" }
    /// Every SSH decision, since sshd discards the key lookup's standard error.
    public var sshLogPath: String { root + "/log/ssh.log" }
    /// One folder per agent session: its working directory and its index.
    public var sessionsPath: String { root + "/sessions" }
    /// Where new repositories are assembled before they are moved into place.
    public var stagingPath: String { repositoriesPath + "/.staging" }
    /// Where deleted repositories wait to be removed.
    public var trashPath: String { repositoriesPath + "/.trash" }
    /// Where new sessions' folders are assembled before they are moved into place.
    public var sessionStagingPath: String { sessionsPath + "/.staging" }

    /// Entries of the staging and trash folders older than this are leftovers of killed processes:
    /// every command that builds something there finishes with it, or removes it, within that time.
    public static let leftoverAge: Double = 3600

    /// Lock files of long-running workers, such as each repository's landing queue.
    public var locksPath: String { root + "/locks" }

    /// Whether `repos/` holds any owner's folder (what a home without a database must not have).
    var holdsRepositories: Bool {
        guard let directory = opendir(repositoriesPath) else { return false }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if !name.hasPrefix(".") { return true }
        }
        return false
    }

    /// One session's folder: its working directory, index and lock.
    public func sessionPath(_ id: String) -> String { sessionsPath + "/" + id }

    public func landQueueLockPath(repositoryID: Int64) -> String { "\(locksPath)/land-\(repositoryID).lock" }

    public func repositoryPath(owner: String, name: String) -> String {
        "\(repositoriesPath)/\(owner)/\(name).git"
    }

    /// The home a command uses: `--home`, else `$PLUE_HOME`, else `$XDG_DATA_HOME/plue`,
    /// else `~/.local/share/plue`.
    public static func resolve(explicit: String?, environment: [String: String]) throws -> PlueHome {
        try resolve(explicit: explicit) { environment[$0] }
    }

    /// The same, reading variables through `variable` (the process environment in the CLI).
    public static func resolve(explicit: String?, variable: (String) -> String?) throws -> PlueHome {
        let environment = variable
        if let explicit { return try validated(explicit, source: "--home") }
        if let value = environment("PLUE_HOME"), !value.isEmpty {
            return try validated(value, source: "PLUE_HOME")
        }
        if let value = environment("XDG_DATA_HOME"), !value.isEmpty {
            return try validated(value + "/plue", source: "XDG_DATA_HOME")
        }
        guard let user = environment("HOME"), !user.isEmpty else {
            throw PlueError.usage("cannot find a Plue home: pass --home DIR or set PLUE_HOME")
        }
        return try validated(user + "/.local/share/plue", source: "HOME")
    }

    private static func validated(_ path: String, source: String) throws -> PlueHome {
        guard !path.isEmpty, path.utf8.count <= 1024,
              !Validation.hasControlCharacters(path)
        else {
            throw PlueError.invalidInput("the home directory from \(source) must be a path of at most 1024 characters with no control characters")
        }
        return PlueHome(root: path)
    }

    /// Whether `plue init` has completed here.
    public var isInitialized: Bool { FileSystem.exists(databasePath) }
}
