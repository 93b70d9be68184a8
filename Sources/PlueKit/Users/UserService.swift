import Foundation

/// Accounts: create, list, show. The operator and site admins manage them; an account shows itself.
/// (Names are public through the repositories under them; emails are not, so listing stays with
/// admins.) Any account looks others up by name and searches them, without their emails.
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

    /// The account `name` as `principal` may see it. Any account may look another up; anyone
    /// without an account may not.
    public func profile(_ name: String, as principal: Principal) throws -> UserProfile {
        let name = try Validation.userNameForLookup(name)
        try authorizer.requireAccountLookup(principal)
        guard let user = try database.user(named: name) else {
            throw PlueError.notFound("no user named \(name)")
        }
        return UserProfile(user, for: principal)
    }

    /// One page of the accounts whose name contains `text` (case ignored; `%` and `_` are
    /// characters like any other), by name. Empty text lists every account.
    public func search(_ text: String, page: Page, as principal: Principal) throws -> Paged<UserProfile> {
        let text = try Validation.searchText(text)
        try authorizer.requireAccountLookup(principal)
        let found = try database.users(nameContaining: text, limit: page.size, offset: page.offset)
        return Paged(items: found.users.map { UserProfile($0, for: principal) }, total: found.total, page: page)
    }
}
