/// Reading a session's states: revisions, files, diffs.
extension SessionService {
    public enum DiffFormat: Sendable { case patch, stat, nameOnly, nameStatus }

    /// A patch from `from` (default `base`) to `to` (default `@`, the working copy, snapshotted first).
    public func diff(_ id: String, from: String? = nil, to: String? = nil, format: DiffFormat = .patch,
                     as principal: Principal) throws -> String {
        _ = try authorizer.session(id, as: principal, needs: .read)
        let git = try prepared(id, revisions: [from ?? "base", to ?? "@"])
        let old = try revisionCommit(from ?? "base", id)
        let new = try revisionCommit(to ?? "@", id)
        let format: GitRepository.DiffFormat = switch format {
        case .patch: .patch
        case .stat: .stat
        case .nameOnly: .nameOnly
        case .nameStatus: .nameStatus
        }
        return try git.diff(from: git.changeCommit(old).tree, to: git.changeCommit(new).tree, format: format)
    }

    /// Each changed file from `from` to `to` (defaults as `diff`) with its status and counts, and the patch.
    public func diffReport(_ id: String, from: String? = nil, to: String? = nil, as principal: Principal) throws -> SessionDiff {
        _ = try authorizer.session(id, as: principal, needs: .read)
        let git = try prepared(id, revisions: [from ?? "base", to ?? "@"])
        let old = try git.changeCommit(revisionCommit(from ?? "base", id)).tree
        let new = try git.changeCommit(revisionCommit(to ?? "@", id)).tree
        return SessionDiff(files: try git.diffFiles(from: old, to: new), patch: try git.diff(from: old, to: new, format: .patch))
    }

    /// The sessions with what they hold on disk (regular files below HOME/sessions/ID, symbolic
    /// links not followed), when they last recorded an operation, and how many turns they had.
    /// Sessions come only from `list`, `show` and the like, which authorized them, so it takes no
    /// principal of its own.
    public func measured(_ sessions: [Session]) throws -> [Session] {
        let activity = try database.sessionActivity(ids: sessions.map(\.id))
        return sessions.map { session in
            var session = session
            session.sizeOnDisk = FileSystem.diskUsage(home.sessionPath(session.id))
            session.lastActivity = activity[session.id]?.lastActivity
            session.turnCount = activity[session.id]?.turnCount ?? 0
            return session
        }
    }

