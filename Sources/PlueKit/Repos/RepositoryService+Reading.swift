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
    public func contents(_ fullName: String, path: String = "", ref: String? = nil, as principal: Principal) throws -> GitPathContents {
        let path = try Validation.treePath(path)
        let repository = try find(fullName, as: principal)
        let revision = try revision(ref, in: repository)
        return try readingHistory(repository, revision) { try $0.contents(at: revision, path: path) }
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
