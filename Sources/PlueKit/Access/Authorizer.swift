/// The one place that decides what a principal may do. Every service method that reads or changes
/// something asks here, with the principal its door (the CLI, SSH, HTTP) says is acting; no door
/// and no command decides access itself.
///
/// The rules, as Gitea and GitHub users expect them:
/// - The operator (the CLI, run by the account that owns the home) acts as admin on everything.
/// - Anyone without a token (`.anonymous`) reads public repositories and nothing else: no session,
///   no account, no change.
/// - On a repository, site admins and its owner have admin; a collaborator has what they were
///   given; any account reads a public repository; a deploy key reads its own repository (writes
///   too if added with --write) and nothing else.
/// - A repository the principal may not read is "not found", with the very message a missing one
///   gets; one it may read without the permission needed is "permission denied" (exit 77).
/// - Reading a repository (show, list, log, tree, cat, events, the landing queue, a land check)
///   needs read. Pushing, starting a session, queueing a land and running the queue need write.
///   Deleting it, its collaborators and its deploy keys need admin.
/// - A repository is created or imported under one's own name; site admins and the operator create
///   under anyone's. Only the operator imports from a local path or over ssh (both reach the
///   server's own files and keys).
/// - Accounts are created and listed by the operator and site admins; an account shows itself and
///   manages its own SSH keys, site admins and the operator anyone's. Any account may look others
///   up by name and search them by name, seeing their emails and admin flags only as an admin;
///   anyone without an account and deploy keys may not.
/// - A session is seen and used only by its owner, the repository's admins and the operator; for
///   anyone else it is "not found", as a missing one. The owner needs read on the repository to see
///   it and write to change it. A deploy key owns no session. `session gc` needs admin on the
///   repository it names, or the operator or a site admin for the whole home.
/// - A land entry is seen by whoever reads its repository, and cancelled by whoever queued it or
///   an admin of the repository.
struct Authorizer: Sendable {
    let home: PlueHome
    let database: AppDatabase

    /// What `decide` found.
    enum Decision {
        /// No such repository.
        case missing
        /// It exists, and the principal may not read it.
        case hidden(Repository)
        /// The principal may read it, but has less than was needed.
        case denied(Repository, has: Permission)
        case allowed(Repository, Permission)
    }

    /// The highest permission `principal` has on `repository`, or nil for none.
    func permission(of principal: Principal, on repository: Repository) throws -> Permission? {
        try Self.rule(principal, repositoryID: repository.id, owner: repository.owner, isPrivate: repository.isPrivate) { user in
            try database.collaboratorPermission(repositoryID: repository.id, userID: user.id)
        }
    }

    /// The repository `fullName`, when `principal` has `needed` on it. Otherwise the error its door
    /// shows: not found (the same as for a missing repository) or permission denied.
    func repository(_ fullName: String, as principal: Principal, needs needed: Permission) throws -> Repository {
        let (owner, name) = try Validation.fullName(fullName)
        switch try decide(owner: owner, name: name, as: principal, needs: needed) {
        case .missing, .hidden: throw Self.noRepository(owner: owner, name: name, for: principal)
        case .denied(let repository, let permission): throw Self.denied(principal, has: permission, needs: needed, on: repository.fullName)
        case .allowed(let repository, _): return repository
        }
    }

    /// The decision itself, for a door that logs which one it was (ssh-serve). It must still answer
    /// `.missing` and `.hidden` alike, with `noRepository`.
    func decide(owner: String, name: String, as principal: Principal, needs needed: Permission) throws -> Decision {
        guard let row = try database.repository(owner: owner, name: name) else { return .missing }
        let repository = Repository(row, home: home)
        guard let permission = try permission(of: principal, on: repository) else { return .hidden(repository) }
        return permission >= needed ? .allowed(repository, permission) : .denied(repository, has: permission)
    }

    /// The repositories of `repositories` that `principal` may read, with one query for an account's grants.
    func readable(_ repositories: [Repository], by principal: Principal) throws -> [Repository] {
        var grants: [Int64: Permission] = [:]
        if case .user(let user) = principal, !user.admin { grants = try database.collaborations(userID: user.id) }
        return repositories.filter { repository in
            Self.rule(principal, repositoryID: repository.id, owner: repository.owner, isPrivate: repository.isPrivate) { _ in
                grants[repository.id]
            } != nil
        }
    }

