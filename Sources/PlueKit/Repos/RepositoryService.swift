import Foundation

/// Repositories: each one a bare git directory under `repos/OWNER/NAME.git` plus one database row,
/// created and removed so that a failure at any step leaves neither without the other.
public struct RepositoryService: Sendable {
    let home: PlueHome
    let database: AppDatabase
    let hooks: HookInstaller
    let authorizer: Authorizer

    /// Creates an empty repository under the principal's own name (site admins and the operator:
    /// under anyone's).
    public func create(_ fullName: String, description: String = "", isPrivate: Bool = false,
                       defaultBranch: String = "main", as principal: Principal) throws -> Repository {
        let (ownerName, name) = try Validation.fullName(fullName)
        let description = try Validation.description(description)
        let branch = try Validation.branchName(defaultBranch)
        try authorizer.requireAccount(ownerName, as: principal, to: "create repositories under \(ownerName)")
        let owner = try owner(named: ownerName)
        return try place(owner: owner, name: name, description: description, isPrivate: isPrivate) { staging in
            _ = try GitRepository.createBare(at: staging, initialBranch: "refs/heads/" + branch)
            return branch
        }
    }

    /// Copies every ref of `source` (anything `git clone --mirror` accepts over https, http, ssh,
    /// git or a local path) into a new repository. Its default branch is the one the source's HEAD
    /// names. git is stopped with its whole process group, and nothing is left, when it prints no
    /// progress for `idleTimeout` seconds or this process gets SIGINT, SIGTERM or SIGHUP.
    /// Under the principal's own name, as `create`; only the operator imports from a local path or
    /// over ssh, since both read with the server's own files and keys.
    public func importRepository(_ fullName: String, from source: String, description: String = "",
                                 isPrivate: Bool = false, showProgress: Bool = false,
                                 idleTimeout: Double = 120, as principal: Principal) throws -> Repository {
        let (ownerName, name) = try Validation.fullName(fullName)
        let description = try Validation.description(description)
        let shown = Redaction.credentials(in: source)
        guard !source.isEmpty, !source.hasPrefix("-"), source.utf8.count <= 4096,
              !Validation.hasControlCharacters(source)
        else {
            throw PlueError.invalidInput("invalid import source \(Validation.quoted(shown)): give a path or URL that `git clone` accepts")
        }
        guard idleTimeout > 0 else { throw PlueError.invalidInput("the timeout must be a positive number of seconds") }
        try authorizer.requireAccount(ownerName, as: principal, to: "create repositories under \(ownerName)")
        try authorizer.requireImportSource(source, as: principal)
        let owner = try owner(named: ownerName)
        return try place(owner: owner, name: name, description: description, isPrivate: isPrivate) { staging in
            var options = ChildProcess.Options()
            (options.ownGroup, options.stopOnInterrupt, options.idleTimeout, options.echoErrorOutput) = (true, true, idleTimeout, showProgress)
            options.outputLimit = 1 << 20
            // --progress always: git's progress lines are how a stalled transfer is told from a slow one.
            // git's own stall limit for http(s) as well, so a git left behind by a plue killed with
            // SIGKILL (which no handler sees) still gives up on a source that stopped sending.
            let stall = ["-c", "http.lowSpeedLimit=1", "-c", "http.lowSpeedTime=\(Int(idleTimeout.rounded(.up)))"]
            let clone = try GitCommandLine.run(stall + ["clone", "--mirror", "--no-local", "--progress", "--", source, staging], options: options)
            if clone.stalled {
                throw PlueError(.unavailable, "cannot import from \(shown): git printed no progress for \(Int(idleTimeout)) s and was stopped; "
                                + "check the source is reachable, or allow longer with --timeout SECONDS")
            }
            guard clone.status == 0 else {
                throw PlueError.failed("cannot import from \(shown): git clone failed" + (showProgress ? "; see git's messages above" : ""),
                                       cause: Self.failureLines(clone.errorOutput, source: source))
            }
            // The copy is a forge repository now, not a mirror that fetches from its source (and its
            // URL, which may hold a password, is not kept).
            _ = try GitCommandLine.run(["--git-dir", staging, "config", "--remove-section", "remote.origin"])
            // refs/plue/ is this forge's own (sessions' history, lands): none comes from outside.
            let own = try GitCommandLine.run(["--git-dir", staging, "for-each-ref", "--format=%(refname)", PushService.privateRefs])
            let repository = try GitRepository.open(staging)
            for name in own.output.split(separator: "\n") { try repository.removeReference(String(name)) }
            // The source's HEAD becomes the default branch, so it must pass the same rule as one typed.
            let head = repository.headBranch() ?? "main"
            do {
                return try Validation.branchName(head)
            } catch {
                throw PlueError.invalidInput("cannot import from \(shown): its HEAD names the branch \(Validation.quoted(head)), "
                                            + "which Plue refuses as a default branch; point the source's HEAD at another branch first")
            }
        }
    }

