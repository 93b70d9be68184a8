import Foundation

/// What `plue session delete` removed.
public struct SessionDeletion: Sendable, Equatable, JSONRepresentable {
    public let id: String
    public let repository: String
    /// Bytes of the regular files the session directory held.
    public let bytesFreed: Int64
    /// The refs removed: the bookmark and the keep refs of commits no other session reaches.
    public let refsRemoved: [String]
    public let operationsRemoved: Int
    public let turnsRemoved: Int

    public var json: JSON {
        .object([("id", .string(id)), ("repository", .string(repository)), ("bytesFreed", .int(bytesFreed)),
                 ("refsRemoved", .array(refsRemoved.map(JSON.string))), ("operationsRemoved", .int(Int64(operationsRemoved))),
                 ("turnsRemoved", .int(Int64(turnsRemoved)))])
    }
}

/// What `plue session gc` did: the working directories it removed, and the ones it left and why.
public struct SessionCollection: Sendable, Equatable, JSONRepresentable {
    public struct Removed: Sendable, Equatable {
        public let id: String
        public let repository: String
        public let lastActivity: Date
        public let bytesFreed: Int64
    }

    public struct Left: Sendable, Equatable {
        public let id: String
        public let repository: String
        public let reason: String
    }

    /// A folder a killed `session new` or `fork` left, which no session row records.
    public struct Abandoned: Sendable, Equatable {
        public let path: String
        public let bytesFreed: Int64
    }

    public let removed: [Removed]
    public let left: [Left]
    public var abandoned: [Abandoned] = []
    public var bytesFreed: Int64 { removed.reduce(0) { $0 + $1.bytesFreed } + abandoned.reduce(0) { $0 + $1.bytesFreed } }

    public var json: JSON {
        .object([
            ("removed", .array(removed.map {
                .object([("id", .string($0.id)), ("repository", .string($0.repository)), ("lastActivity", .time($0.lastActivity)),
                         ("bytesFreed", .int($0.bytesFreed))])
            })),
            ("left", .array(left.map { .object([("id", .string($0.id)), ("repository", .string($0.repository)), ("reason", .string($0.reason))]) })),
            ("abandoned", .array(abandoned.map { .object([("path", .string($0.path)), ("bytesFreed", .int($0.bytesFreed))]) })),
            ("bytesFreed", .int(bytesFreed)),
        ])
    }
}
