import Foundation
import GRDB

struct NewToken: Sendable {
    let userID: Int64
    /// The user's name, for messages.
    let user: String
    let name: String
    let secretSHA256: String
    let scopes: String
    /// Nil: not limited to repositories.
    let repositoryIDs: [Int64]?
    let sessionID: String?
    let createdAt: Date
    let expiresAt: Date?
}

/// A token row as `token list` shows it, without its hash.
struct TokenRow: Sendable, Equatable {
    let id: Int64
    let user: String
    let name: String
    let scopes: String
    /// Nil: not limited; else the full names of the repositories that still exist.
    let repositories: [String]?
    let sessionID: String?
    let createdAt: Date
    let expiresAt: Date?
    let revokedAt: Date?
    let lastUsedAt: Date?
}

/// What authenticating a request needs, from one read by the hash of its token.
struct TokenLogin: Sendable, Equatable {
    let id: Int64
    let name: String
    let secretSHA256: String
    let scopes: String
    let repositoryIDs: [Int64]?
    let sessionID: String?
    let expiresAt: Date?
    let revokedAt: Date?
    let lastUsedAt: Date?
    let user: User
}

extension AppDatabase {
    private static let tokenSelect = """
        SELECT api_token.id, user.name, api_token.name, api_token.scopes, api_token.repository_limited,
               (SELECT group_concat(owner.name || '/' || repository.name, char(10))
                FROM api_token_repository
                JOIN repository ON repository.id = api_token_repository.repository_id
                JOIN user AS owner ON owner.id = repository.owner_id
                WHERE api_token_repository.token_id = api_token.id),
               api_token.session_id, api_token.created_at, api_token.expires_at, api_token.revoked_at, api_token.last_used_at
        FROM api_token JOIN user ON user.id = api_token.user_id
        """

    /// Records a token and its repository limits in one transaction; returns its id.
    func createToken(_ new: NewToken) throws -> Int64 {
        try write("cannot create the token \(Validation.quoted(new.name))") { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM api_token WHERE user_id = ? AND name = ?",
                                 arguments: [new.userID, new.name]) == true {
                throw PlueError.alreadyExists("\(new.user) has a token named \(Validation.quoted(new.name)) already (names ignore case); "
                                              + "choose another name or revoke that one")
            }
            try db.execute(
                sql: """
                    INSERT INTO api_token (user_id, name, secret_sha256, scopes, repository_limited, session_id, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [new.userID, new.name, new.secretSHA256, new.scopes, new.repositoryIDs != nil, new.sessionID,
                            Self.seconds(new.createdAt), new.expiresAt.map(Self.seconds)])
            let id = db.lastInsertedRowID
            for repositoryID in Set(new.repositoryIDs ?? []) {
                try db.execute(sql: "INSERT INTO api_token_repository (token_id, repository_id) VALUES (?, ?)",
                               arguments: [id, repositoryID])
            }
            return id
        }
    }

    func tokens(userID: Int64) throws -> [TokenRow] {
        try read("cannot list tokens") { db in
            try Row.fetchAll(db, sql: Self.tokenSelect + " WHERE api_token.user_id = ? ORDER BY api_token.id", arguments: [userID])
                .map(Self.tokenRow)
        }
    }

    func token(id: Int64) throws -> TokenRow? {
        try read("cannot read the token") { db in
            try Row.fetchOne(db, sql: Self.tokenSelect + " WHERE api_token.id = ?", arguments: [id]).map(Self.tokenRow)
        }
    }

    /// Marks the token revoked; false when there is no such token or it was revoked already.
    func revokeToken(id: Int64, at time: Date) throws -> Bool {
        try write("cannot revoke the token") { db in
            try db.execute(sql: "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                           arguments: [Self.seconds(time), id])
            return db.changesCount == 1
        }
    }

    func markTokenUsed(id: Int64, at time: Date) throws {
        try write("cannot record the token's use") { db in
            try db.execute(sql: "UPDATE api_token SET last_used_at = ? WHERE id = ?", arguments: [Self.seconds(time), id])
        }
    }

    /// The token whose hash is `secretSHA256`, through its unique index, with its user and limits:
    /// one statement on the plain read connection, for every API request.
    func tokenLogin(secretSHA256: String) throws -> TokenLogin? {
        try reading("cannot look the token up") { connection in
            try connection.row(
                """
                SELECT api_token.id, api_token.name, api_token.secret_sha256, api_token.scopes, api_token.repository_limited,
                       (SELECT group_concat(repository_id) FROM api_token_repository WHERE token_id = api_token.id),
                       api_token.session_id, api_token.expires_at, api_token.revoked_at, api_token.last_used_at,
                       user.id, user.name, user.email, user.is_admin, user.created_at
                FROM api_token JOIN user ON user.id = api_token.user_id
                WHERE api_token.secret_sha256 = ?
                """,
                [secretSHA256]
            ) { row in
                TokenLogin(
                    id: row.int64(0), name: row.text(1), secretSHA256: row.text(2), scopes: row.text(3),
                    repositoryIDs: row.bool(4) ? (row.optionalText(5) ?? "").split(separator: ",").compactMap { Int64($0) } : nil,
                    sessionID: row.optionalText(6), expiresAt: row.optionalInt64(7).map(Self.date),
                    revokedAt: row.optionalInt64(8).map(Self.date), lastUsedAt: row.optionalInt64(9).map(Self.date),
                    user: User(id: row.int64(10), name: row.text(11), email: row.text(12), admin: row.bool(13),
                               createdAt: Self.date(row.int64(14))))
            }
        }
    }

    private static func tokenRow(_ row: Row) -> TokenRow {
        let limited: Bool = row[4]
        let names: String? = row[5]
        return TokenRow(
            id: row[0], user: row[1], name: row[2], scopes: row[3],
            repositories: limited ? (names ?? "").split(separator: "\n").map(String.init).sorted() : nil,
            sessionID: row[6], createdAt: date(row[7]), expiresAt: (row[8] as Int64?).map(date),
            revokedAt: (row[9] as Int64?).map(date), lastUsedAt: (row[10] as Int64?).map(date))
    }
}
