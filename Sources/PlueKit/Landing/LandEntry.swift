import Foundation

/// How a land puts the source's work on the target branch.
public enum LandStrategy: String, Sendable, CaseIterable {
    /// One new commit per source commit on the target's tip, change ids kept (`git rebase`).
    case rebase
    /// A merge commit of the target's tip and the source (GitHub's "create a merge commit").
    case merge
    /// One commit holding all of the source's work.
    case squash
}

/// Where an entry's work comes from.
public enum LandSource: Sendable, Equatable {
    case session(String)
    case branch(String)

    public var kind: String {
        switch self {
        case .session: "session"
        case .branch: "branch"
        }
    }

    public var name: String {
        switch self {
        case .session(let id): id
        case .branch(let name): name
        }
    }

    public var description: String { "\(kind) \(name)" }

    var json: JSON { .object([("kind", .string(kind)), ("name", .string(name))]) }
}

/// One entry of a repository's landing queue.
public struct LandEntry: Sendable, Equatable, JSONRepresentable {
    public enum State: String, Sendable, CaseIterable {
        case queued, checking, landed, conflicted, stale, failed, cancelled
    }

    public typealias Conflict = MergeConflict

    public let id: Int64
    public let repository: String
    public let source: LandSource
    public let target: String
    public let strategy: LandStrategy
    /// The message for the merge or squash commit, or for undescribed commits under rebase.
    public let message: String?
    /// The source's head commit when it was queued: exactly this is landed, or nothing.
    public let headCommit: String
    public let requestedBy: String?
    public let state: State
    public let reason: String
    public let conflicts: [Conflict]
    /// The target's tip the newest result was built on.
    public let builtOn: String?
    /// The commit built for landing (refs/plue/land/ID); the target's new tip once landed.
    public let result: String?
    /// How many times a runner took the entry up (more than one after a runner died).
    public let attempts: Int64
    /// 1 for the head of the queue; nil once finished.
    public let position: Int64?
    public let queuedAt: Date
    public let startedAt: Date?
    public let finishedAt: Date?

    public var ref: String { "refs/plue/land/\(id)" }

    public var json: JSON {
        let members: [(String, JSON)] = [("id", .int(id)), ("repository", .string(repository)),
                 ("source", source.json), ("target", .string(target)), ("strategy", .string(strategy.rawValue)),
                 ("message", message.map(JSON.string) ?? .null), ("headCommit", .string(headCommit)),
                 ("requestedBy", requestedBy.map(JSON.string) ?? .null), ("state", .string(state.rawValue)),
                 ("reason", .string(reason)),
                 ("conflicts", .array(conflicts.map(\.json))),
                 ("builtOn", builtOn.map(JSON.string) ?? .null), ("result", result.map(JSON.string) ?? .null),
                 ("ref", .string(ref)), ("attempts", .int(attempts)), ("position", position.map(JSON.int) ?? .null),
                 ("queuedAt", .time(queuedAt)), ("startedAt", startedAt.map(JSON.time) ?? .null),
                 ("finishedAt", finishedAt.map(JSON.time) ?? .null)]
        return .object(members)
    }
}

/// What `plue land check` reports: would the source land cleanly on the target's tip now?
public struct LandCheck: Sendable, Equatable, JSONRepresentable {
    public let clean: Bool
    public let source: LandSource
    public let sourceCommit: String
    public let target: String
    public let targetCommit: String
    public let conflicts: [LandEntry.Conflict]

    public var json: JSON {
        .object([("clean", .bool(clean)), ("hasConflicts", .bool(!clean)), ("source", source.json),
                 ("sourceCommit", .string(sourceCommit)), ("target", .string(target)), ("targetCommit", .string(targetCommit)),
                 ("conflicts", .array(conflicts.map(\.json)))])
    }
}
