import Foundation

/// The landing queue: work from sessions and branches reaches a target branch only through it.
/// An entry pins the source's head when it is queued; a runner (`run`) builds exactly that on the
/// target's tip and moves the target by compare-and-swap, so a land never overwrites a push.
public struct LandingService: Sendable {
    let home: PlueHome
    let database: AppDatabase
    let repositories: RepositoryService
    let sessions: SessionService
    let workflows: WorkflowService
    let authorizer: Authorizer
    let warnings: WarningSink

    /// Queues `source` for landing on `onto` (default: the session's base branch, else the
    /// repository's default branch). A session is snapshotted first, and its head pinned. Needs
    /// write on the repository (a land is a push) and, for a session, on the session; an account
    /// that queues is recorded as the requester, and a branch lands as its push.
    public func enqueue(_ fullName: String, source: LandSource, onto: String? = nil, strategy: LandStrategy = .rebase,
                        message: String? = nil, maxNewFileSize: Int64? = nil, as principal: Principal) throws -> LandEntry {
        let message = try message.map(SessionService.validatedMessage)
        let repository = try authorizer.repository(fullName, as: principal, needs: .write)
        let requester: User? = if case .user(let user) = principal { user } else { nil }
        let git = try repositories.openGit(repository)
        if case .session(let id) = source {
            let row = try sessionRow(id, of: repository, as: principal, needs: .write)
            if row.status == Session.Status.landed.rawValue {
                throw PlueError.failed("session \(id) has landed already; fork it to keep working from it")
            }
            // The target is checked before the snapshot, so a wrong --onto records nothing.
            _ = try target(of: source, onto: onto, defaultTarget: row.baseBranch, in: repository, git: git)
            if row.status == Session.Status.active.rawValue {
                // What the snapshot left out does not land: said on standard error, as git's hints are.
                for file in try sessions.limitingNewFiles(to: maxNewFileSize).snapshot(id, as: principal).skipped {
                    warnings.emit("plue: not recorded, so not landed: \(TerminalText.line(file.path)): \(file.explanation)")
                }
            }
        }
        let resolved = try resolve(source, onto: onto, in: repository, git: git, as: principal)
        if try git.isAncestor(resolved.head, of: resolved.targetTip) {
            throw PlueError.failed("nothing to land: \(source.description) is already part of \(resolved.target)")
        }
        return try database.enqueueLand(
            NewLandEntry(repositoryID: repository.id, source: source, target: resolved.target, strategy: strategy,
                         message: message, headCommit: resolved.head, requestedBy: requester?.id,
                         reason: requester.map { "queued by \($0.name)" } ?? "queued"),
            at: Timestamp.now())
    }

    /// The repository's queue in order; with `all`, finished entries too. Needs read on the repository;
    /// an entry of a session the principal may not see is left out.
    public func list(_ fullName: String, all: Bool = false, as principal: Principal) throws -> [LandEntry] {
        let repository = try repositories.find(fullName, as: principal)
        let permission = try authorizer.permission(of: principal, on: repository) ?? .read
        return try database.landEntries(repositoryID: repository.id, includeFinished: all).filter {
            try authorizer.maySee($0, as: principal, permission: permission)
        }
    }

    /// Needs read on the entry's repository; an entry of one the principal may not read is not found.
    public func show(_ id: Int64, as principal: Principal) throws -> LandEntry {
        try authorizer.landEntry(id, as: principal)
    }

    /// What an entry that does not exist, or that the principal may not see, gets: for a door that
    /// finds one under the wrong repository, so it answers exactly as for a missing one.
    public static func missing(_ id: Int64) -> PlueError {
        Authorizer.noLandEntry(id)
    }

    /// Takes a queued entry out of the queue. One being checked, or finished, cannot be cancelled.
    /// Whoever queued it may, and the repository's admins.
    public func cancel(_ id: Int64, as principal: Principal) throws -> LandEntry {
        _ = try authorizer.landEntry(id, as: principal, cancelling: true)
        var (cancelled, entry) = try database.cancelLand(id: id, at: Timestamp.now())
        guard var entry else { throw Authorizer.noLandEntry(id) }
        if !cancelled, entry.state == .checking, entry.reason.hasPrefix(Self.waitingForChecks) {
            (cancelled, entry) = try cancelWaiting(entry)
        }
        guard cancelled else {
            if entry.state == .checking {
                throw PlueError(.unavailable, "land entry \(id) is being landed right now", hint: "it can be cancelled only if it goes back to the queue to wait (see `plue land show \(id)`)")
            }
            throw PlueError.failed("land entry \(id) is \(entry.state.rawValue) already; only a queued entry can be cancelled")
        }
        return entry
    }

    /// The start of the reason of an entry that waits for its required workflow runs.
    static let waitingForChecks = "waiting for required workflow runs"

