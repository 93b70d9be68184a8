import Foundation

/// A commit as `plue repo log` reports it.
public struct GitCommit: Sendable, Equatable {
    public let commit: String
    /// The id of the commit's root tree.
    public let tree: String
    public let parents: [String]
    public let author: GitSignature
    public let committer: GitSignature
    public let summary: String
    public let message: String
}

public struct GitSignature: Sendable, Equatable {
    public let name: String
    public let email: String
    public let time: Date
}

/// One entry of a tree listing.
public struct GitTreeEntry: Sendable, Equatable {
    public let name: String
    public let path: String
    /// `blob`, `tree` or `commit` (a submodule), as `git ls-tree` says.
    public let type: String
    /// The octal file mode, as `git ls-tree` prints it (`100644`, `100755`, `120000`, `040000`, `160000`).
    public let mode: String
    public let object: String
    /// Size in bytes for blobs; nil for trees and submodules.
    public let size: Int64?

    /// A symbolic link: a blob whose bytes are the link's target, as git stores one.
    public var isSymbolicLink: Bool { mode == "120000" }
}

/// What a path names in a commit's tree.
public enum GitPathContents: Sendable, Equatable {
    /// A directory's entries (the root's, for the empty path).
    case directory([GitTreeEntry])
    /// A file or a symbolic link, with its bytes: a link's bytes are its target, read from the
    /// object database, never followed. nil for a file over the reader's size limit.
    case file(GitTreeEntry, [UInt8]?)
    /// A submodule: a commit of another repository, which this one does not hold.
    case submodule(GitTreeEntry)
}

/// A path two sides of a merge changed in ways git could not combine, as `git merge-tree` reports it.
public struct MergeConflict: Sendable, Equatable, JSONRepresentable {
    public let path: String
    /// content, add/add, modify/delete or rename.
    public let kind: String

    public init(path: String, kind: String) {
        self.path = path
        self.kind = kind
    }

    public var json: JSON { .object([("path", .string(path)), ("kind", .string(kind))]) }
}

/// A branch and the commit it points at.
public struct GitBranch: Sendable, Equatable {
    public let name: String
    public let commit: String

    public init(name: String, commit: String) {
        self.name = name
        self.commit = commit
    }
}

extension GitCommit: JSONRepresentable {
    public var json: JSON {
        .object([("commit", .string(commit)), ("parents", .array(parents.map(JSON.string))), ("author", author.json),
                 ("committer", committer.json), ("summary", .string(summary)), ("message", .string(message))])
    }
}

extension GitSignature: JSONRepresentable {
    public var json: JSON { .object([("name", .string(name)), ("email", .string(email)), ("time", .time(time))]) }
}

extension GitTreeEntry: JSONRepresentable {
    public var json: JSON {
        .object([("name", .string(name)), ("path", .string(path)), ("type", .string(type)), ("mode", .string(mode)),
                 ("object", .string(object)), ("size", size.map(JSON.int) ?? .null)])
    }
}
