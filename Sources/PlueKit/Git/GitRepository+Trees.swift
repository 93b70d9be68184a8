import CLibGit2

extension GitRepository {
    /// The entries of the tree at `path` (empty for the root) in `revision`.
    func treeEntries(at revision: String, path: String) throws -> [GitTreeEntry] {
        let tree = try tree(at: revision, path: path)
        let count = git_tree_entrycount(tree.pointer)
        var entries: [GitTreeEntry] = []
        entries.reserveCapacity(count)
        for index in 0..<count {
            guard let entry = git_tree_entry_byindex(tree.pointer, index) else { continue }
            let name = String(cString: git_tree_entry_name(entry))
            let type = git_tree_entry_type(entry)
            let oid = git_tree_entry_id(entry)!
            var size: Int64?
            if type == GIT_OBJECT_BLOB {
                var blob: OpaquePointer?
                if git_blob_lookup(&blob, pointer, oid) == 0 {
                    size = Int64(git_blob_rawsize(blob))
                    git_blob_free(blob)
                }
            }
            entries.append(GitTreeEntry(
                name: name, path: path.isEmpty ? name : path + "/" + name, type: Self.typeName(type),
                mode: Self.modeString(git_tree_entry_filemode(entry).rawValue), object: oid.pointee.hex, size: size))
        }
        return entries
    }

    /// The raw bytes of the file at `path` in `revision`.
    func blob(at revision: String, path: String) throws -> [UInt8] {
        let tree = git_commit_tree_id(try commit(revision).pointer).pointee.hex
        do {
            return try blob(inTree: tree, path: path)
        } catch let error as PlueError where error.code == .notFound {
            throw PlueError(.notFound, "no file '\(path)' at '\(revision)'", cause: error.cause)
        } catch let error as PlueError where error.code == .invalidInput {
            throw PlueError.invalidInput("'\(path)' at '\(revision)' is a directory or submodule, not a file", hint: "list it with `plue repo tree`")
        }
    }

    private func tree(at revision: String, path: String) throws -> GitHandle {
        let commit = try commit(revision)
        var root: OpaquePointer?
        try check(git_commit_tree(&root, commit.pointer), "cannot read the tree of '\(revision)'")
        let rootHandle = GitHandle(root!, release: git_tree_free)
        if path.isEmpty { return rootHandle }
        var entry: OpaquePointer?
        try check(git_tree_entry_bypath(&entry, root, path), "no directory '\(path)' at '\(revision)'")
        defer { git_tree_entry_free(entry) }
        guard git_tree_entry_type(entry) == GIT_OBJECT_TREE else {
            throw PlueError.invalidInput("'\(path)' at '\(revision)' is a file, not a directory", hint: "read it with `plue repo cat`")
        }
        var subtree: OpaquePointer?
        try check(git_tree_lookup(&subtree, pointer, git_tree_entry_id(entry)), "cannot read the directory '\(path)'")
        return GitHandle(subtree!, release: git_tree_free)
    }

    private static func typeName(_ type: git_object_t) -> String {
        switch type {
        case GIT_OBJECT_BLOB: "blob"
        case GIT_OBJECT_TREE: "tree"
        case GIT_OBJECT_COMMIT: "commit"
        default: "unknown"
        }
    }

    private static func modeString(_ mode: UInt32) -> String {
        let octal = String(mode, radix: 8)
        return octal.count < 6 ? String(repeating: "0", count: 6 - octal.count) + octal : octal
    }
}