    /// Cancels an entry that waits for its required runs, and those runs, under the queue's lock:
    /// no runner is then between checking the runs and moving the branch.
    private func cancelWaiting(_ entry: LandEntry) throws -> (Bool, LandEntry) {
        let repository = try repositories.lookup(entry.repository)
        try FileSystem.createDirectory(home.locksPath, mode: 0o700)
        let lock = try FileLock(path: home.landQueueLockPath(repositoryID: repository.id), wait: 2,
                                busy: PlueError(.unavailable, "land entry \(entry.id) is being landed right now; try again in a moment"))
        defer { withExtendedLifetime(lock) {} }
        guard let cancelled = try database.cancelWaitingLand(id: entry.id, at: Timestamp.now()) else {
            return (false, try database.landEntry(id: entry.id) ?? entry)
        }
        for run in try database.landRuns(entryID: entry.id, commit: entry.result ?? "") where !run.status.isFinished {
            _ = try? database.cancelWorkflowRun(id: run.id, at: Date())
        }
        return (true, cancelled)
    }

    /// A dry run that writes nothing: would `source` merge cleanly on the target's tip now? The
    /// same three-way merge as `git merge-tree --write-tree`. A session is checked as last recorded.
    /// Needs read on the repository, and to see the session.
    public func check(_ fullName: String, source: LandSource, onto: String? = nil, as principal: Principal) throws -> LandCheck {
        let repository = try repositories.find(fullName, as: principal)
        let resolved = try resolve(source, onto: onto, in: repository, git: repositories.openGit(repository), as: principal)
        let merged = try GitMergeTree.merge(resolved.targetTip, resolved.head, in: repository.path)
        return LandCheck(clean: merged.conflicts.isEmpty, source: source, sourceCommit: resolved.head, target: resolved.target,
                         targetCommit: resolved.targetTip,
                         conflicts: merged.conflicts)
    }

    // MARK: - Sources and targets

    struct Resolved {
        let head: String
        let target: String
        let targetTip: String
    }

    /// The source's head and the target's tip; the session's row is read once.
    private func resolve(_ source: LandSource, onto: String?, in repository: Repository, git: GitRepository,
                         as principal: Principal) throws -> Resolved {
        let head: String
        let defaultTarget: String
        switch source {
        case .session(let id):
            let row = try sessionRow(id, of: repository, as: principal, needs: .read)
            head = try Self.sessionHead(row, in: git)
            defaultTarget = row.baseBranch
            if head == row.baseCommit {
                throw PlueError.failed("nothing to land: session \(id) has no changes; edit its files and snapshot them first")
            }
        case .branch(let name):
            let branch = try Validation.branchName(name)
            guard let tip = try git.referenceTarget("refs/heads/" + branch) else {
                throw PlueError.notFound("\(repository.fullName) has no branch \(branch); push it first")
            }
            head = tip
            defaultTarget = repository.defaultBranch
        }
        let (target, targetTip) = try self.target(of: source, onto: onto, defaultTarget: defaultTarget, in: repository, git: git)
        return Resolved(head: head, target: target, targetTip: targetTip)
    }

    /// The branch a source lands on (`onto`, else the session's base branch, else the repository's
    /// default branch) and its tip.
    private func target(of source: LandSource, onto: String?, defaultTarget: String, in repository: Repository,
                        git: GitRepository) throws -> (name: String, tip: String) {
        let target = try Validation.branchName(onto ?? defaultTarget)
        if case .branch(let name) = source, name == target {
            throw PlueError.invalidInput("cannot land \(target) onto itself", hint: "pass --onto another branch")
        }
        guard let tip = try git.referenceTarget("refs/heads/" + target) else {
            throw PlueError.notFound("the target branch \(target) does not exist in \(repository.fullName)", hint: "push it or pass --onto")
        }
        return (target, tip)
    }

    /// What of a session lands: its working copy, or the change below it when the working copy
    /// is the empty, undescribed change `session commit` starts.
    static func sessionHead(_ row: SessionRow, in git: GitRepository) throws -> String {
        let workingCopy = try git.changeCommit(row.workingCopy)
        if workingCopy.message.isEmpty, let parent = workingCopy.parents.first, try git.changeCommit(parent).tree == workingCopy.tree {
            return parent
        }
        return row.workingCopy
    }

    /// The session, when the principal has `needed` on it and it belongs to `repository`.
    func sessionRow(_ id: String, of repository: Repository, as principal: Principal, needs needed: Permission) throws -> SessionRow {
        let row = try authorizer.session(id, as: principal, needs: needed)
        guard row.repositoryID == repository.id else {
            throw PlueError.invalidInput("session \(id) belongs to \(row.repositoryOwner)/\(row.repositoryName), not \(repository.fullName)")
        }
        return row
    }
}
