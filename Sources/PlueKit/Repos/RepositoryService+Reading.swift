/// Reading a repository's history and files, through libgit2.
extension RepositoryService {
    public func log(_ fullName: String, ref: String? = nil, limit: Int = 20, as principal: Principal) throws -> [GitCommit] {
        let limit = try Validation.limit(limit)
        let repository = try find(fullName, as: principal)
        let revision = try revision(ref, in: repository)
        return try readingHistory(repository, revision) { try $0.log(from: revision, limit: limit) }
    }

    /// One page of the history from `ref` (the default branch unless given), newest first, and
    /// how many commits that history holds.
    public func commits(_ fullName: String, ref: String? = nil, page: Page, as principal: Principal) throws -> Paged<GitCommit> {
        let repository = try find(fullName, as: principal)
        let revision = try revision(ref, in: repository)
        let found = try readingHistory(repository, revision) { try $0.history(from: revision, skip: page.offset, limit: page.size) }
        return Paged(items: found.commits, total: found.total, page: page)
    }

    /// What `path` names at `ref`: a directory's entries, a file's bytes (a symbolic link's are its
    /// target, never followed), or a submodule. The empty path is the root.
    /// A file over `inlineUpTo` bytes comes without its bytes, which are never read.
    public func contents(_ fullName: String, path: String = "", ref: String? = nil, inlineUpTo: Int64 = .max,
                         as principal: Principal) throws -> GitPathContents {
        let path = try Validation.treePath(path)
        let repository = try find(fullName, as: principal)
        let revision = try revision(ref, in: repository)
        return try readingHistory(repository, revision) { try $0.contents(at: revision, path: path, inlineUpTo: inlineUpTo) }
    }

    public func tree(_ fullName: String, ref: String? = nil, path: String = "", as principal: Principal) throws -> [GitTreeEntry] {
        let path = try Validation.treePath(path)
        let repository = try find(fullName, as: principal)
        let revision = try revision(ref, in: repository)
        return try readingHistory(repository, revision) { try $0.treeEntries(at: revision, path: path) }
    }

    public func cat(_ fullName: String, path: String, ref: String? = nil, as principal: Principal) throws -> [UInt8] {
        let path = try Validation.treePath(path)
        guard !path.isEmpty else {
            throw PlueError.invalidInput("name a file to read", hint: "list the files with `plue repo tree \(fullName)`")
        }
        let repository = try find(fullName, as: principal)
        let revision = try revision(ref, in: repository)
        return try readingHistory(repository, revision) { try $0.blob(at: revision, path: path) }
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
        let revision = try revision(ref, in: repository)
        return try readingHistory(repository, revision) { git in
            let file = try git.fileObject(at: revision, path: path)
            guard file.size > inlineUpTo else { return .bytes(try git.blob(at: revision, path: path)) }
            return .large(RawFile.Large(repository: repository.fullName, gitDirectory: repository.path,
                                        object: file.object, size: file.size))
        }
    }

    private func revision(_ ref: String?, in repository: Repository) throws -> String {
        try ref.map(Validation.revision) ?? repository.defaultBranch
    }

    /// Runs a read, turning "the default branch does not exist yet" into advice.
    private func readingHistory<T>(_ repository: Repository, _ revision: String, _ body: (GitRepository) throws -> T) throws -> T {
        let git = try openGit(repository)
        do {
            return try body(git)
        } catch let error as PlueError where error.code == .notFound && revision == repository.defaultBranch {
            if try git.branches().isEmpty {
                throw PlueError.notFound("\(repository.fullName) has no commits yet; push a branch to it first")
            }
            throw error
        }
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
