import CLibGit2

extension GitRepository {
    enum DiffFormat { case patch, stat, nameOnly }

    /// The difference between two trees (nil: the empty tree) as a patch `git apply` accepts
    /// (binary files as git binary patches, modes, symlinks, renames), a --stat summary, or names.
    func diff(from old: String?, to new: String, format: DiffFormat) throws -> String {
        let oldTree = try old.flatMap(lookupTree), newTree = try lookupTree(new)
        defer { git_tree_free(oldTree); git_tree_free(newTree) }
        var options = git_diff_options()
        git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION))
        options.flags = GIT_DIFF_SHOW_BINARY.rawValue
        var diff: OpaquePointer?
        try check(git_diff_tree_to_tree(&diff, pointer, oldTree, newTree, &options), "cannot compare the trees")
        defer { git_diff_free(diff) }
        var find = git_diff_find_options()
        git_diff_find_options_init(&find, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION))
        find.flags = GIT_DIFF_FIND_RENAMES.rawValue
        try check(git_diff_find_similar(diff, &find), "cannot find renames")
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        switch format {
        case .patch:
            try check(git_diff_to_buf(&buffer, diff, GIT_DIFF_FORMAT_PATCH), "cannot write the patch")
        case .nameOnly:
            try check(git_diff_to_buf(&buffer, diff, GIT_DIFF_FORMAT_NAME_ONLY), "cannot list the changed files")
        case .stat:
            var stats: OpaquePointer?
            try check(git_diff_get_stats(&stats, diff), "cannot count the changes")
            defer { git_diff_stats_free(stats) }
            try check(git_diff_stats_to_buf(&buffer, stats, GIT_DIFF_STATS_FULL, 80), "cannot write the summary")
        }
        guard let bytes = buffer.ptr else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: buffer.size), as: UTF8.self)
    }

    /// Every file in a tree, recursively, with its mode, optionally below a path prefix.
    func files(inTree id: String, prefix: String) throws -> [GitTreeEntry] {
        let root = try lookupTree(id)
        defer { git_tree_free(root) }
        var result: [GitTreeEntry] = []
        try collect(root!, base: "", prefix: prefix, into: &result)
        return result
    }

    /// The bytes of `path` in the tree `id`.
    func blob(inTree id: String, path: String) throws -> [UInt8] {
        let root = try lookupTree(id)
        defer { git_tree_free(root) }
        var entry: OpaquePointer?
        try check(git_tree_entry_bypath(&entry, root, path), "no file '\(path)' there")
        defer { git_tree_entry_free(entry) }
        guard git_tree_entry_type(entry) == GIT_OBJECT_BLOB else {
            throw PlueError.invalidInput("'\(path)' is a directory, not a file")
        }
        var blob: OpaquePointer?
        try check(git_blob_lookup(&blob, pointer, git_tree_entry_id(entry)), "cannot read '\(path)'")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let bytes = git_blob_rawcontent(blob) else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: bytes, count: size))
    }

    private func collect(_ tree: OpaquePointer, base: String, prefix: String, into result: inout [GitTreeEntry]) throws {
        for index in 0..<git_tree_entrycount(tree) {
            guard let entry = git_tree_entry_byindex(tree, index) else { continue }
            let path = base + String(cString: git_tree_entry_name(entry))
            let oid = git_tree_entry_id(entry)!
            if git_tree_entry_type(entry) == GIT_OBJECT_TREE {
                guard prefix.isEmpty || prefix.hasPrefix(path + "/") || path.hasPrefix(prefix) else { continue }
                var subtree: OpaquePointer?
                try check(git_tree_lookup(&subtree, pointer, oid), "cannot read the directory \(path)")
                defer { git_tree_free(subtree) }
                try collect(subtree!, base: path + "/", prefix: prefix, into: &result)
            } else if prefix.isEmpty || path == prefix || path.hasPrefix(prefix.hasSuffix("/") ? prefix : prefix + "/") {
                let mode = String(git_tree_entry_filemode(entry).rawValue, radix: 8)
                result.append(GitTreeEntry(name: String(cString: git_tree_entry_name(entry)), path: path,
                                           type: git_tree_entry_type(entry) == GIT_OBJECT_BLOB ? "blob" : "commit",
                                           mode: mode, object: oid.pointee.hex, size: nil))
            }
        }
    }

    private func lookupTree(_ id: String) throws -> OpaquePointer? {
        var oid = try GitObjectID.parse(id)
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, pointer, &oid), "cannot read the tree \(id)")
        return tree
    }

    /// The full id of the one commit starting with `prefix` (at least 4 hex digits), through libgit2's short-id lookup.
    func commitID(prefix: String) throws -> String? {
        var object: OpaquePointer?
        var oid = git_oid()
        guard git_oid_fromstrn(&oid, prefix, prefix.utf8.count) == 0 else { return nil }
        let code = git_object_lookup_prefix(&object, pointer, &oid, prefix.utf8.count, GIT_OBJECT_COMMIT)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        if code == GIT_EAMBIGUOUS.rawValue { throw PlueError.invalidInput("the commit id prefix '\(prefix)' is ambiguous; give more digits") }
        try check(code, "cannot look up '\(prefix)'")
        defer { git_object_free(object) }
        return git_object_id(object).pointee.hex
    }
}
