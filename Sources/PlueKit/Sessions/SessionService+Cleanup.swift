import Foundation

/// Removing what sessions leave on disk: a whole session (`delete`), or the working directories
/// of finished ones (`collectGarbage`), and measuring what they hold.
extension SessionService {
    /// How long `delete` and `collectGarbage` wait for a session another command is working on.
    static let cleanupLockWait = 2.0

    /// Deletes a session for good: its directory (working directory, index, lock), its bookmark,
    /// the keep refs of commits no other session of the repository reaches, and its operations and
    /// turns. Commits on a branch stay reachable from the branch; land entries stay and name the
    /// session by id. Refused without `confirmed`, and while a turn runs unless `force`. A delete
    /// that stopped half way (the directory gone, the rows not) is finished by running it again.
    /// Needs write on the session (its owner, the repository's admins, the operator).
    public func delete(_ id: String, confirmed: Bool, force: Bool = false, as principal: Principal) throws -> SessionDeletion {
        let row = try authorizer.session(id, as: principal, needs: .write)
        guard confirmed else {
            throw PlueError.usage("deleting session \(id) removes its working directory, history and refs for good", hint: "run `plue session delete \(id) --yes`")
        }
        let directory = home.sessionPath(id)
        let repositoryPath = home.repositoryPath(owner: row.repositoryOwner, name: row.repositoryName)
        // Held until the rows are gone: the lock file itself goes with the directory, and a command
        // that was waiting for it reads the session again and finds none.
        let lock = FileSystem.isDirectory(directory)
            ? try SessionLock(directory: directory, staleGitLocks: [repositoryPath + "/" + Session.bookmark(id: id) + ".lock"],
                              wait: Self.cleanupLockWait, busy: busyError(id))
            : nil
        defer { withExtendedLifetime(lock) {} }
        guard try database.session(id: id) != nil else {
            throw PlueError.notFound("no session \(id); another command deleted it meanwhile")
        }
        let running = try database.runningTurns(sessionID: id)
        if !running.isEmpty && !force {
            throw PlueError(.unavailable, "session \(id) has a running turn (\(running.map(String.init).joined(separator: ", "))); wait for it, stop it with `plue session abort \(id)`, or pass --force to delete the session anyway")
        }
        let git = try GitRepository.open(repositoryPath)
        let keepRefs = try sessionOnlyKeepRefs(id, repositoryID: row.repositoryID, git: git)
        let bytes = FileSystem.diskUsage(directory)
        try FileSystem.remove(directory)
        let refs = [Session.bookmark(id: id)] + keepRefs
        for ref in refs { try git.removeReference(ref) }
        let rows = try database.deleteSession(id: id)
        return SessionDeletion(id: id, repository: "\(row.repositoryOwner)/\(row.repositoryName)", bytesFreed: bytes, refsRemoved: refs,
                               operationsRemoved: rows.operations, turnsRemoved: rows.turns)
    }

    /// The keep refs of commits this session's operations reach and no other session's do.
    private func sessionOnlyKeepRefs(_ id: String, repositoryID: Int64, git: GitRepository) throws -> [String] {
        let prefix = "refs/plue/keep/"
        let kept = Set(try git.references(under: prefix).compactMap { reference in
            // Keep refs are named for the commit they hold; one that is not is left alone.
            reference.name == prefix + reference.target ? reference.target : nil
        })
        var commits = try database.operationCommits(repositoryID: repositoryID)
        let own = git.keptAncestors(of: commits.removeValue(forKey: id) ?? [], within: kept)
        let others = git.keptAncestors(of: commits.values.flatMap { $0 }, within: own)
        return own.subtracting(others).sorted().map { prefix + $0 }
    }

