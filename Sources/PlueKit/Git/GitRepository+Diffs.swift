import CLibGit2

extension GitRepository {
    enum DiffFormat { case patch, stat, nameOnly, nameStatus }

    /// A file larger than this is compared as binary (sizes, and a git binary patch), never line
    /// by line: a line diff takes about fifty times the file's size in memory, and a session's
    /// file can come from a request a thousand times smaller (git's own threshold is 512 MiB).
    static let diffMaxTextBytes = 8 << 20
    /// Text compared line by line in one diff, all files together (the larger side of each): past
    /// it, the remaining files are compared as binary. The patch's text, held a few times over on
    /// its way out, is what a diff of many files just under `diffMaxTextBytes` costs.
    static let diffTextBudget = 16 << 20

    /// The difference between two trees (nil: the empty tree) as a patch `git apply` accepts
    /// (binary files as git binary patches, modes, symlinks, renames), a summary exactly as
    /// `git diff --stat` draws it, names, or names with their status as `git diff --name-status`.
    func diff(from old: String?, to new: String, format: DiffFormat) throws -> String {
        switch format {
        case .stat: return GitDiffStat.render(try diffFiles(from: old, to: new))
        case .nameStatus: return try diffFiles(from: old, to: new).map(\.nameStatusLine).joined()
        case .patch, .nameOnly: break
        }
        let diff = try treeDiff(from: old, to: new, typeChanges: false)
        if format == .patch { try boundText(diff.pointer) }
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        try check(git_diff_to_buf(&buffer, diff.pointer, format == .patch ? GIT_DIFF_FORMAT_PATCH : GIT_DIFF_FORMAT_NAME_ONLY),
                  format == .patch ? "cannot write the patch" : "cannot list the changed files")
        guard let bytes = buffer.ptr else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: buffer.size), as: UTF8.self)
    }

    /// Each changed file between two trees with its status and line counts, counted as git counts
    /// them: a file is binary when either side has a NUL byte in its first 8000 bytes, and then
    /// its sizes in bytes stand in for lines. A change between a file and a symbolic link is one
    /// entry, `T`, as `git diff --name-status` shows it.
    func diffFiles(from old: String?, to new: String) throws -> [GitDiffFile] {
        struct Side { let path: String; let id: git_oid; let mode: UInt32 }
        var entries: [(status: GitDiffFile.Status, old: Side?, new: Side?)] = []
        let diff = try treeDiff(from: old, to: new, typeChanges: true)
        for index in 0..<git_diff_num_deltas(diff.pointer) {
            guard let delta = git_diff_get_delta(diff.pointer, index)?.pointee else { continue }
            let oldSide = Side(path: String(cString: delta.old_file.path), id: delta.old_file.id, mode: UInt32(delta.old_file.mode))
            let newSide = Side(path: String(cString: delta.new_file.path), id: delta.new_file.id, mode: UInt32(delta.new_file.mode))
            switch delta.status {
            case GIT_DELTA_ADDED: entries.append((.added, nil, newSide))
            case GIT_DELTA_DELETED: entries.append((.deleted, oldSide, nil))
            case GIT_DELTA_RENAMED: entries.append((.renamed(similarity: Int(delta.similarity)), oldSide, newSide))
            case GIT_DELTA_TYPECHANGE: entries.append((.typeChanged, oldSide, newSide))
            case GIT_DELTA_MODIFIED: entries.append((.modified, oldSide, newSide))
            default: continue
            }
        }
        // libgit2 takes the old side of a type change as a rename source, which git never does:
        // such a "rename" leaves its source path added again. Give it back to that path as a type
        // change, and the rename's target is a new file.
        let added = Dictionary(entries.enumerated().filter { $0.element.status == .added }.map { ($0.element.new!.path, $0.offset) },
                               uniquingKeysWith: { first, _ in first })
        for index in entries.indices {
            guard entries[index].status.isRename, let source = entries[index].old, let target = added[source.path] else { continue }
            entries[target] = (.typeChanged, source, entries[target].new)
            entries[index] = (.added, nil, entries[index].new)
        }
        // The same budget as the patch's (`boundText`): past it, files are counted as binary.
        var budget = Self.diffTextBudget
        return try entries.map { entry in
            let oldBlob = try entry.old.flatMap { try blobHandle($0.id, mode: $0.mode) }
            let newBlob = try entry.new.flatMap { try blobHandle($0.id, mode: $0.mode) }
            budget -= [oldBlob, newBlob].map { $0.map { Int(git_blob_rawsize($0.pointer)) } ?? 0 }.max() ?? 0
            let binary = budget < 0 || Self.isBinary(oldBlob) || Self.isBinary(newBlob)
            var additions = 0, deletions = 0
            if binary {
                // As git: the sizes, or nothing when the bytes are the same (a rename, a mode change).
                if entry.old.map({ $0.id.hex }) != entry.new.map({ $0.id.hex }) {
                    additions = newBlob.map { Int(git_blob_rawsize($0.pointer)) } ?? 0
                    deletions = oldBlob.map { Int(git_blob_rawsize($0.pointer)) } ?? 0
                }
            } else {
                var patch: OpaquePointer?
                var options = Self.diffOptions()
                try check(git_patch_from_blobs(&patch, oldBlob?.pointer, entry.old?.path, newBlob?.pointer, entry.new?.path, &options),
                          "cannot compare the versions of a file")
                defer { git_patch_free(patch) }
                var context = 0
                if let patch { try check(git_patch_line_stats(&context, &additions, &deletions, patch), "cannot count the changed lines") }
            }
            let path = entry.new?.path ?? entry.old?.path ?? ""
            return GitDiffFile(status: entry.status, path: path, oldPath: entry.status.isRename ? entry.old?.path : nil,
                               additions: additions, deletions: deletions, binary: binary)
        }.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
    }

    /// Gives each file of a tree diff its size, read from the object's header, and marks binary
    /// each file past `diffMaxTextBytes` and every file once `diffTextBudget` is spent. libgit2
    /// learns a size only as it loads the file, and with binary patches asked for, it then never
    /// holds it against `max_size`; it reads the binary flag before it loads anything.
    private func boundText(_ diff: OpaquePointer) throws {
        var budget = Self.diffTextBudget
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, pointer), "cannot open the object database")
        defer { git_odb_free(odb) }
        for index in 0..<git_diff_num_deltas(diff) {
            guard let constant = git_diff_get_delta(diff, index) else { continue }
            // The delta is the diff's own, which libgit2 itself updates as it loads files.
            let delta = UnsafeMutablePointer(mutating: constant)
            for side in [\git_diff_delta.old_file, \git_diff_delta.new_file] {
                var file = delta.pointee[keyPath: side]
                guard file.size == 0, git_oid_is_zero(&file.id) == 0, file.mode != GIT_FILEMODE_COMMIT.rawValue else { continue }
                var length = 0
                var type = GIT_OBJECT_INVALID
                try check(git_odb_read_header(&length, &type, odb, &file.id), "cannot read the size of \(String(cString: file.path))")
                delta.pointee[keyPath: side].size = git_object_size_t(length)
            }
            let larger = Int(max(delta.pointee.old_file.size, delta.pointee.new_file.size))
            budget -= larger
            if budget < 0 || larger > Self.diffMaxTextBytes {
                delta.pointee.old_file.flags |= GIT_DIFF_FLAG_BINARY.rawValue
                delta.pointee.new_file.flags |= GIT_DIFF_FLAG_BINARY.rawValue
                delta.pointee.flags |= GIT_DIFF_FLAG_BINARY.rawValue
            }
        }
    }

    /// A blob of this repository; nil for a submodule, whose commit lives elsewhere.
    private func blobHandle(_ id: git_oid, mode: UInt32) throws -> GitHandle? {
        guard mode != GIT_FILEMODE_COMMIT.rawValue else { return nil }
        var id = id
        var blob: OpaquePointer?
        try check(git_blob_lookup(&blob, pointer, &id), "cannot read the blob \(id.hex)")
        return GitHandle(blob!, release: git_blob_free)
    }

    /// As git decides it: a NUL byte in the first 8000 bytes; or larger than `diffMaxTextBytes`.
    private static func isBinary(_ blob: GitHandle?) -> Bool {
        guard let blob, let bytes = git_blob_rawcontent(blob.pointer) else { return false }
        let size = Int(git_blob_rawsize(blob.pointer))
        return size > diffMaxTextBytes || UnsafeRawBufferPointer(start: bytes, count: min(size, 8000)).contains(0)
    }

    private static func diffOptions() -> git_diff_options {
        var options = git_diff_options()
        git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION))
        options.max_size = git_off_t(diffMaxTextBytes)
        return options
    }

    /// Renames found as `git diff` finds them by default (50% similar); type changes split into a
    /// deletion and an addition unless `typeChanges`, as a patch writes them.
    private func treeDiff(from old: String?, to new: String, typeChanges: Bool) throws -> GitHandle {
        let oldTree = try old.flatMap(lookupTree), newTree = try lookupTree(new)
        defer { git_tree_free(oldTree); git_tree_free(newTree) }
        var options = Self.diffOptions()
        options.flags = GIT_DIFF_SHOW_BINARY.rawValue | (typeChanges ? GIT_DIFF_INCLUDE_TYPECHANGE.rawValue : 0)
        var diff: OpaquePointer?
        try check(git_diff_tree_to_tree(&diff, pointer, oldTree, newTree, &options), "cannot compare the trees")
        let handle = GitHandle(diff!, release: git_diff_free)
        var find = git_diff_find_options()
        git_diff_find_options_init(&find, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION))
        find.flags = GIT_DIFF_FIND_RENAMES.rawValue
        try check(git_diff_find_similar(handle.pointer, &find), "cannot find renames")
        return handle
    }

    /// Every file in a tree, recursively, with its mode and (for blobs) size, optionally below a path prefix.
    func files(inTree id: String, prefix: String) throws -> [GitTreeEntry] {
        let root = try lookupTree(id)
        defer { git_tree_free(root) }
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, pointer), "cannot open the object database")
        defer { git_odb_free(odb) }
        var result: [GitTreeEntry] = []
        try collect(root!, base: "", prefix: prefix, odb: odb, into: &result)
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

    private func collect(_ tree: OpaquePointer, base: String, prefix: String, odb: OpaquePointer?,
                         into result: inout [GitTreeEntry]) throws {
        for index in 0..<git_tree_entrycount(tree) {
            guard let entry = git_tree_entry_byindex(tree, index) else { continue }
            let path = base + String(cString: git_tree_entry_name(entry))
            let oid = git_tree_entry_id(entry)!
            if git_tree_entry_type(entry) == GIT_OBJECT_TREE {
                guard prefix.isEmpty || prefix.hasPrefix(path + "/") || path.hasPrefix(prefix) else { continue }
                var subtree: OpaquePointer?
                try check(git_tree_lookup(&subtree, pointer, oid), "cannot read the directory \(path)")
                defer { git_tree_free(subtree) }
                try collect(subtree!, base: path + "/", prefix: prefix, odb: odb, into: &result)
            } else if prefix.isEmpty || path == prefix || path.hasPrefix(prefix.hasSuffix("/") ? prefix : prefix + "/") {
                let mode = String(git_tree_entry_filemode(entry).rawValue, radix: 8)
                let isBlob = git_tree_entry_type(entry) == GIT_OBJECT_BLOB
                var size: Int64?
                if isBlob {
                    // The header alone: the size without inflating the contents.
                    var length = 0
                    var type = GIT_OBJECT_INVALID
                    try check(git_odb_read_header(&length, &type, odb, oid), "cannot read the size of \(path)")
                    size = Int64(length)
                }
                result.append(GitTreeEntry(name: String(cString: git_tree_entry_name(entry)), path: path,
                                           type: isBlob ? "blob" : "commit", mode: mode, object: oid.pointee.hex, size: size))
            }
        }
    }

    func lookupTree(_ id: String) throws -> OpaquePointer? {
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
