/// Land entries and imports, under the rules `Authorizer` lists.
extension Authorizer {
    /// The land entry `id`, when `principal` may read its repository; "not found" as a missing
    /// entry otherwise. `cancelling` also needs the principal to have queued it, or admin.
    func landEntry(_ id: Int64, as principal: Principal, cancelling: Bool = false) throws -> LandEntry {
        guard id > 0, let entry = try database.landEntry(id: id) else { throw Self.noLandEntry(id) }
        let (owner, name) = try Validation.fullName(entry.repository)
        guard case .allowed(_, let permission) = try decide(owner: owner, name: name, as: principal, needs: .read),
              try maySee(entry, as: principal, permission: permission) else {
            throw Self.noLandEntry(id)
        }
        if cancelling, permission != .admin {
            guard case .user(let user) = principal, entry.requestedBy == user.name else {
                throw PlueError(.permissionDenied, "only whoever queued land entry \(id) or an admin of \(entry.repository) may cancel it")
            }
        }
        return entry
    }

    /// Whether `principal`, who has `permission` on the entry's repository, may see `entry`: a
    /// branch's entry, whoever reads the repository; a session's, whoever may see the session (its
    /// owner, the repository's admins, the operator), since its id, head commit and conflicts are
    /// the session's. One of a session deleted since, the admins.
    func maySee(_ entry: LandEntry, as principal: Principal, permission: Permission) throws -> Bool {
        guard case .session(let id) = entry.source, principal != .operator, permission != .admin else { return true }
        guard let row = try database.session(id: id) else { return false }
        return try self.permission(of: principal, onSession: row) != nil
    }

    /// The ids of `repository`'s land entries `principal` may not see (other people's sessions'):
    /// the workflow runs that check them are hidden with them.
    func hiddenLandEntries(of repository: Repository, as principal: Principal) throws -> [Int64] {
        let (owner, name) = try Validation.fullName(repository.fullName)
        guard case .allowed(_, let permission) = try decide(owner: owner, name: name, as: principal, needs: .read) else { return [] }
        guard principal != .operator, permission != .admin else { return [] }
        let entries = try database.landEntries(repositoryID: repository.id, includeFinished: true)
        guard entries.contains(where: { if case .session = $0.source { true } else { false } }) else { return [] }
        // The repository's sessions in one query, not one for each entry: `maySee` by the same rule.
        let sessions = Dictionary(uniqueKeysWithValues: try database.sessions(repositoryID: repository.id, includeInactive: true).map { ($0.id, $0) })
        return entries.filter { entry in
            guard case .session(let id) = entry.source else { return false }
            guard let row = sessions[id] else { return true }
            return Self.sessionRule(principal, row, onRepository: permission) == nil
        }.map(\.id)
    }

    static func noLandEntry(_ id: Int64) -> PlueError {
        .notFound("no land entry \(id)", hint: "list them with `plue land list OWNER/NAME --all`")
    }

    /// Only the operator imports from a local path or over ssh: both read with the server's own
    /// files and keys. Anyone else names an https, http or git URL.
    func requireImportSource(_ source: String, as principal: Principal) throws {
        guard principal != .operator else { return }
        let lowered = source.lowercased()
        guard ["https://", "http://", "git://"].contains(where: { lowered.hasPrefix($0) }) else {
            throw PlueError(.permissionDenied, "only the operator may import from a local path or over ssh; give an https, http or git URL")
        }
    }
}
