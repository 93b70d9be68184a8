/// Who may do what with a repository, and the collaborators that widen it. The rules themselves
/// are `Authorizer`'s.
public struct AccessService: Sendable {
    let database: AppDatabase
    let repositories: RepositoryService
    let authorizer: Authorizer

    /// The highest permission `principal` has on `repository`, or nil for none.
    /// The operator, site admins and owners: admin. Collaborators: what they were given. Any
    /// account: read on public repositories. A deploy key: read, or write if writable, on its own
    /// repository only.
    public func permission(of principal: Principal, on repository: Repository) throws -> Permission? {
        try authorizer.permission(of: principal, on: repository)
    }

    /// Needs admin on the repository.
    public func addCollaborator(repository fullName: String, user name: String, permission: Permission,
                                as principal: Principal) throws -> Collaborator {
        let repository = try authorizer.repository(fullName, as: principal, needs: .admin)
        let user = try repositories.owner(named: Validation.userNameForLookup(name))
        if user.name.lowercased() == repository.owner.lowercased() {
            throw PlueError.invalidInput("\(user.name) owns \(repository.fullName) and has admin permission already")
        }
        try database.setCollaborator(repositoryID: repository.id, userID: user.id, permission: permission, at: Timestamp.now())
        return try database.collaborators(repositoryID: repository.id, fullName: repository.fullName).first { $0.user == user.name }!
    }

    /// Needs admin on the repository.
    public func collaborators(repository fullName: String, as principal: Principal) throws -> [Collaborator] {
        let repository = try authorizer.repository(fullName, as: principal, needs: .admin)
        return try database.collaborators(repositoryID: repository.id, fullName: repository.fullName)
    }

    /// Needs admin on the repository.
    public func removeCollaborator(repository fullName: String, user name: String, as principal: Principal) throws {
        let repository = try authorizer.repository(fullName, as: principal, needs: .admin)
        let user = try repositories.owner(named: Validation.userNameForLookup(name))
        guard try database.removeCollaborator(repositoryID: repository.id, userID: user.id) else {
            throw PlueError.notFound("\(user.name) is not a collaborator on \(repository.fullName)")
        }
    }
}
