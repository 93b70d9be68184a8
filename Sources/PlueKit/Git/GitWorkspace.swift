import CLibGit2
import Foundation

/// A bare repository seen through one session's working directory and its own persistent index:
/// libgit2 is given the directory and the index in memory only, so the repository on disk stays bare.
/// Every libgit2 call that looks at the working directory must load `index` first, or libgit2 would
/// fall back to the bare repository's own (absent) index.
final class GitWorkspace {
    let repository: GitRepository
    let workdir: String
    let indexPath: String
    private var loadedIndex: GitHandle?

    init(repositoryPath: String, workdir: String, indexPath: String) throws {
        repository = try GitRepository.open(repositoryPath)
        self.workdir = workdir
        self.indexPath = indexPath
        try check(git_repository_set_workdir(repository.pointer, workdir, 0), "cannot use \(workdir) as a working directory")
    }

    /// The session index through libgit2, loaded on first use (a snapshot that finds nothing
    /// changed never needs it).
    private var index: GitHandle {
        get throws {
            if let loadedIndex { return loadedIndex }
            var pointer: OpaquePointer?
            try check(git_index_open(&pointer, indexPath), "cannot open the session index \(indexPath)")
            let handle = GitHandle(pointer!, release: git_index_free)
            try check(git_repository_set_index(repository.pointer, handle.pointer), "cannot use the session index")
            loadedIndex = handle
            return handle
        }
    }

    /// Records the working directory as a tree: new files (respecting .gitignore), changes,
    /// deletions, modes and symlinks. Files above `maxFileSize` bytes are skipped and reported (a
    /// version recorded earlier stays). One status walk compares the files with the index's stat
    /// data, so unchanged files are not read, and an unchanged tree writes nothing.
    func snapshotTree(maxFileSize: Int64) throws -> (tree: String, skipped: [String]) {
        var skipped: [String] = []
        var changed = false
        func add(_ path: String) throws {
            var info = stat()
            if lstat(workdir + "/" + path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int64(info.st_size) > maxFileSize {
                skipped.append(path)
                return
            }
            try check(git_index_add_bypath(try index.pointer, path), "cannot record \(path)")
            changed = true
        }
        let file = GitIndexFile.read(indexPath)
        let quick = file.flatMap { quickChanges(indexFile: $0) }
        if let quick, quick.modified.isEmpty, quick.deleted.isEmpty, let tree = file?.cachedRootTree {
            return (tree, [])
        }
        if let quick, let file, quick.deleted.isEmpty,
           let recorded = try recordInPlace(file, modified: quick.modified, maxFileSize: maxFileSize) {
            return recorded
        }
        if let quick {
            for path in quick.deleted {
                try check(git_index_remove_bypath(try index.pointer, path), "cannot record the deletion of \(path)")
                changed = true
            }
            for path in quick.modified { try add(path) }
        } else {
            changed = try statusWalk(add: add) || changed
        }
        var oid = git_oid()
        try check(git_index_write_tree_to(&oid, try index.pointer, repository.pointer), "cannot write the snapshot tree")
        // Written after the tree, so the index's cached tree is saved with it and the next
        // unchanged snapshot can answer from the file alone.
        if changed || file?.cachedRootTree == nil {
            try check(git_index_write(try index.pointer), "cannot save the session index")
        }
        return (oid.hex, skipped.sorted())
    }

    /// libgit2's status walk: new files (after .gitignore), changes and deletions.
    /// Returns whether it removed entries; additions go through `add`.
    private func statusWalk(add: (String) throws -> Void) throws -> Bool {
        _ = try index // the walk compares with the repository's index: it must be the session's
        var removed = false
        var options = git_status_options()
        git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION))
        options.show = GIT_STATUS_SHOW_WORKDIR_ONLY
        options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
            | GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue | GIT_STATUS_OPT_UPDATE_INDEX.rawValue
        var list: OpaquePointer?
        try check(git_status_list_new(&list, repository.pointer, &options), "cannot compare \(workdir) with its last snapshot")
        defer { git_status_list_free(list) }
        for position in 0..<git_status_list_entrycount(list) {
            guard let entry = git_status_byindex(list, position), let delta = entry.pointee.index_to_workdir else { continue }
            let status = entry.pointee.status.rawValue
            guard let cPath = delta.pointee.new_file.path ?? delta.pointee.old_file.path else { continue }
            let path = String(cString: cPath)
            if status & GIT_STATUS_WT_DELETED.rawValue != 0 {
                try check(git_index_remove_bypath(try index.pointer, path), "cannot record the deletion of \(path)")
                removed = true
            } else if status & (GIT_STATUS_WT_NEW.rawValue | GIT_STATUS_WT_MODIFIED.rawValue | GIT_STATUS_WT_TYPECHANGE.rawValue) != 0 {
                try add(path)
            }
        }
        // libgit2 writes the index itself when the walk refreshed stat data (UPDATE_INDEX); the
        // caller writes it only when entries changed, so an unchanged tree costs no rewrite.
        return removed
    }

    /// Makes the working directory exactly `tree`: changed files rewritten, files not in it removed.
    /// Callers snapshot first, so whatever is removed here is recorded in an earlier commit.
    func checkout(tree: String) throws {
        var oid = try GitObjectID.parse(tree)
        var object: OpaquePointer?
        try check(git_object_lookup(&object, repository.pointer, &oid, GIT_OBJECT_TREE), "cannot read the tree \(tree)")
        defer { git_object_free(object) }
        // Load the session index first: without it libgit2 would use (and write) the bare
        // repository's own index file.
        let index = try self.index
        var options = git_checkout_options()
        git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION))
        options.checkout_strategy = GIT_CHECKOUT_FORCE.rawValue | GIT_CHECKOUT_REMOVE_UNTRACKED.rawValue
        try check(git_checkout_tree(repository.pointer, object, &options), "cannot check \(tree) out into \(workdir)")
        try check(git_index_read_tree(index.pointer, object), "cannot update the session index")
        try check(git_index_write(index.pointer), "cannot save the session index")
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
