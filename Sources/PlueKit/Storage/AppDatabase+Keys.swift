import Foundation
import GRDB

/// What sshd's key lookup needs, from one read: the configured git account, and the key if known.
struct KeyLogin: Sendable, Equatable {
    let gitUser: String?
    let key: Key?

    struct Key: Sendable, Equatable {
        let id: Int64
        let userName: String?
        let repositoryID: Int64?
    }
}

extension AppDatabase {
    private static let keySelect = """
        SELECT ssh_key.*, user.name AS user_name, owner.name AS owner_name, repository.name AS repository_name
        FROM ssh_key
        LEFT JOIN user ON user.id = ssh_key.user_id
        LEFT JOIN repository ON repository.id = ssh_key.repository_id
        LEFT JOIN user AS owner ON owner.id = repository.owner_id
        """

    /// Adds a key for an account (`userID`) or a deploy key (`repositoryID`).
    func addKey(userID: Int64?, repositoryID: Int64?, writable: Bool, title: String, key: SSHPublicKey, at time: Date) throws -> Int64 {
        try write("cannot add the key") { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM ssh_key WHERE blob = ?", arguments: [key.base64]) == true {
                throw PlueError.alreadyExists("the key \(key.fingerprint) is registered already; a key belongs to one account or one deploy key in the whole forge")
            }
            try db.execute(
                sql: """
                    INSERT INTO ssh_key (user_id, repository_id, can_write, title, key_type, blob, fingerprint, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [userID, repositoryID, writable, title, key.type, key.base64, key.fingerprint, Self.seconds(time)])
            return db.lastInsertedRowID
        }
    }

    func userKeys(userID: Int64) throws -> [SSHKey] {
        try read("cannot list keys") { db in
            try Row.fetchAll(db, sql: Self.keySelect + " WHERE ssh_key.user_id = ? ORDER BY ssh_key.id", arguments: [userID])
                .map(Self.userKey)
        }
    }

    func userKey(id: Int64) throws -> SSHKey? {
        try read("cannot read the key") { db in
            try Row.fetchOne(db, sql: Self.keySelect + " WHERE ssh_key.id = ? AND ssh_key.user_id IS NOT NULL", arguments: [id])
                .map(Self.userKey)
        }
    }

    func deployKeys(repositoryID: Int64) throws -> [DeployKey] {
        try read("cannot list deploy keys") { db in
            try Row.fetchAll(db, sql: Self.keySelect + " WHERE ssh_key.repository_id = ? ORDER BY ssh_key.id", arguments: [repositoryID])
                .map(Self.deployKey)
        }
    }

    func deployKey(id: Int64) throws -> DeployKey? {
        try read("cannot read the deploy key") { db in
            try Row.fetchOne(db, sql: Self.keySelect + " WHERE ssh_key.id = ? AND ssh_key.repository_id IS NOT NULL", arguments: [id])
                .map(Self.deployKey)
        }
    }

    func deleteKey(id: Int64) throws {
        try write("cannot remove the key") { db in
            try db.execute(sql: "DELETE FROM ssh_key WHERE id = ?", arguments: [id])
        }
    }

    /// The one statement sshd's AuthorizedKeysCommand runs: the git account setting, and the key
    /// by its base64 through the key's unique index.
    func keyLogin(base64: String, gitUserSetting: String) throws -> KeyLogin {
        try reading("cannot look the key up") { connection in
            let login = try connection.row(
                """
                SELECT (SELECT value FROM setting WHERE name = ?), ssh_key.id, ssh_key.repository_id, user.name
                FROM (SELECT 1) LEFT JOIN ssh_key ON ssh_key.blob = ?
                LEFT JOIN user ON user.id = ssh_key.user_id
                """,
                [gitUserSetting, base64]
            ) { row in
                KeyLogin(
                    gitUser: row.optionalText(0),
                    key: row.optionalInt64(1).map { KeyLogin.Key(id: $0, userName: row.optionalText(3), repositoryID: row.optionalInt64(2)) })
            }
            return login ?? KeyLogin(gitUser: nil, key: nil)
        }
    }

    private static func userKey(_ row: Row) -> SSHKey {
        SSHKey(id: row["id"], user: row["user_name"], title: row["title"], type: row["key_type"],
               fingerprint: row["fingerprint"], publicKey: "\(row["key_type"] as String) \(row["blob"] as String)",
               createdAt: date(row["created_at"]))
    }

    private static func deployKey(_ row: Row) -> DeployKey {
        DeployKey(id: row["id"], repositoryID: row["repository_id"],
                  repository: "\(row["owner_name"] as String)/\(row["repository_name"] as String)",
                  title: row["title"], type: row["key_type"], fingerprint: row["fingerprint"],
                  publicKey: "\(row["key_type"] as String) \(row["blob"] as String)", writable: row["can_write"],
                  createdAt: date(row["created_at"]))
    }
}