    /// The conversation as it stands: the turns the current view shows, in order, then a turn
    /// still running or one whose runner died (interrupted), which no view shows yet.
    public func conversation(_ id: String, as principal: Principal) throws -> [Turn] {
        let visible = try authorizer.session(id, as: principal, needs: .read).visibleTurns
        let turns = try database.turns(sessionID: id)
        let byNumber = Dictionary(turns.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
        let shown = Set(visible)
        return visible.compactMap { byNumber[$0] }
            + turns.filter { ($0.state == .running || $0.state == .interrupted) && !shown.contains($0.number) }
    }

    /// One change: the state at `revision` (a change id or prefix, a commit, `base` or `@`).
    public func change(_ id: String, _ revision: String, as principal: Principal) throws -> SessionChange {
        _ = try authorizer.session(id, as: principal, needs: .read)
        let git = try prepared(id, revisions: [revision])
        let commit = try revisionCommit(revision, id)
        let details = try git.changeCommit(commit)
        let parentTree = try details.parents.first.map { try git.changeCommit($0).tree }
        return SessionChange(changeID: details.changeID ?? "", commit: commit, description: details.message, parents: details.parents,
                             filesChanged: try git.changedPaths(from: parentTree, to: details.tree))
    }

    public func files(_ id: String, at revision: String? = nil, prefix: String = "", as principal: Principal) throws -> [GitTreeEntry] {
        _ = try authorizer.session(id, as: principal, needs: .read)
        let prefix = try Validation.treePath(prefix)
        let git = try prepared(id, revisions: [revision ?? "@"])
        return try git.files(inTree: git.changeCommit(revisionCommit(revision ?? "@", id)).tree, prefix: prefix)
    }

    /// The raw bytes of a file; a symbolic link gives its target as text and is never followed.
    public func cat(_ id: String, path: String, at revision: String? = nil, as principal: Principal) throws -> [UInt8] {
        _ = try authorizer.session(id, as: principal, needs: .read)
        let path = try Validation.treePath(path)
        guard !path.isEmpty else { throw PlueError.invalidInput("name a file", hint: "list them with `plue session files \(id)`") }
        let git = try prepared(id, revisions: [revision ?? "@"])
        return try git.blob(inTree: git.changeCommit(revisionCommit(revision ?? "@", id)).tree, path: path)
    }

    /// `cat`, for a client that may be sent a large file: its bytes when it has at most
    /// `inlineUpTo`, or else what it takes to stream them from git (as `RepositoryService.rawFile`).
    public func rawFile(_ id: String, path: String, at revision: String? = nil, inlineUpTo: Int64,
                        as principal: Principal) throws -> RawFile {
        let row = try authorizer.session(id, as: principal, needs: .read)
        let path = try Validation.treePath(path)
        guard !path.isEmpty else { throw PlueError.invalidInput("name a file", hint: "list them with `plue session files \(id)`") }
        let git = try prepared(id, revisions: [revision ?? "@"])
        let tree = try git.changeCommit(revisionCommit(revision ?? "@", id)).tree
        let file = try git.fileObject(inTree: tree, path: path)
        guard file.size > inlineUpTo else { return .bytes(try git.blob(inTree: tree, path: path)) }
        return .large(RawFile.Large(repository: "\(row.repositoryOwner)/\(row.repositoryName)", gitDirectory: git.path,
                                    object: file.object, size: file.size))
    }

    /// The commit a revision names: `@` (the working copy), `base`, a change id or a unique prefix
    /// of one (letters k to z), or a commit id or a unique prefix of at least 4 hex digits of a
    /// commit in the session's own history.
    public func resolve(_ revision: String, _ id: String, as principal: Principal) throws -> String {
        _ = try authorizer.session(id, as: principal, needs: .read)
        return try revisionCommit(revision, id)
    }

    /// What a session that does not exist, or that the principal may not see, gets: for a door
    /// that finds a session under the wrong repository, so it answers exactly as for a missing one.
    public static func missing(_ id: String) -> PlueError {
        SessionID.isValid(id) ? Authorizer.noSession(id) : Authorizer.invalidSessionID(id)
    }

    /// `resolve`, for callers that authorized already.
    func revisionCommit(_ revision: String, _ id: String) throws -> String {
        let session = try current(id)
        switch revision {
        case "@": return session.workingCopy
        case "base": return session.baseCommit
        default: break
        }
        let git = try GitRepository.open(try repositories.lookup(session.repository).path)
        if !revision.isEmpty, revision.count <= 32, revision.allSatisfy({ "klmnopqrstuvwxyz".contains($0) }) {
            let matches = try changes(of: row(id)).filter { $0.changeID.hasPrefix(revision) }
            guard let match = matches.first else {
                throw PlueError.notFound("no change \(revision) in session \(id)", hint: "list them with `plue session changes \(id)`")
            }
            guard matches.count == 1 else {
                throw PlueError.invalidInput("the change id prefix \(revision) is ambiguous (\(matches.count) changes); give more letters")
            }
            return match.commit
        }
        guard (4...40).contains(revision.utf8.count), revision.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            throw PlueError.invalidInput("invalid revision \(Validation.quoted(revision)): use @, base, a change id or a commit id")
        }
        // A commit id names a state of this session (one its operations recorded, or an ancestor
        // of one: its base and the history before it), never another session's commit: another
        // session's revisions get the answer of revisions that name nothing.
        let states = Array(Set(try database.operationCommits(sessionID: id) + [session.workingCopy, session.baseCommit]))
        guard let commit = try git.commitID(prefix: revision), try git.isReachable(commit, fromAny: states) else {
            throw PlueError.notFound("no commit \(revision) in session \(id)", hint: "list its changes with `plue session changes \(id)`")
        }
        return commit
    }

    /// Snapshots first when a revision is `@`, so it shows the files as they are now.
    private func prepared(_ id: String, revisions: [String]) throws -> GitRepository {
        let session = try current(id)
        if revisions.contains("@") && session.status == .active { try snapshotForReading(id) }
        return try GitRepository.open(try repositories.lookup(session.repository).path)
    }
}
