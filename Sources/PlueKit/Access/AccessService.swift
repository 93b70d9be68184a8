/// Who may do what with a repository, and the collaborators that widen it.
public struct AccessService: Sendable {
    let database: AppDatabase
    let repositories: RepositoryService

    /// The highest permission `principal` has on `repository`, or nil for none.
    /// Site admins and owners: admin. Collaborators: what they were given. Any account: read on
    /// public repositories. A deploy key: read, or write if writable, on its own repository only.
    public func permission(of principal: Principal, on repository: Repository) throws -> Permission? {
        switch principal {
        case .deployKey(let key):
            guard key.repositoryID == repository.id else { return nil }
            return key.writable ? .write : .read
        case .user(let user):
            if user.admin || user.name.lowercased() == repository.owner.lowercased() { return .admin }
            let granted = try database.collaboratorPermission(repositoryID: repository.id, userID: user.id)
            let visible: Permission? = repository.isPrivate ? nil : .read
            return [granted, visible].compactMap { $0 }.max()
        }
    }

    public func addCollaborator(repository fullName: String, user name: String, permission: Permission) throws -> Collaborator {
        let repository = try repositories.find(fullName)
        let user = try repositories.owner(named: Validation.userNameForLookup(name))
        if user.name.lowercased() == repository.owner.lowercased() {
            throw PlueError.invalidInput("\(user.name) owns \(repository.fullName) and has admin permission already")
        }
        try database.setCollaborator(repositoryID: repository.id, userID: user.id, permission: permission, at: Timestamp.now())
        return try collaborators(repository: repository.fullName).first { $0.user == user.name }!
    }

    public func collaborators(repository fullName: String) throws -> [Collaborator] {
        let repository = try repositories.find(fullName)
        return try database.collaborators(repositoryID: repository.id, fullName: repository.fullName)
    }

    public func removeCollaborator(repository fullName: String, user name: String) throws {
        let repository = try repositories.find(fullName)
        let user = try repositories.owner(named: Validation.userNameForLookup(name))
        guard try database.removeCollaborator(repositoryID: repository.id, userID: user.id) else {
            throw PlueError.notFound("\(user.name) is not a collaborator on \(repository.fullName)")
        }
    }
}
