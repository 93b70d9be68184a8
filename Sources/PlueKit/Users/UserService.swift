import Foundation

/// Accounts: create, list, show. The operator and site admins manage them; an account shows itself.
/// (Names are public through the repositories under them; emails are not, so listing stays with
/// admins.)
public struct UserService: Sendable {
    let database: AppDatabase
    let authorizer: Authorizer

    public func create(name: String, email: String, admin: Bool, as principal: Principal) throws -> User {
        let name = try Validation.userName(name)
        let email = try Validation.email(email)
        try authorizer.requireAccountAdmin(principal, to: "create accounts")
        return try database.createUser(name: name, email: email, admin: admin, at: Timestamp.now())
    }

    public func list(as principal: Principal) throws -> [User] {
        try authorizer.requireAccountAdmin(principal, to: "list accounts")
        return try database.users()
    }

    public func show(_ name: String, as principal: Principal) throws -> User {
        let name = try Validation.userNameForLookup(name)
        try authorizer.requireAccount(name, as: principal, to: "see the account \(name)")
        guard let user = try database.user(named: name) else {
            throw PlueError.notFound("no user named \(name)", hint: "list users with `plue user list`")
        }
        return user
    }
}