    /// git's own complaint from what a failed clone printed, without its progress lines.
    static func failureLines(_ errorOutput: String, source: String) -> String? {
        let lines = errorOutput.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map(String.init)
        let complaints = lines.filter { $0.hasPrefix("fatal:") || $0.hasPrefix("error:") || $0.hasPrefix("warning:") }
        let chosen = complaints.isEmpty ? Array(lines.suffix(1)) : complaints
        let text = chosen.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : Redaction.credentials(in: text, from: source)
    }

    /// The repositories the principal may read, all or one owner's.
    public func list(owner: String? = nil, as principal: Principal) throws -> [Repository] {
        if let owner { _ = try self.owner(named: Validation.userNameForLookup(owner)) }
        return try authorizer.readable(database.repositories(owner: owner).map(repository), by: principal)
    }

    /// The record of a repository the principal may read.
    public func find(_ fullName: String, as principal: Principal) throws -> Repository {
        try authorizer.repository(fullName, as: principal, needs: .read)
    }

    /// The record of a repository, whoever asks: for what Plue does by itself (hooks, runners).
    func lookup(_ fullName: String) throws -> Repository {
        try authorizer.repository(fullName, as: .operator, needs: .read)
    }

    public func show(_ fullName: String, as principal: Principal) throws -> RepositoryDetails {
        let repository = try find(fullName, as: principal)
        return RepositoryDetails(repository: repository, branches: try openGit(repository).branches())
    }

    /// Needs admin on the repository. Its sessions go with it, their history with the repository's
    /// refs, so unless `force` it is refused while one of them is still open (an agent may be at
    /// work in it), runs a turn, or, ended, holds files in its working directory that no operation
    /// stores (which gc would not remove either).
    public func delete(_ fullName: String, force: Bool = false, as principal: Principal) throws -> Repository {
        let repository = try authorizer.repository(fullName, as: principal, needs: .admin)
        // Sessions go with their repository (the rows by cascade, the working copies below).
        let sessions = try database.sessions(repositoryID: repository.id, includeInactive: true)
        if !force { try requireNothingUnstored(in: sessions, of: repository) }
        // Forced: a turn still running would go on in a deleted directory until its timeout.
        for session in sessions where session.status == Session.Status.active.rawValue {
            guard try !database.runningTurns(sessionID: session.id).isEmpty else { continue }
            for group in try database.abortSession(id: session.id) where group.pid > 1 && ProcessIdentity.of(group.pid, includingZombies: true) == group {
                kill(-group.pid, SIGKILL)
            }
        }
        let sessionIDs = sessions.map(\.id)
        let parked = home.trashPath + "/" + FileSystem.randomName() + ".git"
        var moved = false
        do {
            try database.deleteRepository(id: repository.id) {
                guard FileSystem.exists(repository.path) else { return }
                try FileSystem.createDirectory(home.trashPath)
                try FileSystem.rename(repository.path, to: parked)
                moved = true
            }
        } catch {
            // The row is still there (the transaction rolled back): so must the directory be.
            if moved { try? FileSystem.rename(parked, to: repository.path) }
            throw error
        }
        // The row is gone and the directory is out of sight; removing the files is only cleanup.
        try? FileSystem.remove(parked)
        for id in sessionIDs { try? FileSystem.remove(home.sessionPath(id)) }
        return repository
    }

    private func requireNothingUnstored(in sessions: [SessionRow], of repository: Repository) throws {
        for session in sessions {
            let refusal = "deleting \(repository.fullName) would delete the work of its session \(session.id)"
            let force = "`plue repo delete \(repository.fullName) --yes --force` deletes anyway"
            if !(try database.runningTurns(sessionID: session.id)).isEmpty || session.status == Session.Status.active.rawValue {
                throw PlueError.failed(refusal + ": it is still open; land or abort it first, or delete with force",
                                       hint: "`plue session abort \(session.id)` ends it (and stops a running turn); " + force)
            }
            if let reason = try UnrecordedWork.reason(session, home: home,
                                                      maxNewFileSize: session.maxNewFileSize ?? SessionService.defaultMaxNewFileSize) {
                throw PlueError.failed(refusal + ": \(reason); copy out what you need, then delete with force",
                                       hint: "it is in \(home.sessionPath(session.id))/work; " + force)
            }
        }
    }

    func openGit(_ repository: Repository) throws -> GitRepository {
        guard FileSystem.isDirectory(repository.path) else {
            throw PlueError(.damaged, "the git directory of \(repository.fullName) is missing at \(repository.path); restore it from a backup or delete the repository")
        }
        return try GitRepository.open(repository.path)
    }

    func owner(named name: String) throws -> User {
        guard let user = try database.user(named: name) else {
            throw PlueError.notFound("no user named \(name)", hint: "create one with `plue user create \(name) --email EMAIL`")
        }
        return user
    }

    func repository(_ row: RepositoryRow) -> Repository {
        Repository(row, home: home)
    }
}
