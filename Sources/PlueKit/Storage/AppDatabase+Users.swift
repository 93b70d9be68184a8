import Foundation
import GRDB

extension AppDatabase {
    func createUser(name: String, email: String, admin: Bool, at time: Date) throws -> User {
        try write("cannot create the user \(name)") { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM user WHERE name = ?", arguments: [name]) == true {
                throw PlueError.alreadyExists("a user named \(name) exists already (names ignore case); choose another name")
            }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM user WHERE email = ?", arguments: [email]) == true {
                throw PlueError.alreadyExists("the email \(email) belongs to another user already")
            }
            try db.execute(
                sql: "INSERT INTO user (name, email, is_admin, created_at) VALUES (?, ?, ?, ?)",
                arguments: [name, email, admin, Self.seconds(time)])
            return User(id: db.lastInsertedRowID, name: name, email: email, admin: admin, createdAt: time)
        }
    }

    func user(named name: String) throws -> User? {
        try read("cannot read the user \(name)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM user WHERE name = ?", arguments: [name]).map(Self.user)
        }
    }

    func users() throws -> [User] {
        try read("cannot list users") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM user ORDER BY name").map(Self.user)
        }
    }

    /// One page of the accounts whose name contains `text`, by name, and how many there are in
    /// all, read from one snapshot. Case is ignored, and `%`, `_` and `\` in `text` match
    /// themselves: the pattern is escaped and bound, never written into the SQL.
    func users(nameContaining text: String, limit: Int, offset: Int) throws -> (users: [User], total: Int) {
        try read("cannot search users") { db in
            let pattern = Self.likePattern(containing: text)
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM user WHERE name LIKE ? ESCAPE '\\'", arguments: [pattern]) ?? 0
            let users = try Row.fetchAll(
                db, sql: "SELECT * FROM user WHERE name LIKE ? ESCAPE '\\' ORDER BY name LIMIT ? OFFSET ?",
                arguments: [pattern, limit, offset]
            ).map(Self.user)
            return (users, total)
        }
    }

    /// A LIKE pattern (with `ESCAPE '\'`) that matches any text containing `text` as it is.
    static func likePattern(containing text: String) -> String {
        var pattern = "%"
        for character in text {
            if character == "%" || character == "_" || character == "\\" { pattern.append("\\") }
            pattern.append(character)
        }
        return pattern + "%"
    }

    static func user(_ row: Row) -> User {
        User(id: row["id"], name: row["name"], email: row["email"], admin: row["is_admin"], createdAt: Self.date(row["created_at"]))
    }
}
