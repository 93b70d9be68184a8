import CLibGit2

extension GitRepository {
    /// The entries of the tree at `path` (empty for the root) in `revision`.
    func treeEntries(at revision: String, path: String) throws -> [GitTreeEntry] {
        entries(of: try tree(at: revision, path: path), path: path)
    }

    /// What `path` names in `revision`: a directory's entries, a file's (or a link's) bytes, or a
    /// submodule. Only the object database is read; a link in the tree is never followed, and a
    /// path through one is not found, as git itself resolves paths in a tree. A file larger than
    /// `inlineUpTo` bytes comes without its bytes, which are then never read.
    func contents(at revision: String, path: String, inlineUpTo: Int64 = .max) throws -> GitPathContents {
        let root = try tree(at: revision, path: "")
        if path.isEmpty { return .directory(entries(of: root, path: "")) }
        var found: OpaquePointer?
        try check(git_tree_entry_bypath(&found, root.pointer, path), "no file or directory '\(path)' at '\(revision)'")
        defer { git_tree_entry_free(found) }
        let entry = describe(found!, path: path)
        switch git_tree_entry_type(found) {
        case GIT_OBJECT_TREE:
            var subtree: OpaquePointer?
            try check(git_tree_lookup(&subtree, pointer, git_tree_entry_id(found)), "cannot read the directory '\(path)'")
            return .directory(entries(of: GitHandle(subtree!, release: git_tree_free), path: path))
        case GIT_OBJECT_BLOB:
            if let size = entry.size, size > inlineUpTo { return .file(entry, nil) }
            var blob: OpaquePointer?
            try check(git_blob_lookup(&blob, pointer, git_tree_entry_id(found)), "cannot read '\(path)'")
            defer { git_blob_free(blob) }
            let size = Int(git_blob_rawsize(blob))
            guard size > 0, let bytes = git_blob_rawcontent(blob) else { return .file(entry, []) }
            return .file(entry, [UInt8](UnsafeRawBufferPointer(start: bytes, count: size)))
        default:
            return .submodule(entry)
        }
    }

    private func entries(of tree: GitHandle, path: String) -> [GitTreeEntry] {
        let count = git_tree_entrycount(tree.pointer)
        var entries: [GitTreeEntry] = []
        entries.reserveCapacity(count)
        for index in 0..<count {
            guard let entry = git_tree_entry_byindex(tree.pointer, index) else { continue }
            let name = String(cString: git_tree_entry_name(entry))
            entries.append(describe(entry, path: path.isEmpty ? name : path + "/" + name))
        }
        return entries
    }

    /// One entry of a tree, found at `path`, with its size when it is a blob.
    private func describe(_ entry: OpaquePointer, path: String) -> GitTreeEntry {
        let type = git_tree_entry_type(entry)
        let oid = git_tree_entry_id(entry)!
        let size = type == GIT_OBJECT_BLOB ? try? objectSize(oid) : nil
        return GitTreeEntry(
            name: String(cString: git_tree_entry_name(entry)), path: path, type: Self.typeName(type),
            mode: Self.modeString(git_tree_entry_filemode(entry).rawValue), object: oid.pointee.hex, size: size)
    }

    /// An object's size from its header alone: a blob of any size is not read, nor inflated.
    func objectSize(_ oid: UnsafePointer<git_oid>) throws -> Int64 {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, pointer), "cannot open the object database of \(path)")
        defer { git_odb_free(odb) }
        var length = 0
        var type = GIT_OBJECT_BLOB
        try check(git_odb_read_header(&length, &type, odb, oid), "cannot read the object \(oid.pointee.hex)")
        return Int64(length)
    }

    /// The id and size of the file at `path` in the tree `id`, its bytes left unread.
    func fileObject(inTree id: String, path: String) throws -> (object: String, size: Int64) {
        let root = try lookupTree(id)
        defer { git_tree_free(root) }
        var entry: OpaquePointer?
        try check(git_tree_entry_bypath(&entry, root, path), "no file '\(path)' there")
        defer { git_tree_entry_free(entry) }
        guard git_tree_entry_type(entry) == GIT_OBJECT_BLOB else { throw PlueError.invalidInput("'\(path)' is a directory, not a file") }
        let oid = git_tree_entry_id(entry)!
        return (oid.pointee.hex, try objectSize(oid))
    }

    /// The raw bytes of the file at `path` in `revision`.
    func blob(at revision: String, path: String) throws -> [UInt8] {
        try inTree(of: revision, path: path) { try blob(inTree: $0, path: path) }
    }

    /// The id and size of the file at `path` in `revision`, its bytes left unread.
    func fileObject(at revision: String, path: String) throws -> (object: String, size: Int64) {
        try inTree(of: revision, path: path) { try fileObject(inTree: $0, path: path) }
    }

    /// Runs `body` on the tree of `revision`'s commit, its errors about `path` told at `revision`.
    private func inTree<T>(of revision: String, path: String, _ body: (String) throws -> T) throws -> T {
        let tree = git_commit_tree_id(try commit(revision).pointer).pointee.hex
        do {
            return try body(tree)
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
