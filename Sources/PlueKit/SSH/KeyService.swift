import Foundation

/// SSH keys: an account's keys, and deploy keys that reach one repository each.
public struct KeyService: Sendable {
    let database: AppDatabase
    let repositories: RepositoryService
    let authorizer: Authorizer

    /// An account adds its own keys; site admins and the operator anyone's.
    public func addUserKey(user: String, title: String, publicKey text: String, as principal: Principal) throws -> SSHKey {
        let title = try Self.validatedTitle(title)
        let key = try SSHPublicKey.parse(text)
        let name = try Validation.userNameForLookup(user)
        try authorizer.requireAccount(name, as: principal, to: "add SSH keys to \(name)")
        let owner = try repositories.owner(named: name)
        let id = try database.addKey(userID: owner.id, repositoryID: nil, writable: false, title: title, key: key, at: Timestamp.now())
        return try database.userKey(id: id)!
    }

    /// An account lists its own keys; site admins and the operator anyone's.
    public func userKeys(user: String, as principal: Principal) throws -> [SSHKey] {
        let name = try Validation.userNameForLookup(user)
        try authorizer.requireAccount(name, as: principal, to: "list the SSH keys of \(name)")
        return try database.userKeys(userID: repositories.owner(named: name).id)
    }

    /// An account removes its own keys; site admins and the operator anyone's. Another account's
    /// key is "not found", as a missing one, and so, when `user` is given, is a key of any account
    /// but that one.
    public func removeUserKey(id: Int64, of user: String? = nil, as principal: Principal) throws -> SSHKey {
        let user = try user.map(Validation.userNameForLookup)
        guard let key = try database.userKey(id: id), Authorizer.mayActFor(key.user, principal),
              user.map({ $0.lowercased() == key.user.lowercased() }) ?? true else {
            throw PlueError.notFound("no SSH key with id \(id)", hint: "list a user's keys with `plue ssh-key list USER`")
        }
        try database.deleteKey(id: id)
        return key
    }

    /// Needs admin on the repository.
    public func addDeployKey(repository fullName: String, title: String, publicKey text: String, writable: Bool,
                             as principal: Principal) throws -> DeployKey {
        let title = try Self.validatedTitle(title)
        let key = try SSHPublicKey.parse(text)
        let repository = try authorizer.repository(fullName, as: principal, needs: .admin)
        let id = try database.addKey(userID: nil, repositoryID: repository.id, writable: writable, title: title, key: key, at: Timestamp.now())
        return try database.deployKey(id: id)!
    }

    /// Needs admin on the repository.
    public func deployKeys(repository fullName: String, as principal: Principal) throws -> [DeployKey] {
        try database.deployKeys(repositoryID: authorizer.repository(fullName, as: principal, needs: .admin).id)
    }

    /// Needs admin on the repository.
    public func removeDeployKey(repository fullName: String, id: Int64, as principal: Principal) throws -> DeployKey {
        let repository = try authorizer.repository(fullName, as: principal, needs: .admin)
        guard let key = try database.deployKey(id: id), key.repositoryID == repository.id else {
            throw PlueError.notFound("no deploy key with id \(id) on \(repository.fullName)", hint: "list them with `plue deploy-key list \(repository.fullName)`")
        }
        try database.deleteKey(id: id)
        return key
    }

    static func validatedTitle(_ title: String) throws -> String {
        guard !title.isEmpty, title.count <= 100,
              !Validation.hasControlCharacters(title) else {
            throw PlueError.invalidInput("the title must be one line of 1 to 100 characters")
        }
        return title
    }
}
