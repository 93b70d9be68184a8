import CLibGit2
import Foundation

/// A bare repository seen through one session's working directory and its own persistent index:
/// libgit2 is given the directory and the index in memory only, so the repository on disk stays bare.
final class GitWorkspace {
    let repository: GitRepository
    let workdir: String
    private let index: GitHandle

    init(repositoryPath: String, workdir: String, indexPath: String) throws {
        repository = try GitRepository.open(repositoryPath)
        self.workdir = workdir
        try check(git_repository_set_workdir(repository.pointer, workdir, 0), "cannot use \(workdir) as a working directory")
        var pointer: OpaquePointer?
        try check(git_index_open(&pointer, indexPath), "cannot open the session index \(indexPath)")
        index = GitHandle(pointer!, release: git_index_free)
        try check(git_repository_set_index(repository.pointer, index.pointer), "cannot use the session index")
    }

    /// Records the working directory as a tree: new files (respecting .gitignore), changes,
    /// deletions, modes and symlinks. Files above `maxFileSize` bytes are skipped and reported.
    /// The index keeps stat data, so unchanged files are not read again.
    func snapshotTree(maxFileSize: Int64) throws -> (tree: String, skipped: [String]) {
        final class Filter {
            let workdir: String
            let limit: Int64
            var skipped: [String] = []
            init(workdir: String, limit: Int64) { self.workdir = workdir; self.limit = limit }
        }
        let filter = Filter(workdir: workdir, limit: maxFileSize)
        let callback: git_index_matched_path_cb = { path, _, payload in
            guard let path, let payload else { return 0 }
            let filter = Unmanaged<Filter>.fromOpaque(payload).takeUnretainedValue()
            let relative = String(cString: path)
            var info = stat()
            if lstat(filter.workdir + "/" + relative, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
               Int64(info.st_size) > filter.limit {
                filter.skipped.append(relative)
                return 1
            }
            return 0
        }
        let everything = Self.pathspec(["*"])
        defer { everything.free() }
        var spec = everything.array
        let payload = Unmanaged.passUnretained(filter).toOpaque()
        try check(git_index_add_all(index.pointer, &spec, GIT_INDEX_ADD_DEFAULT.rawValue, callback, payload),
                  "cannot snapshot \(workdir)")
        try check(git_index_update_all(index.pointer, &spec, nil, nil), "cannot snapshot \(workdir)")
        // A skipped file that was recorded before stays as it was recorded: it is never lost.
        try check(git_index_write(index.pointer), "cannot save the session index")
        var oid = git_oid()
        try check(git_index_write_tree_to(&oid, index.pointer, repository.pointer), "cannot write the snapshot tree")
        return (oid.hex, filter.skipped)
    }

    /// Makes the working directory exactly `tree`: changed files rewritten, files not in it removed.
    /// Callers snapshot first, so whatever is removed here is recorded in an earlier commit.
    func checkout(tree: String) throws {
        var oid = try GitObjectID.parse(tree)
        var object: OpaquePointer?
        try check(git_object_lookup(&object, repository.pointer, &oid, GIT_OBJECT_TREE), "cannot read the tree \(tree)")
        defer { git_object_free(object) }
        var options = git_checkout_options()
        git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION))
        options.checkout_strategy = GIT_CHECKOUT_FORCE.rawValue | GIT_CHECKOUT_REMOVE_UNTRACKED.rawValue
        try check(git_checkout_tree(repository.pointer, object, &options), "cannot check \(tree) out into \(workdir)")
        try check(git_index_read_tree(index.pointer, object), "cannot update the session index")
        try check(git_index_write(index.pointer), "cannot save the session index")
    }

    private struct Pathspec {
        let array: git_strarray
        func free() {
            for index in 0..<array.count { Foundation.free(array.strings[index]) }
            array.strings.deallocate()
        }
    }

    private static func pathspec(_ patterns: [String]) -> Pathspec {
        let strings = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: patterns.count)
        for (index, pattern) in patterns.enumerated() { strings[index] = strdup(pattern) }
        return Pathspec(array: git_strarray(strings: strings, count: patterns.count))
    }
}

/// Object ids given as text.
enum GitObjectID {
    static func parse(_ hex: String) throws -> git_oid {
        var oid = git_oid()
        guard hex.utf8.count == 40, git_oid_fromstr(&oid, hex) == 0 else {
            throw PlueError.invalidInput("\(Validation.quoted(hex)) is not a full commit or tree id")
        }
        return oid
    }
}
