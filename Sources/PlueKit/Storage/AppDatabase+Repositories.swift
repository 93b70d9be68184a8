import Foundation
import GRDB

/// A repository row joined with its owner's name.
struct RepositoryRow: Sendable, Equatable {
    let id: Int64
    let ownerID: Int64
    let owner: String
    let name: String
    let description: String
    let isPrivate: Bool
    let defaultBranch: String
    let sizeBytes: Int64
    let createdAt: Date
}

struct NewRepository: Sendable {
    let ownerID: Int64
    /// The owner's name, for messages.
    let owner: String
    let name: String
    let description: String
    let isPrivate: Bool
    let defaultBranch: String
    let sizeBytes: Int64
    let createdAt: Date
}

extension AppDatabase {
    /// The columns `repositoryRow` reads, by position.
    private static let repositorySelect = """
        SELECT repository.id, repository.owner_id, user.name, repository.name, repository.description,
               repository.is_private, repository.default_branch, repository.size_bytes, repository.created_at
        FROM repository JOIN user ON user.id = repository.owner_id
        """

    /// Inserts the row, then runs `placeOnDisk` inside the same transaction: when it throws,
    /// the row is rolled back, so a repository is recorded only once its directory is in place.
    func createRepository(_ new: NewRepository, placeOnDisk: () throws -> Void) throws -> Int64 {
        try write("cannot record the repository \(new.owner)/\(new.name)") { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM repository WHERE owner_id = ? AND name = ?",
                                 arguments: [new.ownerID, new.name]) == true {
                throw PlueError.alreadyExists("the repository \(new.owner)/\(new.name) exists already (names ignore case); choose another name")
            }
            try db.execute(
                sql: """
                    INSERT INTO repository (owner_id, name, description, is_private, default_branch, size_bytes, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [new.ownerID, new.name, new.description, new.isPrivate, new.defaultBranch, new.sizeBytes, Self.seconds(new.createdAt)])
            let id = db.lastInsertedRowID
            try placeOnDisk()
            return id
        }
    }

    /// Deletes the row and its events, then runs `removeFromDisk` inside the same transaction.
    /// `.notFound` when the row is gone already: two deletes at once are one delete and one 404.
    func deleteRepository(id: Int64, removeFromDisk: () throws -> Void) throws {
        try write("cannot delete the repository") { db in
            try db.execute(sql: "DELETE FROM repository WHERE id = ?", arguments: [id])
            guard db.changesCount == 1 else {
                throw PlueError.notFound("the repository is gone: another command deleted it meanwhile")
            }
            try removeFromDisk()
        }
    }

    func repository(owner: String, name: String) throws -> RepositoryRow? {
        try reading("cannot read the repository \(owner)/\(name)") { connection in
            try connection.row(Self.repositorySelect + " WHERE user.name = ? AND repository.name = ?",
                               [owner, name], Self.repositoryRow)
        }
    }

    func repositories(owner: String?) throws -> [RepositoryRow] {
        try reading("cannot list repositories") { connection in
            if let owner {
                return try connection.rows(Self.repositorySelect + " WHERE user.name = ? ORDER BY repository.name",
                                           [owner], Self.repositoryRow)
            }
            return try connection.rows(Self.repositorySelect + " ORDER BY user.name, repository.name", [], Self.repositoryRow)
        }
    }

    /// Every repository whose name contains `text` (case ignored; `%`, `_` and `\` match
    /// themselves), by owner and name. Who may see which is for the caller to decide.
    func repositories(nameContaining text: String) throws -> [RepositoryRow] {
        try reading("cannot search repositories") { connection in
            try connection.rows(Self.repositorySelect + " WHERE repository.name LIKE ? ESCAPE '\\' ORDER BY user.name, repository.name",
                                [Self.likePattern(containing: text)], Self.repositoryRow)
        }
    }

    private static func repositoryRow(_ row: ReadConnection.Row) -> RepositoryRow {
        RepositoryRow(
            id: row.int64(0), ownerID: row.int64(1), owner: row.text(2), name: row.text(3),
            description: row.text(4), isPrivate: row.bool(5), defaultBranch: row.text(6),
            sizeBytes: row.int64(7), createdAt: Self.date(row.int64(8)))
    }
}
