import Foundation

/// Points where tests stop a runner: between building a result and moving the target, and just
/// after the move, before the land is recorded.
public struct LandRunPauses: Sendable {
    public var beforeTargetUpdate: (@Sendable (LandEntry) throws -> Void)?
    public var afterTargetUpdate: (@Sendable (LandEntry) throws -> Void)?

    public init(beforeTargetUpdate: (@Sendable (LandEntry) throws -> Void)? = nil,
                afterTargetUpdate: (@Sendable (LandEntry) throws -> Void)? = nil) {
        self.beforeTargetUpdate = beforeTargetUpdate
        self.afterTargetUpdate = afterTargetUpdate
    }
}

extension LandingService {
    /// A runner that died this many times on one entry leaves it failed rather than try again.
    static let maxAttempts: Int64 = 5
    /// How often a land is rebuilt when the target keeps moving under it.
    static let maxRebuilds = 10

    /// Processes the queue head by head, calling `report` with each finished entry. With `once` it
    /// returns when the queue is empty; without, it waits for new entries, checking every `poll`
    /// seconds. Several runners may work on one queue: each entry is taken up under the queue's lock.
    /// Needs write on the repository; each entry lands with the rights of whoever it is pushed as.
    public func run(_ fullName: String, once: Bool, poll: Double = 0.5, pauses: LandRunPauses = LandRunPauses(),
                    as principal: Principal, report: (LandEntry) -> Void) throws {
        let repository = try authorizer.repository(fullName, as: principal, needs: .write)
        while true {
            do {
                if let entry = try landNext(repository, pauses: pauses) {
                    // Still checking: its result waits for required workflow runs, and the queue with it.
                    guard entry.state == .checking else {
                        report(entry)
                        continue
                    }
                    if once { return }
                    usleep(UInt32(poll * 1_000_000))
                    continue
                }
            } catch let error as PlueError where error.code == .unavailable && !once {
                // A busy database or a locked ref: the entry stays checking, and a long-running
                // runner tries again rather than stop.
                warnings.emit("warning: \(error.messageWithHint); trying again")
            }
            if once { return }
            usleep(UInt32(poll * 1_000_000))
            // A deleted repository ends the runner.
            _ = try repositories.lookup(fullName)
        }
    }

    /// One pass over every queue with waiting entries, each as `run(once: true)`: what `plue serve`
    /// does in the background. A queue that is busy, or a repository deleted meanwhile, is left for
    /// the next pass; the others go on.
    public func runWaiting(as principal: Principal, report: (LandEntry) -> Void) throws {
        for fullName in try database.repositoriesWithWaitingLands() {
            do {
                try run(fullName, once: true, as: principal, report: report)
            } catch let error as PlueError where error.code == .unavailable || error.code == .notFound {
                warnings.emit("warning: the landing queue of \(fullName): \(error.messageWithHint); trying again later")
            }
        }
    }

    /// Takes up the head of the queue under the queue's lock; nil when the queue is empty.
    func landNext(_ repository: Repository, pauses: LandRunPauses) throws -> LandEntry? {
        guard try database.hasWaitingLand(repositoryID: repository.id) else { return nil }
        try FileSystem.createDirectory(home.locksPath, mode: 0o700)
        let lock = try FileLock(path: home.landQueueLockPath(repositoryID: repository.id), wait: nil,
                                busy: PlueError(.unavailable, "cannot lock the landing queue of \(repository.fullName)"))
        defer { withExtendedLifetime(lock) {} }
        guard let entry = try database.startNextLand(repositoryID: repository.id, runner: getpid(), at: Timestamp.now()) else { return nil }
        do {
            return try land(entry, repository, pauses: pauses)
        } catch let error as PlueError where error.code == .unavailable {
            // Busy database, locked ref or session: back in the queue for the next run (left checking,
            // and counted as a runner's death, only if even that write fails).
            try? database.requeueLand(id: entry.id, reason: "waiting: \(error.messageWithHint)")
            throw error
        } catch {
            let reason = (error as? PlueError).map { $0.message } ?? String(describing: error)
            return try finish(entry, repository, LandOutcome(state: .failed, reason: reason))
        }
    }

