import Foundation

/// Agent sessions: a private working copy of one repository, every state of which is recorded as a
/// commit kept under refs/plue/keep/, with an operation log in the database. Sessions never move
/// refs/heads/*.
public struct SessionService: Sendable {
    let home: PlueHome
    let database: AppDatabase
    let repositories: RepositoryService
    let authorizer: Authorizer
    /// How long a command waits for another one working on the same session (a turn holds its
    /// session while its agent runs) before it exits 75 naming it.
    var lockWait: Double = 0
    /// Whether a read of `@` snapshots the working directory first (see `recordingNothing`).
    var snapshotsReads = true
    /// The command line's limit for new files, over the session's own and the default.
    var newFileLimit: Int64?
    var pauses = SessionPauses()

    /// New files larger than this are reported and left out of snapshots unless the session or
    /// the command says otherwise (Jujutsu's snapshot.max-new-file-size); files already recorded
    /// are always recorded again.
    public static let defaultMaxNewFileSize: Int64 = 1 << 20

    init(home: PlueHome, database: AppDatabase, repositories: RepositoryService, authorizer: Authorizer) {
        self.home = home
        self.database = database
        self.repositories = repositories
        self.authorizer = authorizer
    }

    /// The same service for a caller that may only read (a `read:repository` token): a read of
    /// `@` shows the last recorded state, without the snapshot that would record an operation.
    public func recordingNothing() -> SessionService {
        var copy = self
        copy.snapshotsReads = false
        return copy
    }

    /// The same service with commands waiting up to `seconds` for a busy session.
    public func waiting(_ seconds: Double) -> SessionService {
        var copy = self
        copy.lockWait = max(0, seconds)
        return copy
    }

    /// The same service holding new files to `bytes` (nil: the session's own limit or the default).
    public func limitingNewFiles(to bytes: Int64?) -> SessionService {
        var copy = self
        copy.newFileLimit = bytes
        return copy
    }

    public func pausing(_ pauses: SessionPauses) -> SessionService {
        var copy = self
        copy.pauses = pauses
        return copy
    }

    /// Needs write on the repository; the session is the principal's (the operator's: nobody's).
    public func new(repository fullName: String, base: String? = nil, title: String = "", maxNewFileSize: Int64? = nil,
                    as principal: Principal) throws -> Session {
        if let maxNewFileSize { try Self.validateLimit(maxNewFileSize) }
        let repository = try authorizer.repository(fullName, as: principal, needs: .write)
        let owner = try Authorizer.sessionOwner(principal)
        let baseBranch = try Validation.branchName(base ?? repository.defaultBranch)
        let git = try repositories.openGit(repository)
        guard let baseCommit = try git.referenceTarget("refs/heads/" + baseBranch) else {
            throw PlueError.notFound("\(repository.fullName) has no branch \(baseBranch) to start from", hint: "push it first or pass --base")
        }
        return try start(repository, owner: owner, baseBranch: baseBranch, baseCommit: baseCommit, from: nil, modes: FileModes(),
                         title: title, maxNewFileSize: maxNewFileSize, kind: "new",
                         description: "start from \(baseBranch) at \(baseCommit.prefix(12))")
    }

    /// A new, independent session from a state of `id`: the change at `revision`, or the view
    /// `operation` left, or its working copy now. The original is untouched. Needs to see the
    /// original and write on its repository, as a new session does; the fork is the principal's.
    public func fork(_ id: String, at revision: String? = nil, operation: Int64? = nil, title: String? = nil,
                     as principal: Principal) throws -> Session {
        guard revision == nil || operation == nil else { throw PlueError.usage("a fork starts from a change or from an operation's view, not both",
                                                                                    hint: "give --at or --op, not both") }
        let row = try authorizer.session(id, as: principal, needs: .read)
        let repository = try authorizer.repository("\(row.repositoryOwner)/\(row.repositoryName)", as: principal, needs: .write)
        let owner = try Authorizer.sessionOwner(principal)
        let original = try current(id)
        let start: String
        var modes = FileModes()
        if let operation {
            guard let view = try database.operations(sessionID: id).first(where: { $0.id == operation }) else {
                throw PlueError.notFound("session \(id) has no operation \(operation)", hint: "list them with `plue session ops \(id)`")
            }
            start = view.workingCopy
            modes = view.modes
        } else if let revision {
            start = try revisionCommit(revision, id)
        } else {
            start = original.workingCopy
            modes = row.modes
        }
        return try self.start(repository, owner: owner, baseBranch: original.baseBranch, baseCommit: original.baseCommit, from: start,
                              modes: modes, title: title ?? original.title, maxNewFileSize: row.maxNewFileSize,
                              kind: "fork", description: "fork of session \(id) at \(start.prefix(12))")
    }

