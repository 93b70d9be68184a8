import Foundation

/// Agent sessions: a private working copy of one repository, every state of which is recorded as a
/// commit kept under refs/plue/keep/, with an operation log in the database. Sessions never move
/// refs/heads/*.
public struct SessionService: Sendable {
    let home: PlueHome
    let database: AppDatabase
    let repositories: RepositoryService

    /// Files larger than this are reported and left out of snapshots unless a command says otherwise.
    public static let defaultMaxFileSize: Int64 = 1 << 20

    public func new(repository fullName: String, base: String? = nil, title: String = "") throws -> Session {
        let repository = try repositories.find(fullName)
        let baseBranch = try RepositoryService.validatedBranch(base ?? repository.defaultBranch)
        let git = try repositories.openGit(repository)
        guard let baseCommit = try git.referenceTarget("refs/heads/" + baseBranch) else {
            throw PlueError.notFound("\(repository.fullName) has no branch \(baseBranch) to start from; push it first or pass --base")
        }
        return try start(repository, baseBranch: baseBranch, baseCommit: baseCommit, from: nil, title: title,
                         kind: "new", description: "start from \(baseBranch) at \(baseCommit.prefix(12))")
    }

    /// A new, independent session from a state of `id`: the change at `revision`, or the view
    /// `operation` left, or its working copy now. The original is untouched.
    public func fork(_ id: String, at revision: String? = nil, operation: Int64? = nil, title: String? = nil) throws -> Session {
        guard revision == nil || operation == nil else { throw PlueError.usage("give --at or --op, not both") }
        let original = try show(id)
        let start: String
        if let operation {
            guard let view = try database.operations(sessionID: id).first(where: { $0.id == operation }) else {
                throw PlueError.notFound("session \(id) has no operation \(operation); list them with `plue session ops \(id)`")
            }
            start = view.workingCopy
        } else if let revision {
            start = try resolve(revision, id)
        } else {
            start = original.workingCopy
        }
        let repository = try repositories.find(original.repository)
        return try self.start(repository, baseBranch: original.baseBranch, baseCommit: original.baseCommit, from: start,
                              title: title ?? original.title, kind: "fork", description: "fork of session \(id) at \(start.prefix(12))")
    }

    /// Makes the session directory, checks out the starting state, records the first operation.
    /// `from` is an existing commit to start on; nil writes a new empty change on the base commit.
    private func start(_ repository: Repository, baseBranch: String, baseCommit: String, from: String?, title: String,
                       kind: String, description: String) throws -> Session {
        let title = try Self.validatedTitle(title)
        let author = try repositories.owner(named: repository.owner)
        let id = Self.newID()
        let directory = home.sessionsPath + "/" + id
        do {
            try FileSystem.createDirectory(directory + "/work", mode: 0o755)
            let workspace = try GitWorkspace(repositoryPath: repository.path, workdir: directory + "/work", indexPath: directory + "/index")
            let workingCopy: String
            if let from {
                workingCopy = from
            } else {
                workingCopy = try workspace.repository.writeCommit(
                    tree: try workspace.repository.changeCommit(baseCommit).tree, parents: [baseCommit],
                    author: (author.name, author.email), message: "", changeID: ChangeID.random())
            }
            try workspace.checkout(tree: try workspace.repository.changeCommit(workingCopy).tree)
            try workspace.repository.keep(workingCopy)
            try database.createSession(
                id: id, repositoryID: repository.id, title: title, baseBranch: baseBranch, baseCommit: baseCommit,
                first: NewOperation(kind: kind, description: description, workingCopy: workingCopy), at: Timestamp.now())
        } catch {
            try? FileSystem.remove(directory)
            throw error
        }
        let session = try show(id)
        try syncBookmark(session, in: GitRepository.open(repository.path))
        return session
    }

    public func list(repository fullName: String? = nil, all: Bool = false) throws -> [Session] {
        let repositoryID = try fullName.map { try repositories.find($0).id }
        return try database.sessions(repositoryID: repositoryID, includeInactive: all).map(session)
    }

    public func show(_ id: String) throws -> Session {
        try session(row(id))
    }

    public func operations(_ id: String) throws -> [SessionOperation] {
        try database.operations(sessionID: row(id).id)
    }

    /// Records the working directory as the current change; an operation only when something changed.
    public func snapshot(_ id: String, message: String? = nil, maxFileSize: Int64 = defaultMaxFileSize) throws -> SnapshotResult {
        let context = try activeContext(id)
        let (tree, skipped) = try context.workspace.snapshotTree(maxFileSize: maxFileSize)
        guard tree != context.current.tree else {
            return SnapshotResult(session: context.session, operation: nil, skipped: skipped)
        }
        let rewritten = try context.write(tree: tree, parents: context.current.parents, message: context.current.message,
                                          changeID: context.current.changeID ?? ChangeID.random())
        let operation = try record(context, NewOperation(kind: "snapshot", description: message ?? "snapshot working copy",
                                                         workingCopy: rewritten))
        return SnapshotResult(session: try show(id), operation: operation, skipped: skipped)
    }

