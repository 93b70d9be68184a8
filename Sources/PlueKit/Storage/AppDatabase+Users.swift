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

    static func user(_ row: Row) -> User {
        User(id: row["id"], name: row["name"], email: row["email"], admin: row["is_admin"], createdAt: Self.date(row["created_at"]))
    }
}