    private func land(_ entry: LandEntry, _ repository: Repository, pauses: LandRunPauses) throws -> LandEntry {
        let git = try repositories.openGit(repository)
        let targetRef = "refs/heads/" + entry.target
        // A runner that died after moving the target left a result the target now contains.
        if let builtOn = entry.builtOn, let result = entry.result, let tip = try git.referenceTarget(targetRef),
           try git.isAncestor(result, of: tip) {
            return try finishLanded(entry, repository, builtOn: builtOn, result: result)
        }
        // A runner killed while moving the target leaves the target's lock file holding this entry's
        // recorded result. Its runner is dead (this one holds the queue lock it held), and nobody
        // else writes that commit there: the lock is its own, so it goes. Any other lock is kept.
        if let result = entry.result, try git.removeReferenceLock(targetRef, holding: result) {
            warnings.emit("warning: removed \(git.path)/\(targetRef).lock, left by a runner killed while landing entry \(entry.id)")
        }
        guard entry.attempts <= Self.maxAttempts else {
            return try finish(entry, repository, LandOutcome(
                state: .failed, reason: "a runner stopped \(entry.attempts - 1) times while landing this entry; look into it, then queue it again"))
        }
        // A session is held from the check that it has not moved until it is marked landed, so no
        // snapshot or turn can slip in between (a busy session puts the entry back in the queue).
        let sessionLock = try lockSession(of: entry)
        defer { withExtendedLifetime(sessionLock) {} }
        if let moved = try sourceMoved(entry, repository, git) {
            return try finish(entry, repository, LandOutcome(state: .stale, reason: moved))
        }
        // A land is pushed as its requester (a branch) or its session's owner, with the rights they
        // have now, not when it was queued.
        if let name = try landerName(of: entry, repository) {
            let lander = try database.user(named: name)
            let permission = try lander.flatMap { try authorizer.permission(of: .user($0), on: repository) }
            if permission.map({ $0 < .write }) ?? true {
                return try finish(entry, repository, LandOutcome(
                    state: .failed, reason: "\(name) no longer has write access to \(repository.fullName), so this land was not pushed"))
            }
        }
        let required = try database.requiredWorkflows(repositoryID: repository.id, branch: entry.target)
        // A result built earlier whose required runs were started: land it, fail, or go on waiting,
        // as long as the target has not moved since (else build again, and run them again).
        if !required.isEmpty, let builtOn = entry.builtOn, let result = entry.result,
           try git.referenceTarget(targetRef) == builtOn, let checked = try checkRuns(entry, repository, git, builtOn: builtOn, result: result) {
            return checked
        }
        let builder = try self.builder(for: entry, repository, git)
        for _ in 0..<Self.maxRebuilds {
            guard let tip = try git.referenceTarget(targetRef) else {
                return try finish(entry, repository, LandOutcome(
                    state: .failed, reason: "the target branch \(entry.target) no longer exists; push it, then queue the land again"))
            }
            switch try builder.build(head: entry.headCommit, onto: tip) {
            case .contained:
                var outcome = LandOutcome(state: .landed, reason: "already part of \(entry.target) at \(tip.prefix(12)); nothing moved",
                                          result: tip)
                if case .session(let id) = entry.source { outcome.landedSession = id }
                return try finish(entry, repository, outcome)
            case .conflicted(let reason, let conflicts):
                return try finish(entry, repository, LandOutcome(state: .conflicted, reason: reason, conflicts: conflicts))
            case .built(let result):
                // Only the runner holding this repository's queue lock writes land refs.
                try git.setReference(entry.ref, to: result, message: "plue: land \(entry.id) on \(tip)", soleWriter: true)
                try database.recordLandBuild(id: entry.id, builtOn: tip, result: result)
                if !required.isEmpty {
                    let runs = try workflows.startLandRuns(repository, git: git, entryID: entry.id, target: entry.target, result: result,
                                                           required: required)
                    return try database.waitForLandChecks(
                        id: entry.id, reason: "\(Self.waitingForChecks) \(runs.map(String.init).joined(separator: ", ")) on \(result.prefix(12))")
                }
                try pauses.beforeTargetUpdate?(entry)
                do {
                    try git.moveReference(targetRef, to: result, expecting: tip, message: "plue: land \(entry.id)")
                } catch let error as PlueError where error.code == .unavailable {
                    // Someone pushed (or is pushing) meanwhile: build again on the new tip.
                    usleep(20_000)
                    continue
                }
                try pauses.afterTargetUpdate?(entry)
                return try finishLanded(entry, repository, builtOn: tip, result: result)
            }
        }
        if git.referenceIsLocked(targetRef) {
            // Not one a runner of this entry left (that one went above): a push may hold it.
            return try finish(entry, repository, LandOutcome(
                state: .failed,
                reason: "\(entry.target) stayed locked (\(git.path)/\(targetRef).lock) through \(Self.maxRebuilds) attempts; if no push is running, remove that file, then queue the entry again"))
        }
        return try finish(entry, repository, LandOutcome(
            state: .failed, reason: "\(entry.target) moved \(Self.maxRebuilds) times while this entry was built; queue it again"))
    }