    /// Snapshots, describes the current change with `message`, and starts a new empty change on top.
    public func commit(_ id: String, message: String, maxFileSize: Int64 = defaultMaxFileSize) throws -> SnapshotResult {
        let message = try Self.validatedMessage(message)
        let context = try activeContext(id)
        let (tree, skipped) = try context.workspace.snapshotTree(maxFileSize: maxFileSize)
        let described = try context.write(tree: tree, parents: context.current.parents, message: message,
                                          changeID: context.current.changeID ?? ChangeID.random())
        let next = try context.write(tree: tree, parents: [described], message: "", changeID: ChangeID.random())
        let operation = try record(context, NewOperation(kind: "commit", description: message.split(separator: "\n").first.map(String.init) ?? "",
                                                         workingCopy: next))
        return SnapshotResult(session: try show(id), operation: operation, skipped: skipped)
    }

    /// The changes from the base commit to the working copy, newest first.
    public func changes(_ id: String) throws -> [SessionChange] {
        let row = try row(id)
        let git = try repositories.openGit(repositories.find("\(row.owner)/\(row.repositoryName)"))
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
        let workspace: GitWorkspace
        let current: GitChangeCommit
        let author: User
        /// Held for as long as the context lives.
        let lock: SessionLock

        func write(tree: String, parents: [String], message: String, changeID: String) throws -> String {
            let commit = try workspace.repository.writeCommit(tree: tree, parents: parents, author: (author.name, author.email),
                                                              message: message, changeID: changeID)
            try workspace.repository.keep(commit)
            return commit
        }
    }

    func activeContext(_ id: String, allowInactive: Bool = false) throws -> Context {
        let row = try row(id)
        guard allowInactive || row.status == Session.Status.active.rawValue else {
            throw PlueError.failed("session \(id) is \(row.status); fork it to keep working from it")
        }
        let directory = home.sessionsPath + "/" + id
        guard FileSystem.isDirectory(directory + "/work") else {
            throw PlueError.failed("the working directory of session \(id) is missing at \(directory)/work; its history is kept: fork the session to get a new one")
        }
        let repositoryPath = home.repositoryPath(owner: row.owner, name: row.repositoryName)
        let lock = try SessionLock(directory: directory, staleGitLocks: [
            directory + "/index.lock", repositoryPath + "/" + Session.bookmark(id: id) + ".lock",
        ])
        // Read again under the lock: another command may have recorded an operation meanwhile.
        let fresh = try self.row(id)
        let workspace = try GitWorkspace(repositoryPath: repositoryPath, workdir: directory + "/work", indexPath: directory + "/index")
        let head = try workspace.repository.changeCommit(fresh.workingCopy)
        let current = session(fresh, changeID: head.changeID)
        try syncBookmark(current, in: workspace.repository)
        return Context(session: current, row: fresh, workspace: workspace, current: head,
                       author: try repositories.owner(named: fresh.owner), lock: lock)
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
        let operation = try database.appendOperation(sessionID: context.row.id, parent: context.row.headOperationID, new, at: Timestamp.now())
        try context.workspace.repository.moveReference(context.session.bookmark, to: new.workingCopy,
                                                       expecting: context.session.workingCopy, message: "plue: \(new.kind)")
        return operation
    }

    func row(_ id: String) throws -> SessionRow {
        guard id.utf8.count == 16, id.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw PlueError.invalidInput("invalid session id \(Validation.quoted(id)): expected 16 hex digits, as `plue session list` shows")
        }
        guard let row = try database.session(id: id) else {
            throw PlueError.notFound("no session \(id); list sessions with `plue session list --all`")
        }
        return row
    }

    private func session(_ row: SessionRow) throws -> Session {
        let git = try GitRepository.open(home.repositoryPath(owner: row.owner, name: row.repositoryName))
        return session(row, changeID: try git.changeCommit(row.workingCopy).changeID)
    }

    private func session(_ row: SessionRow, changeID: String?) -> Session {
        Session(id: row.id, repository: "\(row.owner)/\(row.repositoryName)", title: row.title, baseBranch: row.baseBranch,
                baseCommit: row.baseCommit, status: Session.Status(rawValue: row.status) ?? .active,
                workdir: home.sessionsPath + "/" + row.id + "/work", createdAt: row.createdAt, workingCopy: row.workingCopy,
                currentChange: changeID ?? "", headOperation: row.headOperationID)
    }

    private static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        let value: UInt64 = generator.next()
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func validatedTitle(_ title: String) throws -> String {
        guard title.count <= 200, !title.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw PlueError.invalidInput("the title must be one line of at most 200 characters")
        }
        return title
    }

    static func validatedMessage(_ message: String) throws -> String {
        guard !message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, message.utf8.count <= 64 * 1024,
              !message.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || $0.value == 0x7F })
        else {
            throw PlueError.invalidInput("the message must be 1 byte to 64 KiB of text, without control characters other than newlines and tabs")
        }
        return message
    }
}
