import Foundation

/// SSH keys: an account's keys, and deploy keys that reach one repository each.
public struct KeyService: Sendable {
    let database: AppDatabase
    let repositories: RepositoryService

    public func addUserKey(user: String, title: String, publicKey text: String) throws -> SSHKey {
        let title = try Self.validatedTitle(title)
        let key = try SSHPublicKey.parse(text)
        let owner = try repositories.owner(named: Validation.userNameForLookup(user))
        let id = try database.addKey(userID: owner.id, repositoryID: nil, writable: false, title: title, key: key, at: Timestamp.now())
        return try database.userKey(id: id)!
    }

    public func userKeys(user: String) throws -> [SSHKey] {
        let owner = try repositories.owner(named: Validation.userNameForLookup(user))
        return try database.userKeys(userID: owner.id)
    }

    public func removeUserKey(id: Int64) throws -> SSHKey {
        guard let key = try database.userKey(id: id) else {
            throw PlueError.notFound("no SSH key with id \(id); list a user's keys with `plue ssh-key list USER`")
        }
        try database.deleteKey(id: id)
        return key
    }

    public func addDeployKey(repository fullName: String, title: String, publicKey text: String, writable: Bool) throws -> DeployKey {
        let title = try Self.validatedTitle(title)
        let key = try SSHPublicKey.parse(text)
        let repository = try repositories.find(fullName)
        let id = try database.addKey(userID: nil, repositoryID: repository.id, writable: writable, title: title, key: key, at: Timestamp.now())
        return try database.deployKey(id: id)!
    }

    public func deployKeys(repository fullName: String) throws -> [DeployKey] {
        try database.deployKeys(repositoryID: repositories.find(fullName).id)
    }

    public func removeDeployKey(repository fullName: String, id: Int64) throws -> DeployKey {
        let repository = try repositories.find(fullName)
        guard let key = try database.deployKey(id: id), key.repositoryID == repository.id else {
            throw PlueError.notFound("no deploy key with id \(id) on \(repository.fullName); list them with `plue deploy-key list \(repository.fullName)`")
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
