/// Reading a repository's history and files, through libgit2.
extension RepositoryService {
    public func log(_ fullName: String, ref: String? = nil, limit: Int = 20, as principal: Principal) throws -> [GitCommit] {
        let limit = try Validation.limit(limit)
        return try reading(try find(fullName, as: principal), ref) { git, revision in try git.log(from: revision, limit: limit) }
    }

    /// One page of the history from `ref` (the default branch unless given), newest first, and
    /// how many commits that history holds.
    public func commits(_ fullName: String, ref: String? = nil, page: Page, as principal: Principal) throws -> Paged<GitCommit> {
        let found = try reading(try find(fullName, as: principal), ref) { git, revision in
            try git.history(from: revision, skip: page.offset, limit: page.size)
        }
        return Paged(items: found.commits, total: found.total, page: page)
    }

    /// What `path` names at `ref`: a directory's entries, a file's bytes (a symbolic link's are its
    /// target, never followed), or a submodule. The empty path is the root.
    /// A file over `inlineUpTo` bytes comes without its bytes, which are never read.
    public func contents(_ fullName: String, path: String = "", ref: String? = nil, inlineUpTo: Int64 = .max,
                         as principal: Principal) throws -> GitPathContents {
        let path = try Validation.treePath(path)
        return try reading(try find(fullName, as: principal), ref) { git, revision in
            try git.contents(at: revision, path: path, inlineUpTo: inlineUpTo)
        }
    }

    public func tree(_ fullName: String, ref: String? = nil, path: String = "", as principal: Principal) throws -> [GitTreeEntry] {
        let path = try Validation.treePath(path)
        return try reading(try find(fullName, as: principal), ref) { git, revision in try git.treeEntries(at: revision, path: path) }
    }

    public func cat(_ fullName: String, path: String, ref: String? = nil, as principal: Principal) throws -> [UInt8] {
        let path = try Validation.treePath(path)
        guard !path.isEmpty else {
            throw PlueError.invalidInput("name a file to read", hint: "list the files with `plue repo tree \(fullName)`")
        }
        return try reading(try find(fullName, as: principal), ref) { git, revision in try git.blob(at: revision, path: path) }
    }

    /// The file at `path`: its bytes when it has at most `inlineUpTo`, or else what it takes to
    /// stream them from git (`git cat-file blob OBJECT` in the repository), so that no reader holds
    /// a large file in memory.
    public func rawFile(_ fullName: String, path: String, ref: String? = nil, inlineUpTo: Int64,
                        as principal: Principal) throws -> RawFile {
        let path = try Validation.treePath(path)
        guard !path.isEmpty else {
            throw PlueError.invalidInput("name a file to read", hint: "list the files with `plue repo tree \(fullName)`")
        }
        let repository = try find(fullName, as: principal)
        return try reading(repository, ref) { git, revision in
            let file = try git.fileObject(at: revision, path: path)
            guard file.size > inlineUpTo else { return .bytes(try git.blob(at: revision, path: path)) }
            return .large(RawFile.Large(repository: repository.fullName, gitDirectory: repository.path,
                                        object: file.object, size: file.size))
        }
    }

    /// Runs a read at `ref`, or at the default branch (`refs/heads/NAME`, which a tag of the same
    /// name cannot stand in for), turning "the default branch does not exist yet" into advice.
    /// What `ref` names must be reachable from a ref outside refs/plue/: a session's or a landing's
    /// commits are not the repository's to show, whatever names them (`refs/plue/...`, an id or a
    /// prefix of one, `:/text`), and such a ref gets the answer of one that names nothing.
    func reading<T>(_ repository: Repository, _ ref: String?, _ body: (GitRepository, String) throws -> T) throws -> T {
        let git = try openGit(repository)
        guard let ref else {
            do {
                return try body(git, "refs/heads/" + repository.defaultBranch)
            } catch let error as PlueError where error.code == .notFound {
                if try git.branches().isEmpty {
                    throw PlueError.notFound("\(repository.fullName) has no commits yet; push a branch to it first")
                }
                throw error
            }
        }
        let revision = try Validation.revision(ref)
        // One answer for every revision that does not name a visible commit: one that names
        // nothing, a hidden commit, or an object that is not a commit (`ID:path`, `ID^{tree}`, a
        // blob's id), and an id prefix two objects share; else the answer would tell which
        // objects and paths a session holds. A syntax libgit2 does not read stays bad input: it
        // tells nothing of the repository.
        let missing = PlueError.notFound("no branch, tag or commit named '\(revision)' in this repository",
                                         hint: "name a branch, a tag, or a commit one of them reaches")
        let commit: String
        do {
            commit = try git.commitID(of: revision)
        } catch let error as PlueError where error.code == .notFound
                    || (error.code == .invalidInput && error.message != GitRepository.unreadableSyntax(revision)) {
            throw missing
        }
        guard try git.isReachable(commit, fromAny: git.visibleTips()) else { throw missing }
        return try body(git, commit)
    }
}

/// A file read for a client: its bytes, or where git finds them when they are too many to hold.
public enum RawFile: Sendable, Equatable {
    case bytes([UInt8])
    case large(Large)

    public struct Large: Sendable, Equatable {
        /// `OWNER/NAME`, for the log.
        public let repository: String
        public let gitDirectory: String
        public let object: String
        public let size: Int64

        /// `git cat-file blob OBJECT`; replace refs (`refs/replace/`, which a pusher may push) are
        /// ignored, as libgit2 ignores them for smaller files.
        public var arguments: [String] { ["--no-replace-objects", "--git-dir=" + gitDirectory, "cat-file", "blob", object] }

        /// Starts git with the allow-listed environment, its three standard streams left to the caller.
        public func start() throws -> StreamingChild {
            try ChildProcess.start(try GitCommandLine.executable(), arguments, environment: ChildEnvironment.build(setting: []))
        }
    }
}
