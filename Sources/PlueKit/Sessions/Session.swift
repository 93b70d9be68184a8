import Foundation

/// An agent's (or a person's) private working copy of one repository, started from a base branch.
public struct Session: Sendable, Equatable, JSONRepresentable {
    public enum Status: String, Sendable { case active, aborted, closed, landed }

    public let id: String
    public let repository: String
    /// The account that started (or forked) it; nil when the operator did.
    public let owner: String?
    public let title: String
    public let baseBranch: String
    public let baseCommit: String
    public let status: Status
    public let workdir: String
    public let createdAt: Date
    /// The working-copy commit of the newest operation.
    public let workingCopy: String
    /// The change the working copy is: the change id of `workingCopy`.
    public let currentChange: String
    public let headOperation: Int64
    /// Bytes of the regular files below HOME/sessions/ID (symbolic links not followed); set by
    /// `SessionService.measured`, nil otherwise.
    public internal(set) var sizeOnDisk: Int64? = nil
    /// When the newest operation was recorded; set by `SessionService.measured`.
    public internal(set) var lastActivity: Date? = nil
    /// How many turns the session has had, shown or not; set by `SessionService.measured`.
    public internal(set) var turnCount: Int? = nil

    public var bookmark: String { Self.bookmark(id: id) }

    /// The ref that follows a session's working copy.
    static func bookmark(id: String) -> String { "refs/plue/sessions/\(id)" }

    /// The measured fields (`sizeOnDisk`, `lastActivity`, `turnCount`) only when measured.
    public var json: JSON {
        var members: [(String, JSON)] = [
            ("id", .string(id)), ("repository", .string(repository)), ("owner", owner.map(JSON.string) ?? .null), ("title", .string(title)),
            ("baseBranch", .string(baseBranch)), ("baseCommit", .string(baseCommit)), ("status", .string(status.rawValue)),
            ("workdir", .string(workdir)), ("bookmark", .string(bookmark)), ("currentChange", .string(currentChange)),
            ("workingCopy", .string(workingCopy)), ("headOperation", .int(headOperation)), ("createdAt", .time(createdAt)),
        ]
        if let sizeOnDisk { members.append(("sizeOnDisk", .int(sizeOnDisk))) }
        if let lastActivity { members.append(("lastActivity", .time(lastActivity))) }
        if let turnCount { members.append(("turnCount", .int(Int64(turnCount)))) }
        return .object(members)
    }
}

/// One entry of a session's operation log: what was done, and the view it left.
public struct SessionOperation: Sendable, Equatable, JSONRepresentable {
    public let id: Int64
    public let parent: Int64?
    public let kind: String
    public let description: String
    public let workingCopy: String
    /// For undo, redo and restore: the operation undone, redone or restored.
    public let target: Int64?
    /// For undo and redo: the operation whose view this one brought back (Jujutsu's "restore to
    /// operation"), which the next undo or redo starts from.
    public let restored: Int64?
    /// The turns whose messages this view shows.
    public let visibleTurns: [Int64]
    /// Permission bits of the view's files that its tree cannot hold.
    let modes: FileModes
    public let time: Date

    public var json: JSON {
        .object([("id", .int(id)), ("parent", parent.map(JSON.int) ?? .null), ("kind", .string(kind)),
                 ("description", .string(description)), ("workingCopy", .string(workingCopy)),
                 ("target", target.map(JSON.int) ?? .null), ("restored", restored.map(JSON.int) ?? .null), ("visibleTurns", .array(visibleTurns.map(JSON.int))),
                 ("time", .time(time))])
    }
}

/// A change: a stable id across rewrites, and the commit it is now.
public struct SessionChange: Sendable, Equatable, JSONRepresentable {
    public let changeID: String
    public let commit: String
    public let description: String
    public let parents: [String]
    public let filesChanged: [String]

    public var json: JSON {
        .object([("changeId", .string(changeID)), ("commit", .string(commit)), ("description", .string(description)),
                 ("parents", .array(parents.map(JSON.string))), ("filesChanged", .array(filesChanged.map(JSON.string)))])
    }
}

/// What `plue session snapshot` and `commit` report.
public struct SnapshotResult: Sendable, JSONRepresentable {
    public let session: Session
    /// Nil when nothing changed, so no operation was recorded.
    public let operation: SessionOperation?
    /// Files the snapshot left out (not stored; never removed by Plue).
    public let skipped: [SkippedFile]
    /// Files a move of the working directory found in its way, moved to the trash.
    public let trashed: [TrashedFile]

    init(session: Session, operation: SessionOperation?, skipped: [SkippedFile], trashed: [TrashedFile] = []) {
        self.session = session
        self.operation = operation
        // A file the snapshot left out and the move then took out of its way is reported once, as moved.
        self.skipped = skipped.filter { file in !trashed.contains { $0.path == file.path } }
        self.trashed = trashed
    }

    public var json: JSON {
        .object([("session", session.json), ("changed", .bool(operation != nil)), ("operation", operation?.json ?? .null),
                 ("skipped", .array(skipped.map(\.json))), ("trashed", .array(trashed.map(\.json)))])
    }
}

/// Session ids: 16 lower-case hex digits, as `Hex.random(bytes: 8)` makes them.
enum SessionID {
    static func isValid(_ text: String) -> Bool {
        text.utf8.count == 16 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

/// Change ids as Jujutsu shows them: 16 random bytes in "reverse hex", the letters z to k.
enum ChangeID {
    private static let digits: [UInt8] = Array("zyxwvutsrqponmlk".utf8)

    static func random() -> String {
        Hex.random(bytes: 16, digits: digits)
    }

    static func isValid(_ text: String) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { digits.contains($0) }
    }
}
