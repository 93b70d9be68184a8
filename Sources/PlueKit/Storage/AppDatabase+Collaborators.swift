import Foundation
import GRDB

extension AppDatabase {
    /// Grants `permission`, replacing what the user had.
    func setCollaborator(repositoryID: Int64, userID: Int64, permission: Permission, at time: Date) throws {
        try write("cannot add the collaborator") { db in
            try db.execute(
                sql: """
                    INSERT INTO collaborator (repository_id, user_id, permission, created_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (repository_id, user_id) DO UPDATE SET permission = excluded.permission
                    """,
                arguments: [repositoryID, userID, permission.rawValue, Self.seconds(time)])
        }
    }

    /// Returns whether there was such a collaborator.
    func removeCollaborator(repositoryID: Int64, userID: Int64) throws -> Bool {
        try write("cannot remove the collaborator") { db in
            try db.execute(sql: "DELETE FROM collaborator WHERE repository_id = ? AND user_id = ?", arguments: [repositoryID, userID])
            return db.changesCount > 0
        }
    }

    func collaborators(repositoryID: Int64, fullName: String) throws -> [Collaborator] {
        try read("cannot list collaborators") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT collaborator.*, user.name AS user_name FROM collaborator
                    JOIN user ON user.id = collaborator.user_id
                    WHERE repository_id = ? ORDER BY user.name
                    """,
                arguments: [repositoryID]
            ).map { row in
                Collaborator(repository: fullName, userID: row["user_id"], user: row["user_name"],
                             permission: Permission(rawValue: row["permission"]) ?? .read, createdAt: Self.date(row["created_at"]))
            }
        }
    }

    func collaboratorPermission(repositoryID: Int64, userID: Int64) throws -> Permission? {
        try read("cannot read the collaborator") { db in
            try String.fetchOne(db, sql: "SELECT permission FROM collaborator WHERE repository_id = ? AND user_id = ?",
                                arguments: [repositoryID, userID]).flatMap(Permission.init(rawValue:))
        }
    }

    /// Every repository the account collaborates on, with what it was given.
    func collaborations(userID: Int64) throws -> [Int64: Permission] {
        try read("cannot read the collaborators") { db in
            var grants: [Int64: Permission] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT repository_id, permission FROM collaborator WHERE user_id = ?", arguments: [userID]) {
                grants[row["repository_id"]] = Permission(rawValue: row["permission"])
            }
            return grants
        }
    }

    func setting(_ name: String) throws -> String? {
        try read("cannot read the setting \(name)") { db in
            try String.fetchOne(db, sql: "SELECT value FROM setting WHERE name = ?", arguments: [name])
        }
    }

    func setSetting(_ name: String, _ value: String) throws {
        try write("cannot save the setting \(name)") { db in
            try db.execute(sql: "INSERT INTO setting (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                           arguments: [name, value])
        }
    }
}
