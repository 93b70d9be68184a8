import Foundation

/// One ref moved by one push: the record every later consumer (workflows, webhooks, landing) reads.
public struct PushEvent: Sendable, Equatable, JSONRepresentable {
    public let id: Int64
    public let repository: String
    public let ref: String
    /// All zeros when the ref was created.
    public let oldCommit: String
    /// All zeros when the ref was deleted.
    public let newCommit: String
    /// The account that pushed, when the transport knows it (SSH, HTTP); nil for local pushes.
    public let pusher: String?
    /// The deploy key that pushed, when one did.
    public let deployKey: Int64?
    public let pushedAt: Date

    public var json: JSON {
        .object([("id", .int(id)), ("repository", .string(repository)), ("ref", .string(ref)),
                 ("oldCommit", .string(oldCommit)), ("newCommit", .string(newCommit)), ("pusher", .optional(pusher)),
                 ("deployKey", deployKey.map(JSON.int) ?? .null),
                 ("pushedAt", .time(pushedAt))])
    }
}

/// One line of what git hands the pre- and post-receive hooks: `OLD NEW REF`.
public struct RefUpdate: Sendable, Equatable {
    public let oldCommit: String
    public let newCommit: String
    public let ref: String

    public init(oldCommit: String, newCommit: String, ref: String) {
        self.oldCommit = oldCommit
        self.newCommit = newCommit
        self.ref = ref
    }

    public static let zeroCommit = String(repeating: "0", count: 40)
    public var isCreate: Bool { oldCommit == Self.zeroCommit }
    public var isDelete: Bool { newCommit == Self.zeroCommit }
}
