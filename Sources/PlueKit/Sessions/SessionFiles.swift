import Foundation

/// Where one session keeps its files, all under HOME/sessions/ID: the working directory, the index
/// that describes it, the lock, the scratch folder checkouts write into and the trash.
struct SessionFiles: Sendable {
    let directory: String

    init(home: PlueHome, id: String) {
        directory = home.sessionPath(id)
    }

    init(directory: String) {
        self.directory = directory
    }

    var workdir: String { directory + "/work" }
    var index: String { directory + "/index" }
    var scratch: String { directory + "/tmp" }
    /// Files a move of the working directory found in its way, one folder per operation it started from.
    func trash(operation: Int64) -> String { directory + "/trash/\(operation)" }

    /// Where a new session's folder is assembled before it is moved into place.
    static func staging(home: PlueHome, id: String) -> String { home.sessionStagingPath + "/" + id }

    /// Refuses a session folder or working directory that is not a real folder: an agent can put a
    /// link in their place, and nothing Plue does may follow it. A link an agent left in place of
    /// the scratch folder or the trash is removed (it is Plue's folder; the link is all there is).
    func verify(id: String) throws {
        for path in [directory, workdir] {
            var info = stat()
            guard lstat(path, &info) == 0 else {
                throw PlueError.failed("the working directory of session \(id) is missing at \(path); its history is kept: fork the session to get a new one")
            }
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw PlueError.failed("\(path) is not a folder (a symbolic link or a file took its place); Plue does not follow it. "
                                       + "The session's history is kept: fork it to get a new working directory")
            }
        }
        for path in [scratch, directory + "/trash"] {
            var info = stat()
            if lstat(path, &info) == 0 && info.st_mode & S_IFMT != S_IFDIR { unlink(path) }
        }
    }
}

/// Points where tests stop a command, as git's GIT_TEST_* variables do: after a move of the
/// working directory has written `count` files.
public struct SessionPauses: Sendable {
    public var afterFileWritten: (@Sendable (_ count: Int) -> Void)?

    public init(afterFileWritten: (@Sendable (_ count: Int) -> Void)? = nil) {
        self.afterFileWritten = afterFileWritten
    }
}

/// A session's settings, as `plue session config` shows them.
public struct SessionSettings: Sendable, JSONRepresentable {
    public let maxNewFileSize: Int64
    public let isDefault: Bool

    public var json: JSON { .object([("maxNewFileSize", .int(maxNewFileSize)), ("isDefault", .bool(isDefault))]) }
}
