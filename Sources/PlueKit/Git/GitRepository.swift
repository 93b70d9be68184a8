import CLibGit2
import Foundation

/// A bare repository opened through libgit2. Not for concurrent use: open one per task.
final class GitRepository {
    let path: String
    private let handle: GitHandle
    var pointer: OpaquePointer { handle.pointer }

    private init(path: String, pointer: OpaquePointer) {
        self.path = path
        self.handle = GitHandle(pointer, release: git_repository_free)
    }

    static func open(_ path: String) throws -> GitRepository {
        GitRuntime.ensureInitialized()
        var pointer: OpaquePointer?
        do {
            try check(git_repository_open_bare(&pointer, path), "cannot open the git repository at \(path)")
        } catch let error as PlueError where error.code == .notFound {
            // The directory exists (callers check) but git does not recognise it: it is damaged.
            throw PlueError.failed("the git directory at \(path) is damaged (not a valid repository); restore it from a backup", cause: error.cause)
        }
        return GitRepository(path: path, pointer: pointer!)
    }

    /// Creates a new bare repository whose HEAD names `refs/heads/<initialBranch>`.
    static func createBare(at path: String, initialBranch: String) throws -> GitRepository {
        GitRuntime.ensureInitialized()
        var options = git_repository_init_options()
        git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION))
        options.flags = GIT_REPOSITORY_INIT_BARE.rawValue | GIT_REPOSITORY_INIT_NO_REINIT.rawValue
            | GIT_REPOSITORY_INIT_MKPATH.rawValue
        var pointer: OpaquePointer?
        let code = initialBranch.withCString { head in
            options.initial_head = head
            return git_repository_init_ext(&pointer, path, &options)
        }
        try check(code, "cannot create a git repository at \(path)")
        return GitRepository(path: path, pointer: pointer!)
    }

    /// Whether `refs/heads/<name>` is a valid branch ref name by git's rules.
    static func isValidBranchName(_ name: String) -> Bool {
        GitRuntime.ensureInitialized()
        var valid: Int32 = 0
        guard git_branch_name_is_valid(&valid, name) == 0 else { return false }
        return valid == 1
    }

    /// Why the folder at `path` is not a readable repository (no HEAD, no objects, a HEAD that
    /// names nothing git accepts), or nil when libgit2 opens it and reads its HEAD and refs.
    static func problem(at path: String) -> String? {
        do {
            let repository = try open(path)
            guard repository.headBranch() != nil || FileSystem.exists(path + "/HEAD") else { return "it has no HEAD" }
            guard FileSystem.isDirectory(path + "/objects") else { return "it has no objects folder" }
            _ = try repository.branches()
            return nil
        } catch let error as PlueError {
            return error.cause ?? error.messageWithHint
        } catch {
            return String(describing: error)
        }
    }

    /// The branch HEAD names, whether or not it has commits yet.
    func headBranch() -> String? {
        var reference: OpaquePointer?
        guard git_reference_lookup(&reference, pointer, "HEAD") == 0, let reference else { return nil }
        defer { git_reference_free(reference) }
        guard let target = git_reference_symbolic_target(reference) else { return nil }
        let name = String(cString: target)
        return name.hasPrefix("refs/heads/") ? String(name.dropFirst("refs/heads/".count)) : nil
    }

    /// Local branches and their tips, sorted by name.
    func branches() throws -> [GitBranch] {
        var iterator: OpaquePointer?
        try check(git_branch_iterator_new(&iterator, pointer, GIT_BRANCH_LOCAL), "cannot list the branches of \(path)")
        defer { git_branch_iterator_free(iterator) }
        var result: [GitBranch] = []
        var reference: OpaquePointer?
        var type = GIT_BRANCH_LOCAL
        while true {
            let code = git_branch_next(&reference, &type, iterator)
            if code == GIT_ITEROVER.rawValue { break }
            try check(code, "cannot list the branches of \(path)")
            guard let reference else { continue }
            defer { git_reference_free(reference) }
            var name: UnsafePointer<CChar>?
            guard git_branch_name(&name, reference) == 0, let name,
                  let target = git_reference_target(reference) else { continue }
            result.append(GitBranch(name: String(cString: name), commit: target.pointee.hex))
        }
        // libgit2 yields packed refs in order, so a listing is usually sorted already: check first.
        var index = 1
        while index < result.count, result[index - 1].name < result[index].name { index += 1 }
        return index >= result.count ? result : result.sorted { $0.name < $1.name }
    }

    /// The commit a revision (branch, tag, commit id, `main~2`) names.
    /// What a revision libgit2 cannot parse gets (`:(top)x`): its syntax alone decides, whatever
    /// the repository holds.
    static func unreadableSyntax(_ revision: String) -> String {
        "'\(revision)' is not a revision Plue reads: name a branch, tag or commit, optionally with ~N or ^N"
    }

    func commit(_ revision: String) throws -> GitHandle {
        var object: OpaquePointer?
        let code = git_revparse_single(&object, pointer, revision)
        // A syntax libgit2 does not read (`:(top)x`, `:/text`) says "unimplemented" with a generic
        // code: the revision as given is not one Plue takes, which is the caller's to fix (65).
        if code == GIT_ERROR.rawValue, let message = git_error_last().map({ String(cString: $0.pointee.message) }),
           message.contains("unimplemented") || message.contains("invalid pattern") {
            throw PlueError.invalidInput(Self.unreadableSyntax(revision))
        }
        try check(code, "no branch, tag or commit named '\(revision)' in this repository")
        defer { git_object_free(object) }
        var peeled: OpaquePointer?
        try check(git_object_peel(&peeled, object, GIT_OBJECT_COMMIT), "'\(revision)' does not name a commit")
        return GitHandle(peeled!, release: git_object_free)
    }

    /// Up to `limit` commits reachable from `revision`, newest first (as `git rev-list --date-order`).
    func log(from revision: String, limit: Int) throws -> [GitCommit] {
        let start = try commit(revision)
        var walker: OpaquePointer?
        try check(git_revwalk_new(&walker, pointer), "cannot walk the history of \(path)")
        defer { git_revwalk_free(walker) }
        git_revwalk_sorting(walker, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue)
        try check(git_revwalk_push(walker, git_commit_id(start.pointer)), "cannot walk the history of \(path)")
        var result: [GitCommit] = []
        var oid = git_oid()
        while result.count < limit {
            let code = git_revwalk_next(&oid, walker)
            if code == GIT_ITEROVER.rawValue { break }
            try check(code, "cannot walk the history of \(path)")
            var commit: OpaquePointer?
            try check(git_commit_lookup(&commit, pointer, &oid), "cannot read the commit \(oid.hex)")
            defer { git_commit_free(commit) }
            result.append(Self.describe(commit!))
        }
        return result
    }

    /// The commits reachable from `revision` in the same order as `log`: `limit` of them after the
    /// first `skip`, and how many there are in all (a page of a listing that tells its length).
    /// Only the commits returned are read whole; the rest are counted as the walk passes them.
    func history(from revision: String, skip: Int, limit: Int) throws -> (commits: [GitCommit], total: Int) {
        let start = try commit(revision)
        var walker: OpaquePointer?
        try check(git_revwalk_new(&walker, pointer), "cannot walk the history of \(path)")
        defer { git_revwalk_free(walker) }
        git_revwalk_sorting(walker, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue)
        try check(git_revwalk_push(walker, git_commit_id(start.pointer)), "cannot walk the history of \(path)")
        var result: [GitCommit] = []
        var total = 0
        var oid = git_oid()
        while true {
            let code = git_revwalk_next(&oid, walker)
            if code == GIT_ITEROVER.rawValue { break }
            try check(code, "cannot walk the history of \(path)")
            let index = total
            total += 1
            guard index >= skip, result.count < limit else { continue }
            var commit: OpaquePointer?
            try check(git_commit_lookup(&commit, pointer, &oid), "cannot read the commit \(oid.hex)")
            defer { git_commit_free(commit) }
            result.append(Self.describe(commit!))
        }
        return (result, total)
    }

    private static func describe(_ commit: OpaquePointer) -> GitCommit {
        let parents = (0..<git_commit_parentcount(commit)).compactMap { git_commit_parent_id(commit, $0)?.pointee.hex }
        let message = git_commit_message(commit).map { String(cString: $0) } ?? ""
        let summary = git_commit_summary(commit).map { String(cString: $0) } ?? ""
        return GitCommit(
            commit: git_commit_id(commit).pointee.hex, tree: git_commit_tree_id(commit).pointee.hex, parents: parents,
            author: signature(git_commit_author(commit)), committer: signature(git_commit_committer(commit)),
            summary: summary, message: message)
    }

    private static func signature(_ signature: UnsafePointer<git_signature>?) -> GitSignature {
        guard let signature else { return GitSignature(name: "", email: "", time: Date(timeIntervalSince1970: 0)) }
        return GitSignature(
            name: String(cString: signature.pointee.name), email: String(cString: signature.pointee.email),
            time: Date(timeIntervalSince1970: TimeInterval(signature.pointee.when.time)))
    }
}
