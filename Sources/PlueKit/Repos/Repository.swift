import Foundation

/// A repository as recorded in the database, with the path of its bare git directory.
public struct Repository: Sendable, Equatable {
    public let id: Int64
    public let owner: String
    public let name: String
    public let description: String
    public let isPrivate: Bool
    public let defaultBranch: String
    /// Bytes on disk as of the last push, import or creation.
    public let sizeBytes: Int64
    public let createdAt: Date
    public let path: String

    public var fullName: String { "\(owner)/\(name)" }
}

extension Repository: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, owner, name, fullName, description, defaultBranch, sizeBytes, createdAt, path
        case isPrivate = "private"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(owner, forKey: .owner)
        try container.encode(name, forKey: .name)
        try container.encode(fullName, forKey: .fullName)
        try container.encode(description, forKey: .description)
        try container.encode(isPrivate, forKey: .isPrivate)
        try container.encode(defaultBranch, forKey: .defaultBranch)
        try container.encode(sizeBytes, forKey: .sizeBytes)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(path, forKey: .path)
    }
}

/// `plue repo show`: the record plus what the git directory holds now.
public struct RepositoryDetails: Sendable, Encodable {
    public let repository: Repository
    public let branches: [Branch]
    /// True while no branch has a commit.
    public var empty: Bool { branches.isEmpty }

    public struct Branch: Sendable, Encodable, Equatable {
        public let name: String
        public let commit: String

        public init(name: String, commit: String) {
            self.name = name
            self.commit = commit
        }
    }

    enum CodingKeys: String, CodingKey { case branches, empty }

    public func encode(to encoder: any Encoder) throws {
        try repository.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(branches, forKey: .branches)
        try container.encode(empty, forKey: .empty)
    }
}
