import CLibGit2
import Foundation

/// Index entries made from what Plue read itself, never from a path libgit2 would open: the bytes
/// of a file are stored exactly as they are (no end-of-line or other filter changes them, so a
/// checkout can tell them from anything else), and a link is read as a link.
enum GitIndexEntries {
    /// Adds `bytes` as the blob of `path`, with the stat data `info` (a regular file or a link).
    static func add(_ index: OpaquePointer, path: String, bytes: [UInt8], info: stat) throws {
        var entry = git_index_entry()
        entry.ctime = git_index_time(seconds: Int32(truncatingIfNeeded: info.st_ctim.tv_sec),
                                     nanoseconds: UInt32(truncatingIfNeeded: info.st_ctim.tv_nsec))
        entry.mtime = git_index_time(seconds: Int32(truncatingIfNeeded: info.st_mtim.tv_sec),
                                     nanoseconds: UInt32(truncatingIfNeeded: info.st_mtim.tv_nsec))
        entry.dev = UInt32(truncatingIfNeeded: info.st_dev)
        entry.ino = UInt32(truncatingIfNeeded: info.st_ino)
        entry.uid = info.st_uid
        entry.gid = info.st_gid
        entry.file_size = UInt32(truncatingIfNeeded: info.st_size)
        entry.mode = info.st_mode & S_IFMT == S_IFLNK ? 0o120000 : info.st_mode & 0o100 != 0 ? 0o100755 : 0o100644
        // The blob is written first, then the entry added: git_index_add_from_buffer does both but
        // (libgit2 1.5) reports a blob it could not write (a full disk) as "index does not contain".
        guard let repository = git_index_owner(index) else { throw PlueError.internalError("the index has no repository") }
        // A stale errno would read as this write's failure (see `check`).
        errno = 0
        try bytes.withUnsafeBytes { raw in
            try check(git_blob_create_from_buffer(&entry.id, repository, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, raw.count),
                      "cannot store \(path)")
        }
        try path.withCString { cPath in
            entry.path = cPath
            try check(git_index_add(index, &entry), "cannot record \(path)")
        }
    }

    /// Makes `index` hold `tree`. libgit2 refuses a whole tree that holds a name no working
    /// directory may have (`.git`, `..`), which a hostile push can make: such entries are left out
    /// instead, as a checkout leaves them out.
    static func fill(_ index: OpaquePointer, from tree: OpaquePointer, repository: OpaquePointer) throws {
        if git_index_read_tree(index, tree) == 0 { return }
        try check(git_index_clear(index), "cannot clear the index")
        try add(tree, prefix: "", to: index, repository: repository, depth: 0)
    }

    private static func add(_ tree: OpaquePointer, prefix: String, to index: OpaquePointer, repository: OpaquePointer, depth: Int) throws {
        guard depth < 1024 else { return }
        for position in 0..<git_tree_entrycount(tree) {
            guard let item = git_tree_entry_byindex(tree, position) else { continue }
            let name = String(cString: git_tree_entry_name(item))
            guard ConfinedDirectory.isPlainName(name) else { continue }
            let path = prefix.isEmpty ? name : prefix + "/" + name
            let mode = git_tree_entry_filemode(item).rawValue
            if mode == 0o040000 {
                var subtree: OpaquePointer?
                try check(git_tree_lookup(&subtree, repository, git_tree_entry_id(item)), "cannot read the tree of \(path)")
                defer { git_tree_free(subtree) }
                try add(subtree!, prefix: path, to: index, repository: repository, depth: depth + 1)
                continue
            }
            var entry = git_index_entry()
            entry.mode = mode
            entry.id = git_tree_entry_id(item).pointee
            try path.withCString { cPath in
                entry.path = cPath
                try check(git_index_add(index, &entry), "cannot record \(path)")
            }
        }
    }
}