    /// Makes the session directory, checks out the starting state, records the first operation.
    /// `from` is an existing commit to start on; nil writes a new empty change on the base commit.
    private func start(_ repository: Repository, owner: Int64?, baseBranch: String, baseCommit: String, from: String?, modes: FileModes,
                       title: String, maxNewFileSize: Int64?, kind: String, description: String) throws -> Session {
        let title = try Self.validatedTitle(title)
        let author = try repositories.owner(named: repository.owner)
        let id = Self.newID()
        let files = SessionFiles(home: home, id: id)
        // Assembled aside and moved into place in the transaction that records it: a command killed
        // on the way leaves only the staging folder, which `session gc` removes.
        let staging = SessionFiles(directory: SessionFiles.staging(home: home, id: id))
        do {
            try FileSystem.createDirectory(staging.workdir, mode: 0o755)
            let workspace = try GitWorkspace(repositoryPath: repository.path, workdir: staging.workdir, indexPath: staging.index)
            let workingCopy: String
            if let from {
                workingCopy = from
            } else {
                workingCopy = try workspace.repository.writeCommit(
                    tree: try workspace.repository.changeCommit(baseCommit).tree, parents: [baseCommit],
                    author: (author.name, author.email), message: "", changeID: ChangeID.random())
            }
            let tree = try workspace.repository.changeCommit(workingCopy).tree
            _ = try workspace.move(from: nil, to: tree, oldModes: FileModes(), newModes: modes, scratch: staging.scratch,
                                   trash: staging.trash(operation: 0))
            try workspace.makeAgentRepository(branch: baseBranch, commit: baseCommit, author: (author.name, author.email),
                                              indexIsBase: tree == (try workspace.repository.changeCommit(baseCommit).tree))
            try workspace.repository.keep(workingCopy)
            try database.createSession(
                id: id, repositoryID: repository.id, ownerID: owner, title: title, baseBranch: baseBranch, baseCommit: baseCommit,
                maxNewFileSize: maxNewFileSize,
                first: NewOperation(kind: kind, description: description, workingCopy: workingCopy, modes: modes), at: Timestamp.now()) {
                try FileSystem.rename(staging.directory, to: files.directory)
            }
        } catch {
            try? FileSystem.remove(staging.directory)
            throw error
        }
        let session = try current(id)
        try syncBookmark(session, in: GitRepository.open(repository.path))
        return session
    }

    /// The sessions the principal may see, all or those of one repository it may read.
    public func list(repository fullName: String? = nil, all: Bool = false, as principal: Principal) throws -> [Session] {
        let repositoryID = try fullName.map { try repositories.find($0, as: principal).id }
        return try authorizer.visible(database.sessions(repositoryID: repositoryID, includeInactive: all), to: principal).map(session)
    }

    public func show(_ id: String, as principal: Principal) throws -> Session {
        try session(authorizer.session(id, as: principal, needs: .read))
    }

    /// The session as recorded now, whoever asks: for callers that authorized already.
    func current(_ id: String) throws -> Session {
        try session(row(id))
    }

    public func operations(_ id: String, as principal: Principal) throws -> [SessionOperation] {
        try database.operations(sessionID: authorizer.session(id, as: principal, needs: .read).id)
    }

    /// Records the working directory as the current change; an operation only when something changed.
    public func snapshot(_ id: String, message: String? = nil, as principal: Principal) throws -> SnapshotResult {
        let message = try message.map(Self.validatedMessage)
        _ = try authorizer.session(id, as: principal, needs: .write)
        return try snapshot(try activeContext(id), message: message)
    }

    func snapshot(_ context: Context, message: String? = nil) throws -> SnapshotResult {
        let found = try context.workspace.snapshotTree(maxNewFileSize: newFileLimit(context.row))
        guard found.tree != context.current.tree || found.modes != context.row.modes else {
            return SnapshotResult(session: context.session, operation: nil, skipped: found.skipped)
        }
        let rewritten = found.tree == context.current.tree ? context.current.commit
            : try context.write(tree: found.tree, parents: context.current.parents, message: context.current.message,
                                changeID: context.current.changeID ?? ChangeID.random())
        let operation = try record(context, NewOperation(kind: "snapshot", description: message ?? "snapshot working copy",
                                                         workingCopy: rewritten, modes: found.modes))
        return SnapshotResult(session: try current(context.session.id), operation: operation, skipped: found.skipped)
    }