    /// The repositories of `repositories` that `principal`'s account owns or was made a
    /// collaborator on. Only an account has such repositories.
    func ownedOrShared(_ repositories: [Repository], with principal: Principal) throws -> [Repository] {
        guard case .user(let user) = principal else {
            throw PlueError(.permissionDenied, "only an account has repositories of its own; send an account's token")
        }
        let grants = try database.collaborations(userID: user.id)
        return repositories.filter { $0.owner.lowercased() == user.name.lowercased() || grants[$0.id] != nil }
    }

    /// The rules for repositories. `granted` is what the collaborator table gives an account, asked
    /// only when neither ownership nor the site admin flag decides.
    static func rule(_ principal: Principal, repositoryID: Int64, owner: String, isPrivate: Bool,
                     granted: (User) throws -> Permission?) rethrows -> Permission? {
        switch principal {
        case .operator:
            return .admin
        case .anonymous:
            return isPrivate ? nil : .read
        case .deployKey(let key):
            guard key.repositoryID == repositoryID else { return nil }
            return key.writable ? .write : .read
        case .user(let user):
            if user.admin || user.name.lowercased() == owner.lowercased() { return .admin }
            let visible: Permission? = isPrivate ? nil : .read
            return [try granted(user), visible].compactMap { $0 }.max()
        }
    }

    // MARK: - Accounts

    /// Creating and listing accounts: the operator and site admins only.
    func requireAccountAdmin(_ principal: Principal, to action: String) throws {
        guard Self.isAccountAdmin(principal) else {
            throw PlueError(.permissionDenied, "only the operator or a site admin may \(action)")
        }
    }

    /// Acting for the account `name` (its keys, a repository under its name): the account itself,
    /// site admins and the operator. `name` is checked for shape first, so it is safe to print.
    func requireAccount(_ name: String, as principal: Principal, to action: String) throws {
        guard Self.mayActFor(name, principal) else {
            throw PlueError(.permissionDenied, "only \(name), a site admin or the operator may \(action)")
        }
    }

    /// Looking accounts up by name and searching them: any account, and the operator.
    func requireAccountLookup(_ principal: Principal) throws {
        switch principal {
        case .operator, .user: return
        case .anonymous: throw PlueError(.permissionDenied, "looking up accounts needs an account; send a token")
        case .deployKey: throw PlueError(.permissionDenied, "a deploy key cannot look up accounts; use an account's key")
        }
    }

    static func mayActFor(_ name: String, _ principal: Principal) -> Bool {
        if case .user(let user) = principal, user.name.lowercased() == name.lowercased() { return true }
        return isAccountAdmin(principal)
    }

    static func isAccountAdmin(_ principal: Principal) -> Bool {
        principal == .operator || principal.isSiteAdmin
    }

    // MARK: - Messages

    /// What a missing repository gets, and so also one the principal may not see. The operator, at
    /// the command line, is told how to list them; anyone else only that it is not there for them.
    static func noRepository(owner: String, name: String, for principal: Principal) -> PlueError {
        if principal == .operator {
            return .notFound("no repository \(owner)/\(name)", hint: "list repositories with `plue repo list`")
        }
        return .notFound("repository \(owner)/\(name) not found, or you have no access to it")
    }

    /// What a principal that may read `fullName` gets when it lacks `needed`.
    static func denied(_ principal: Principal, has permission: Permission, needs needed: Permission, on fullName: String) -> PlueError {
        let who: String, remedy: String
        switch principal {
        case .deployKey(let key):
            who = "deploy key \(key.id)"
            remedy = needed == .write ? "remove the key and add it again with --write to let it push" : "a deploy key never has admin"
        case .user(let user):
            who = user.name
            remedy = "an admin of \(fullName) can give it with "
                + "`plue repo collaborator add \(fullName) \(user.name) --permission \(needed.rawValue)`"
        case .anonymous:
            who = "anyone without a token"
            remedy = "send a token of an account that has \(needed.rawValue) access"
        case .operator:
            who = "the operator"
            remedy = "the operator has admin everywhere"
        }
        return PlueError(.permissionDenied, "you have \(permission.rawValue) access to \(fullName) as \(who) "
                         + "and no \(needed.rawValue) access; this needs \(needed.rawValue)", hint: remedy)
    }
}