    /// Removes the working directory and index of each landed or aborted session (of one
    /// repository, or all) whose newest operation is older than `days` days. Their history stays:
    /// `plue session fork` starts a new working directory from any of their states. A session is
    /// left, and the report says why, when another command holds it, a turn still runs, or its
    /// working directory has files its last operation does not hold (changed after it, or too
    /// large or special to record) unless `force`. Files .gitignore names are never recorded, and
    /// go with the directory. Needs admin on the repository; for the whole home (which also clears
    /// folders killed commands left), the operator or a site admin.
    public func collectGarbage(repository fullName: String? = nil, olderThan days: Int = 14, force: Bool = false,
                               now: Date = Timestamp.now(), as principal: Principal) throws -> SessionCollection {
        guard (0...36_500).contains(days) else {
            throw PlueError.invalidInput("--older-than must be a number of days from 0 to 36500")
        }
        if fullName == nil { try authorizer.requireAccountAdmin(principal, to: "collect the sessions of every repository") }
        let repositoryID = try fullName.map { try authorizer.repository($0, as: principal, needs: .admin).id }
        var removed: [SessionCollection.Removed] = []
        var left: [SessionCollection.Left] = []
        let cutoff = now.addingTimeInterval(-Double(days) * 86_400)
        for candidate in try database.collectableSessions(repositoryID: repositoryID, idleSince: cutoff) {
            let directory = home.sessionPath(candidate.id)
            // Collected already.
            guard FileSystem.exists(directory + "/work") || FileSystem.exists(directory + "/index") else { continue }
            do {
                let bytes = try removeWorkingDirectory(candidate.id, directory: directory, cutoff: cutoff, force: force)
                removed.append(.init(id: candidate.id, repository: candidate.repository, lastActivity: candidate.lastActivity,
                                     bytesFreed: bytes))
            } catch let error as PlueError where error.code == .unavailable || error.code == .failed {
                left.append(.init(id: candidate.id, repository: candidate.repository, reason: error.messageWithHint))
            }
        }
        let abandoned = fullName == nil ? removeAbandonedFolders(olderThan: PlueHome.leftoverAge, now: now) : []
        return SessionCollection(removed: removed, left: left, abandoned: abandoned)
    }

    /// Session folders no row records, an hour old: a `session new` or `fork` killed before it was
    /// recorded left them (in `.staging`, or moved into place just before the kill). They hold
    /// only checkouts of stored commits: no command ever ran on them.
    private func removeAbandonedFolders(olderThan age: Double, now: Date) -> [SessionCollection.Abandoned] {
        let cutoff = now.timeIntervalSince1970 - age
        var candidates: [String] = []
        let staging = home.sessionStagingPath
        for name in (try? FileManager.default.contentsOfDirectory(atPath: staging)) ?? [] { candidates.append(staging + "/" + name) }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: home.sessionsPath)) ?? []
        where SessionID.isValid(name) && (try? database.session(id: name)) == .some(nil) {
            candidates.append(home.sessionPath(name))
        }
        var result: [SessionCollection.Abandoned] = []
        for path in candidates {
            var info = stat()
            guard lstat(path, &info) == 0, Double(info.st_mtim.tv_sec) < cutoff else { continue }
            let bytes = FileSystem.diskUsage(path)
            if (try? FileSystem.remove(path)) != nil { result.append(.init(path: path, bytesFreed: bytes)) }
        }
        return result
    }

    /// Removes one session's working directory and index under its lock, once it is sure that
    /// nothing unrecorded is in it; returns the bytes freed. `.failed` or `.unavailable` says why
    /// it was left.
    private func removeWorkingDirectory(_ id: String, directory: String, cutoff: Date, force: Bool) throws -> Int64 {
        let lock = try SessionLock(directory: directory, staleGitLocks: [directory + "/index.lock"], wait: Self.cleanupLockWait)
        defer { withExtendedLifetime(lock) {} }
        // Read again under the lock: the session may have been forked into, or deleted, meanwhile.
        guard let row = try database.session(id: id),
              row.status == Session.Status.landed.rawValue || row.status == Session.Status.aborted.rawValue,
              let activity = try database.sessionActivity(ids: [id])[id], activity.lastActivity < cutoff else {
            throw PlueError.failed("it changed while gc ran; run gc again")
        }
        guard try database.runningTurns(sessionID: id).isEmpty else {
            throw PlueError.failed("a turn is still running in it", hint: "stop it with `plue session abort \(id)` or wait")
        }
        let work = directory + "/work", index = directory + "/index"
        if !force, let reason = try UnrecordedWork.reason(row, home: home, maxNewFileSize: newFileLimit(row)) {
            throw PlueError.failed(reason + "; copy out what you need from \(work), then run gc with --force")
        }
        var info = stat()
        let bytes = FileSystem.diskUsage(work) + (lstat(index, &info) == 0 ? Int64(info.st_size) : 0)
        try FileSystem.remove(work)
        try FileSystem.remove(index)
        return bytes
    }
}
