import CLibGit2
import Crypto
import Foundation

extension GitWorkspace {
    /// Records files whose contents (or executable bit, or link target) changed without libgit2
    /// loading and rewriting the whole index: each file becomes a blob, the trees on its path are
    /// rewritten from the cached tree, and the index file gets the new ids and stat data in place
    /// (entries, TREE extension, checksum), saved through `index.lock` as git does. Nil when the
    /// change is of another kind (a file that became a directory, a submodule, a file gone meanwhile,
    /// no valid cached tree): the caller then goes through libgit2's index.
    func recordInPlace(_ file: GitIndexFile, modified: [String], maxFileSize: Int64) throws -> (tree: String, skipped: [String])? {
        guard let root = file.cachedRootTree, file.bytes.count >= 32 else { return nil }
        let wanted = Set(modified)
        var entries: [String: GitIndexFile.Entry] = [:]
        for entry in file.entries where wanted.contains(entry.path) { entries[entry.path] = entry }
        var recorded: [(entry: GitIndexFile.Entry, mode: UInt32, id: git_oid, info: stat)] = []
        var skipped: [String] = []
        for path in modified.sorted() {
            guard let entry = entries[path], entry.mode != 0o160000 else { return nil }
            var info = stat()
            guard lstat(workdir + "/" + path, &info) == 0 else { return nil }
            let mode: UInt32
            switch info.st_mode & S_IFMT {
            case S_IFREG: mode = info.st_mode & 0o100 != 0 ? 0o100755 : 0o100644
            case S_IFLNK: mode = 0o120000
            default: return nil
            }
            if mode != 0o120000 && Int64(info.st_size) > maxFileSize {
                skipped.append(path)
                continue
            }
            var id = git_oid()
            // Through the working directory, so .gitattributes filters apply as `git add` applies them.
            try check(git_blob_create_from_workdir(&id, repository.pointer, path), "cannot record \(path)")
            recorded.append((entry, mode, id, info))
        }
        guard !recorded.isEmpty else { return (root, skipped) }

        var baselineID = try GitObjectID.parse(root)
        var baseline: OpaquePointer?
        try check(git_tree_lookup(&baseline, repository.pointer, &baselineID), "cannot read the tree \(root)")
        defer { git_tree_free(baseline) }
        let paths = recorded.map { strdup($0.entry.path) }
        defer { paths.forEach { free($0) } }
        var updates = recorded.enumerated().map { index, change in
            git_tree_update(action: GIT_TREE_UPDATE_UPSERT, id: change.id, filemode: git_filemode_t(change.mode),
                            path: UnsafePointer(paths[index]))
        }
        var treeID = git_oid()
        try check(git_tree_create_updated(&treeID, repository.pointer, baseline, updates.count, &updates),
                  "cannot write the snapshot tree")
        var newRoot: OpaquePointer?
        try check(git_tree_lookup(&newRoot, repository.pointer, &treeID), "cannot read the snapshot tree")
        defer { git_tree_free(newRoot) }

        var bytes = file.bytes
        func put32(_ value: UInt32, at offset: Int) {
            bytes[offset] = UInt8(value >> 24); bytes[offset + 1] = UInt8((value >> 16) & 0xFF)
            bytes[offset + 2] = UInt8((value >> 8) & 0xFF); bytes[offset + 3] = UInt8(value & 0xFF)
        }
        func putID(_ id: git_oid, at offset: Int) {
            withUnsafeBytes(of: id.id) { raw in for index in 0..<20 { bytes[offset + index] = raw[index] } }
        }
        var directories: Set<String> = [""]
        for change in recorded {
            let offset = change.entry.offset, info = change.info
            for (index, value) in [info.st_ctim.tv_sec, info.st_ctim.tv_nsec, info.st_mtim.tv_sec, info.st_mtim.tv_nsec].enumerated() {
                put32(UInt32(truncatingIfNeeded: value), at: offset + 4 * index)
            }
            put32(UInt32(truncatingIfNeeded: info.st_dev), at: offset + 16)
            put32(UInt32(truncatingIfNeeded: info.st_ino), at: offset + 20)
            put32(change.mode, at: offset + 24)
            put32(info.st_uid, at: offset + 28)
            put32(info.st_gid, at: offset + 32)
            put32(UInt32(truncatingIfNeeded: info.st_size), at: offset + 36)
            putID(change.id, at: offset + 40)
            var directory = Self.parent(of: Substring(change.entry.path))
            while !directory.isEmpty, directories.insert(String(directory)).inserted { directory = Self.parent(of: directory) }
        }
        // The cached trees on the changed paths now name the rewritten trees.
        for directory in directories {
            guard let offset = file.cachedTreeOffsets[directory] else { continue }
            if directory.isEmpty {
                putID(treeID, at: offset)
                continue
            }
            var entry: OpaquePointer?
            try check(git_tree_entry_bypath(&entry, newRoot, directory), "cannot read \(directory) in the snapshot tree")
            defer { git_tree_entry_free(entry) }
            putID(git_tree_entry_id(entry).pointee, at: offset)
        }
        let digest = Insecure.SHA1.hash(data: bytes[0..<(bytes.count - 20)])
        bytes.replaceSubrange((bytes.count - 20)..., with: Array(digest))
        try saveIndex(bytes)
        return (treeID.hex, skipped)
    }

    /// Writes the index as git does: into `index.lock`, then renamed over the index.
    private func saveIndex(_ bytes: [UInt8]) throws {
        try FileSystem.writeFile(indexPath, contents: bytes, mode: 0o644, temporary: indexPath + ".lock", sync: false)
    }
}