    /// Snapshots, describes the current change with `message`, and starts a new empty change on top.
    public func commit(_ id: String, message: String, as principal: Principal) throws -> SnapshotResult {
        _ = try authorizer.session(id, as: principal, needs: .write)
        let message = try Self.validatedMessage(message)
        let context = try activeContext(id)
        let found = try context.workspace.snapshotTree(maxNewFileSize: newFileLimit(context.row))
        let described = try context.write(tree: found.tree, parents: context.current.parents, message: message,
                                          changeID: context.current.changeID ?? ChangeID.random())
        let next = try context.write(tree: found.tree, parents: [described], message: "", changeID: ChangeID.random())
        let operation = try record(context, NewOperation(kind: "commit", description: message.split(separator: "\n").first.map(String.init) ?? "",
                                                         workingCopy: next, modes: found.modes))
        return SnapshotResult(session: try current(id), operation: operation, skipped: found.skipped)
    }

    /// Sets the session's own limit for new files (nil: back to the default).
    public func configure(_ id: String, maxNewFileSize: Int64?, as principal: Principal) throws -> SessionSettings {
        _ = try authorizer.session(id, as: principal, needs: .write)
        if let maxNewFileSize { try Self.validateLimit(maxNewFileSize) }
        let context = try activeContext(id, allowInactive: true)
        try database.setMaxNewFileSize(sessionID: context.row.id, maxNewFileSize)
        return Self.settings(try row(id))
    }

    public func settings(_ id: String, as principal: Principal) throws -> SessionSettings {
        Self.settings(try authorizer.session(id, as: principal, needs: .read))
    }

    private static func settings(_ row: SessionRow) -> SessionSettings {
        SessionSettings(maxNewFileSize: row.maxNewFileSize ?? defaultMaxNewFileSize, isDefault: row.maxNewFileSize == nil)
    }

    func newFileLimit(_ row: SessionRow) -> Int64 {
        newFileLimit ?? row.maxNewFileSize ?? Self.defaultMaxNewFileSize
    }

    static func validateLimit(_ bytes: Int64) throws {
        guard bytes >= 0 else {
            throw PlueError.invalidInput("the limit for new files must be 0 or more bytes", hint: "give --max-new-file-size 0 or more")
        }
    }

    /// The changes from the base commit to the working copy, newest first.
    public func changes(_ id: String, as principal: Principal) throws -> [SessionChange] {
        try changes(of: authorizer.session(id, as: principal, needs: .read))
    }

    func changes(of row: SessionRow) throws -> [SessionChange] {
        let git = try repositories.openGit(repositories.lookup("\(row.repositoryOwner)/\(row.repositoryName)"))
        var result: [SessionChange] = []
        var cursor: String? = row.workingCopy
        while let commit = cursor, commit != row.baseCommit, result.count < 100_000 {
            let details = try git.changeCommit(commit)
            guard let changeID = details.changeID else { break }
            let parentTree = try details.parents.first.map { try git.changeCommit($0).tree }
            result.append(SessionChange(changeID: changeID, commit: commit, description: details.message, parents: details.parents,
                                        filesChanged: try git.changedPaths(from: parentTree, to: details.tree)))
            cursor = details.parents.first
        }
        return result
    }

    // MARK: - Internals

    struct Context {
        let session: Session
        let row: SessionRow
        let files: SessionFiles
        let workspace: GitWorkspace
        let current: GitChangeCommit
        let author: User
        /// Held for as long as the context lives.
        let lock: SessionLock
        let report = MoveReport()

        func write(tree: String, parents: [String], message: String, changeID: String) throws -> String {
            let commit = try workspace.repository.writeCommit(tree: tree, parents: parents, author: (author.name, author.email),
                                                              message: message, changeID: changeID)
            try workspace.repository.keep(commit)
            return commit
        }
    }

    /// Locks the session for one command, finishes what a killed command left (a move of the
    /// working directory, a turn), and reads its state.
    func activeContext(_ id: String, allowInactive: Bool = false) throws -> Context {
        let lock = try lockSession(id)
        return try context(id, lock: lock, allowInactive: allowInactive)
    }

    /// The session's lock, waiting up to `lockWait` seconds; a busy session's error names the
    /// running turn. Leftovers of killed commands are dealt with before it is returned.
    func lockSession(_ id: String) throws -> SessionLock {
        let row = try row(id)
        let files = SessionFiles(home: home, id: id)
        try files.verify(id: id)
        let repositoryPath = home.repositoryPath(owner: row.repositoryOwner, name: row.repositoryName)
        let lock = try SessionLock(directory: files.directory, staleGitLocks: [
            files.index + ".lock", repositoryPath + "/" + Session.bookmark(id: id) + ".lock",
        ], wait: lockWait, busy: busyError(id))
        try finishInterruptedWork(id, lock: lock)
        return lock
    }

