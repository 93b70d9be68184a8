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

extension Repository {
    /// The record `row` holds, with its git directory in `home`.
    init(_ row: RepositoryRow, home: PlueHome) {
        self.init(id: row.id, owner: row.owner, name: row.name, description: row.description, isPrivate: row.isPrivate,
                  defaultBranch: row.defaultBranch, sizeBytes: row.sizeBytes, createdAt: row.createdAt,
                  path: home.repositoryPath(owner: row.owner, name: row.name))
    }
}

extension Repository: JSONRepresentable {
    public var json: JSON { .object(jsonMembers) }

    var jsonMembers: [(String, JSON)] {
        [("id", .int(id)), ("owner", .string(owner)), ("name", .string(name)), ("fullName", .string(fullName)),
         ("description", .string(description)), ("private", .bool(isPrivate)), ("defaultBranch", .string(defaultBranch)),
         ("sizeBytes", .int(sizeBytes)), ("createdAt", .time(createdAt)), ("path", .string(path))]
    }
}

/// `plue repo show`: the record plus what the git directory holds now.
public struct RepositoryDetails: Sendable, JSONRepresentable {
    public let repository: Repository
    public let branches: [Branch]

    public init(repository: Repository, branches: [Branch]) {
        self.repository = repository
        self.branches = branches
    }
    /// True while no branch has a commit.
    public var empty: Bool { branches.isEmpty }

    /// A branch and its tip, as the git layer lists it (no copy of a long listing).
    public typealias Branch = GitBranch

    public var json: JSON {
        var values: [String] = []
        values.reserveCapacity(branches.count * 2)
        for branch in branches {
            values.append(branch.name)
            values.append(branch.commit)
        }
        let branchList = JSON.rows(keys: ["name", "commit"], values: values)
        return .object(repository.jsonMembers + [("empty", .bool(empty)), ("branches", branchList)])
    }
}
