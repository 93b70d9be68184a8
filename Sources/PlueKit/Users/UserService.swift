import Foundation

/// Accounts: create, list, show.
public struct UserService: Sendable {
    let database: AppDatabase

    public func create(name: String, email: String, admin: Bool) throws -> User {
        let name = try Validation.userName(name)
        let email = try Validation.email(email)
        return try database.createUser(name: name, email: email, admin: admin, at: Timestamp.now())
    }

    public func list() throws -> [User] {
        try database.users()
    }

    public func show(_ name: String) throws -> User {
        let name = try Validation.userNameForLookup(name)
        guard let user = try database.user(named: name) else {
            throw PlueError.notFound("no user named \(name); list users with `plue user list`")
        }
        return user
    }
}