    /// The required runs of a built result: nil when it has none (build again), the entry still
    /// waiting while one runs, failed when one did not succeed, landed when all did.
    private func checkRuns(_ entry: LandEntry, _ repository: Repository, _ git: GitRepository, builtOn: String,
                           result: String) throws -> LandEntry? {
        let runs = try database.landRuns(entryID: entry.id, commit: result)
        guard !runs.isEmpty else { return nil }
        if let failed = runs.first(where: { $0.status.isFinished && $0.status != .success }) {
            return try finish(entry, repository, LandOutcome(
                state: .failed,
                reason: "required workflow '\(failed.name)' did not succeed on the result \(result.prefix(12)): run \(failed.id) ended \(failed.status.rawValue); see `plue workflow show \(failed.id)`"))
        }
        if runs.contains(where: { !$0.status.isFinished }) {
            return try database.waitForLandChecks(
                id: entry.id, reason: "\(Self.waitingForChecks) \(runs.map { String($0.id) }.joined(separator: ", ")) on \(result.prefix(12))")
        }
        let targetRef = "refs/heads/" + entry.target
        do {
            try git.moveReference(targetRef, to: result, expecting: builtOn, message: "plue: land \(entry.id)")
        } catch let error as PlueError where error.code == .unavailable {
            // Pushed meanwhile: build on the new tip, and check that result.
            return nil
        }
        return try finishLanded(entry, repository, builtOn: builtOn, result: result)
    }

    private func lockSession(of entry: LandEntry) throws -> SessionLock? {
        guard case .session(let id) = entry.source else { return nil }
        let directory = home.sessionPath(id)
        // A session without its folder is reported stale below.
        guard FileSystem.isDirectory(directory) else { return nil }
        return try SessionLock(directory: directory, staleGitLocks: [], wait: 2)
    }

    /// Why the entry is stale, or nil when its source still has the head it was queued with.
    private func sourceMoved(_ entry: LandEntry, _ repository: Repository, _ git: GitRepository) throws -> String? {
        let now: String?
        switch entry.source {
        case .session(let id):
            guard let row = try database.session(id: id) else { return "session \(id) no longer exists" }
            guard row.status != Session.Status.landed.rawValue else { return "session \(id) has landed already" }
            now = try Self.sessionHead(row, in: git)
        case .branch(let name):
            now = try git.referenceTarget("refs/heads/" + name)
        }
        guard let now else { return "\(entry.source.description) was deleted after it was queued" }
        guard now == entry.headCommit else {
            return "\(entry.source.description) moved from \(entry.headCommit.prefix(12)) to \(now.prefix(12)) after it was queued; queue it again"
        }
        return nil
    }

    private func builder(for entry: LandEntry, _ repository: Repository, _ git: GitRepository) throws -> LandBuilder {
        let lander = try pusher(of: entry, repository)
        let identity = lander.map { ($0.name, $0.email) } ?? ("Plue", "plue@localhost")
        var title = ""
        if case .session(let id) = entry.source { title = try database.session(id: id)?.title ?? "" }
        let label: String
        switch entry.source {
        case .session(let id): label = "session \(id)" + (title.isEmpty ? "" : ": \(title)")
        case .branch(let name): label = "branch '\(name)'"
        }
        let fallback: String
        switch entry.strategy {
        case .merge: fallback = "Merge \(label) into \(entry.target)"
        case .squash: fallback = title.isEmpty ? "Squash \(label)" : title
        case .rebase: fallback = title.isEmpty ? "Changes from \(label)" : title
        }
        return LandBuilder(git: git, strategy: entry.strategy, lander: identity, message: entry.message, defaultMessage: fallback,
                           sourceLabel: entry.source.description, target: entry.target)
    }

    /// Who the land's push event names: the session's owner (the repository's owner for one the
    /// operator started), or whoever queued a branch.
    private func pusher(of entry: LandEntry, _ repository: Repository) throws -> User? {
        try landerName(of: entry, repository).flatMap { try database.user(named: $0) }
    }

    private func landerName(of entry: LandEntry, _ repository: Repository) throws -> String? {
        switch entry.source {
        case .session(let id): return try database.session(id: id)?.ownerName ?? repository.owner
        case .branch: return entry.requestedBy
        }
    }

    private func finishLanded(_ entry: LandEntry, _ repository: Repository, builtOn: String, result: String) throws -> LandEntry {
        var outcome = LandOutcome(state: .landed, reason: "landed on \(entry.target) by \(entry.strategy.rawValue) as \(result.prefix(12))",
                                  result: result)
        outcome.push = RefUpdate(oldCommit: builtOn, newCommit: result, ref: "refs/heads/" + entry.target)
        outcome.pusherID = try pusher(of: entry, repository)?.id
        outcome.sizeBytes = FileSystem.diskUsage(repository.path)
        if case .session(let id) = entry.source { outcome.landedSession = id }
        let finished = try finish(entry, repository, outcome)
        do {
            try GitMaintenance.packReferencesIfNeeded(gitDirectory: repository.path)
        } catch {
            warnings.emit("warning: \(error)")
        }
        return finished
    }

    private func finish(_ entry: LandEntry, _ repository: Repository, _ outcome: LandOutcome) throws -> LandEntry {
        try database.finishLand(id: entry.id, repositoryID: repository.id, outcome, at: Timestamp.now())
    }
}
