/// Where one session keeps its files, all under HOME/sessions/ID: the working directory, the index
/// that describes it, the lock, the scratch folder checkouts write into and the trash.
struct SessionFiles: Sendable {
    let directory: String

    init(home: PlueHome, id: String) {
        directory = home.sessionsPath + "/" + id
    }

    var workdir: String { directory + "/work" }
    var index: String { directory + "/index" }
    var scratch: String { directory + "/tmp" }
    /// Files a move of the working directory found in its way, one folder per operation it started from.
    func trash(operation: Int64) -> String { directory + "/trash/\(operation)" }
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