    /// A busy session (503 over HTTP): what holds it, in words; what to do, at the command line, as the hint.
    func busyError(_ id: String) -> PlueError {
        if let turn = try? database.turns(sessionID: id).last(where: { $0.state == .running }) {
            return PlueError(.unavailable, "turn \(turn.number) of session \(id) is running (since \(Timestamp.iso8601(turn.startedAt))); "
                             + "try again when it has ended, or abort the session to stop it",
                             hint: "wait for it (--wait SECONDS) or stop it with `plue session abort \(id)`")
        }
        return PlueError(.unavailable, "another request is working on session \(id); try again when it is done",
                         hint: "pass --wait SECONDS to wait for it")
    }

    /// The session's state, read under its lock.
    func context(_ id: String, lock: SessionLock, allowInactive: Bool = false) throws -> Context {
        let fresh = try row(id)
        guard allowInactive || fresh.status == Session.Status.active.rawValue else {
            throw PlueError.failed("session \(id) is \(fresh.status); fork it to keep working from it")
        }
        let files = SessionFiles(home: home, id: id)
        let repositoryPath = home.repositoryPath(owner: fresh.repositoryOwner, name: fresh.repositoryName)
        let workspace = try GitWorkspace(repositoryPath: repositoryPath, workdir: files.workdir, indexPath: files.index)
        let head = try workspace.repository.changeCommit(fresh.workingCopy)
        let current = session(fresh, changeID: head.changeID)
        try syncBookmark(current, in: workspace.repository)
        return Context(session: current, row: fresh, files: files, workspace: workspace, current: head,
                       author: try repositories.owner(named: fresh.repositoryOwner), lock: lock)
    }

    /// The operation log is the record; the bookmark ref follows it, and is set again when a
    /// process died between the two.
    func syncBookmark(_ session: Session, in git: GitRepository) throws {
        let target = try git.referenceTarget(session.bookmark)
        guard target != session.workingCopy else { return }
        try git.moveReference(session.bookmark, to: session.workingCopy, expecting: target, message: "plue: session \(session.id)")
    }

    /// Appends the operation (its view keeps the visible turns unless it says otherwise) and moves the bookmark.
    func record(_ context: Context, _ new: NewOperation, visibleTurns: [Int64]? = nil) throws -> SessionOperation {
        var new = new
        new.visibleTurns = visibleTurns ?? context.row.visibleTurns
        new.modes = new.modes ?? context.row.modes
        let operation = try database.appendOperation(sessionID: context.row.id, parent: context.row.headOperationID, new, at: Timestamp.now())
        try context.workspace.repository.moveReference(context.session.bookmark, to: new.workingCopy,
                                                       expecting: context.session.workingCopy, message: "plue: \(new.kind)")
        try maintain(context)
        return operation
    }

    /// Packs what sessions wrote once enough is loose. The operation is recorded already, so a
    /// failure here is reported, not raised.
    func maintain(_ context: Context) throws {
        do {
            let path = context.workspace.repository.path
            if try !GitMaintenance.packObjectsIfNeeded(gitDirectory: path) {
                // Every operation leaves a keep ref: packed past a few dozen, as after pushes.
                try GitMaintenance.packReferencesIfNeeded(gitDirectory: path)
            }
        } catch {
            WarningSink().emit("plue: warning: \(error)")
        }
    }

    /// The session's row, whoever asks: for callers that authorized already.
    func row(_ id: String) throws -> SessionRow {
        guard SessionID.isValid(id) else { throw Authorizer.invalidSessionID(id) }
        guard let row = try database.session(id: id) else { throw Authorizer.noSession(id) }
        return row
    }

    private func session(_ row: SessionRow) throws -> Session {
        let git = try GitRepository.open(home.repositoryPath(owner: row.repositoryOwner, name: row.repositoryName))
        return session(row, changeID: try git.changeCommit(row.workingCopy).changeID)
    }

    private func session(_ row: SessionRow, changeID: String?) -> Session {
        Session(id: row.id, repository: "\(row.repositoryOwner)/\(row.repositoryName)", owner: row.ownerName, title: row.title,
                baseBranch: row.baseBranch,
                baseCommit: row.baseCommit, status: Session.Status(rawValue: row.status) ?? .active,
                workdir: SessionFiles(home: home, id: row.id).workdir, createdAt: row.createdAt, workingCopy: row.workingCopy,
                currentChange: changeID ?? "", headOperation: row.headOperationID)
    }

    private static func newID() -> String {
        Hex.random(bytes: 8)
    }

    static func validatedTitle(_ title: String) throws -> String {
        guard title.count <= 200, !Validation.hasControlCharacters(title) else {
            throw PlueError.invalidInput("the title must be one line of at most 200 characters")
        }
        return title
    }

    static func validatedMessage(_ message: String) throws -> String {
        guard !message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, message.utf8.count <= 64 * 1024,
              !Validation.hasControlCharacters(message, allowing: ["\n", "\t"])
        else {
            throw PlueError.invalidInput("the message must be 1 byte to 64 KiB of text, without control characters other than newlines and tabs")
        }
        return message
    }
}
