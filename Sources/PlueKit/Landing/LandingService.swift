import Foundation

/// The landing queue: work from sessions and branches reaches a target branch only through it.
/// An entry pins the source's head when it is queued; a runner (`run`) builds exactly that on the
/// target's tip and moves the target by compare-and-swap, so a land never overwrites a push.
public struct LandingService: Sendable {
    let home: PlueHome
    let database: AppDatabase
    let repositories: RepositoryService
    let sessions: SessionService
    let access: AccessService
    let warnings: WarningSink

    /// Queues `source` for landing on `onto` (default: the session's base branch, else the
    /// repository's default branch). A session is snapshotted first, and its head pinned.
    public func enqueue(_ fullName: String, source: LandSource, onto: String? = nil, strategy: LandStrategy = .rebase,
                        message: String? = nil, requestedBy: String? = nil, maxNewFileSize: Int64? = nil) throws -> LandEntry {
        let message = try message.map(SessionService.validatedMessage)
        let requester = try requestedBy.map { name -> User in
            guard let user = try database.user(named: Validation.userNameForLookup(name)) else {
                throw PlueError.notFound("no user \(Validation.quoted(name)); list users with `plue user list`")
            }
            return user
        }
        let repository = try repositories.find(fullName)
        // A branch's land is pushed as the requester: one who could not push it may not ask for it.
        if let requester, (try access.permission(of: .user(requester), on: repository)).map({ $0 < .write }) ?? true {
            throw PlueError(.permissionDenied, "\(requester.name) has no write access to \(repository.fullName), so cannot land on it; "
                            + "add them with `plue repo collaborator add \(repository.fullName) \(requester.name) --permission write`")
        }
        let git = try repositories.openGit(repository)
        if case .session(let id) = source {
            let row = try sessionRow(id, of: repository)
            if row.status == Session.Status.landed.rawValue {
                throw PlueError.failed("session \(id) has landed already; fork it to keep working from it")
            }
            // The target is checked before the snapshot, so a wrong --onto records nothing.
            _ = try target(of: source, onto: onto, defaultTarget: row.baseBranch, in: repository, git: git)
            if row.status == Session.Status.active.rawValue {
                // What the snapshot left out does not land: said on standard error, as git's hints are.
                for file in try sessions.limitingNewFiles(to: maxNewFileSize).snapshot(id).skipped {
                    warnings.emit("plue: not recorded, so not landed: \(TerminalText.line(file.path)): \(file.explanation)")
                }
            }
        }
        let resolved = try resolve(source, onto: onto, in: repository, git: git)
        if try git.isAncestor(resolved.head, of: resolved.targetTip) {
            throw PlueError.failed("nothing to land: \(source.description) is already part of \(resolved.target)")
        }
        return try database.enqueueLand(
            NewLandEntry(repositoryID: repository.id, source: source, target: resolved.target, strategy: strategy,
                         message: message, headCommit: resolved.head, requestedBy: requester?.id,
                         reason: requester.map { "queued by \($0.name)" } ?? "queued"),
            at: Timestamp.now())
    }

    /// The repository's queue in order; with `all`, finished entries too.
    public func list(_ fullName: String, all: Bool = false) throws -> [LandEntry] {
        try database.landEntries(repositoryID: repositories.find(fullName).id, includeFinished: all)
    }

    public func show(_ id: Int64) throws -> LandEntry {
        guard id > 0, let entry = try database.landEntry(id: id) else {
            throw PlueError.notFound("no land entry \(id); list them with `plue land list OWNER/NAME --all`")
        }
        return entry
    }

    /// Takes a queued entry out of the queue. One being checked, or finished, cannot be cancelled.
    public func cancel(_ id: Int64) throws -> LandEntry {
        let missing = PlueError.notFound("no land entry \(id); list them with `plue land list OWNER/NAME --all`")
        guard id > 0 else { throw missing }
        let (cancelled, entry) = try database.cancelLand(id: id, at: Timestamp.now())
        guard let entry else { throw missing }
        guard cancelled else {
            if entry.state == .checking {
                throw PlueError(.unavailable, "land entry \(id) is being landed right now; it can be cancelled only if it goes back to the queue to wait (see `plue land show \(id)`)")
            }
            throw PlueError.failed("land entry \(id) is \(entry.state.rawValue) already; only a queued entry can be cancelled")
        }
        return entry
    }

    /// A dry run that writes nothing: would `source` merge cleanly on the target's tip now? The
    /// same three-way merge as `git merge-tree --write-tree`. A session is checked as last recorded.
    public func check(_ fullName: String, source: LandSource, onto: String? = nil) throws -> LandCheck {
        let repository = try repositories.find(fullName)
        let resolved = try resolve(source, onto: onto, in: repository, git: repositories.openGit(repository))
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
    private func resolve(_ source: LandSource, onto: String?, in repository: Repository, git: GitRepository) throws -> Resolved {
        let head: String
        let defaultTarget: String
        switch source {
        case .session(let id):
            let row = try sessionRow(id, of: repository)
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
            throw PlueError.invalidInput("cannot land \(target) onto itself; pass --onto another branch")
        }
        guard let tip = try git.referenceTarget("refs/heads/" + target) else {
            throw PlueError.notFound("the target branch \(target) does not exist in \(repository.fullName); push it or pass --onto")
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

    func sessionRow(_ id: String, of repository: Repository) throws -> SessionRow {
        let row = try sessions.row(id)
        guard row.repositoryID == repository.id else {
            throw PlueError.invalidInput("session \(id) belongs to \(row.owner)/\(row.repositoryName), not \(repository.fullName)")
        }
        return row
    }
}
