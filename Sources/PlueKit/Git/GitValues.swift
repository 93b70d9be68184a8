import Foundation

/// A commit as `plue repo log` reports it.
public struct GitCommit: Sendable, Codable, Equatable {
    public let commit: String
    public let parents: [String]
    public let author: GitSignature
    public let committer: GitSignature
    public let summary: String
    public let message: String
}

public struct GitSignature: Sendable, Codable, Equatable {
    public let name: String
    public let email: String
    public let time: Date
}

/// One entry of a tree listing.
public struct GitTreeEntry: Sendable, Codable, Equatable {
    public let name: String
    public let path: String
    /// `blob`, `tree` or `commit` (a submodule), as `git ls-tree` says.
    public let type: String
    /// The octal file mode, as `git ls-tree` prints it (`100644`, `100755`, `120000`, `040000`, `160000`).
    public let mode: String
    public let object: String
    /// Size in bytes for blobs; nil for trees and submodules.
    public let size: Int64?
}

/// A branch and the commit it points at.
public struct GitBranch: Sendable, Equatable {
    public let name: String
    public let commit: String
}
