/// Sessions, under the rules `Authorizer` lists: seen and used only by their owner, the
/// repository's admins and the operator.
extension Authorizer {
    /// What `principal` may do with the session `row`.
    func permission(of principal: Principal, onSession row: SessionRow) throws -> Permission? {
        let onRepository = try Self.rule(principal, repositoryID: row.repositoryID, owner: row.repositoryOwner,
                                         isPrivate: row.repositoryIsPrivate) { user in
            try database.collaboratorPermission(repositoryID: row.repositoryID, userID: user.id)
        }
        return Self.sessionRule(principal, row, onRepository: onRepository)
    }

    /// The session `id` when `principal` has `needed` on it: `.read` to look at it, `.write` to
    /// change it. A session it may not see is "not found", with the very message a missing one gets.
    func session(_ id: String, as principal: Principal, needs needed: Permission) throws -> SessionRow {
        guard SessionID.isValid(id) else { throw Self.invalidSessionID(id) }
        guard let row = try database.session(id: id), let permission = try permission(of: principal, onSession: row) else {
            throw Self.noSession(id)
        }
        guard permission >= needed else {
            throw Self.denied(principal, has: permission, needs: needed, on: "\(row.repositoryOwner)/\(row.repositoryName)")
        }
        return row
    }

    /// The rows of `rows` that `principal` may see, with one query for an account's grants.
    func visible(_ rows: [SessionRow], to principal: Principal) throws -> [SessionRow] {
        guard principal != .operator else { return rows }
        var grants: [Int64: Permission] = [:]
        if case .user(let user) = principal, !user.admin { grants = try database.collaborations(userID: user.id) }
        return rows.filter { row in
            let onRepository = Self.rule(principal, repositoryID: row.repositoryID, owner: row.repositoryOwner,
                                         isPrivate: row.repositoryIsPrivate) { _ in grants[row.repositoryID] }
            return Self.sessionRule(principal, row, onRepository: onRepository) != nil
        }
    }

    /// The rule for sessions, from what the principal has on the session's repository: admin for
    /// the operator and the repository's admins; for the session's owner, what they have on the
    /// repository now, up to write; nothing for anyone else.
    static func sessionRule(_ principal: Principal, _ row: SessionRow, onRepository: Permission?) -> Permission? {
        if onRepository == .admin { return .admin }
        guard case .user(let user) = principal, row.ownerID == user.id else { return nil }
        return onRepository.map { min($0, .write) }
    }

    /// Who owns a session the principal starts or forks: its account, or nobody for the operator.
    /// A deploy key stands for one repository, not for a person, so it owns none.
    static func sessionOwner(_ principal: Principal) throws -> Int64? {
        switch principal {
        case .operator: return nil
        case .user(let user): return user.id
        case .deployKey: throw PlueError(.permissionDenied, "a deploy key cannot start sessions; use an account's key")
        case .anonymous: throw PlueError(.permissionDenied, "starting a session needs an account; sign in with a token")
        }
    }

    static func invalidSessionID(_ id: String) -> PlueError {
        .invalidInput("invalid session id \(Validation.quoted(id)): expected 16 hex digits", hint: "`plue session list` shows them")
    }

    static func noSession(_ id: String) -> PlueError {
        .notFound("no session \(id)", hint: "list sessions with `plue session list --all`")
    }
}
