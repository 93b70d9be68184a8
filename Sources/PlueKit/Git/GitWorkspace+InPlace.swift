import CLibGit2
import Foundation

extension GitWorkspace {
    /// Records files whose contents (or executable bit, or link target) changed without libgit2
    /// loading and rewriting the whole index: each file becomes a blob, the trees on its path are
    /// rewritten from the cached tree, and the index file gets the new ids and stat data in place
    /// (entries, TREE extension, checksum), saved through `index.lock` as git does. Nil when the
    /// change is of another kind (a file that became a directory, a submodule, a file gone meanwhile,
    /// no valid cached tree): the caller then goes through libgit2's index.
    func recordInPlace(_ file: GitIndexFile, modified: [String]) throws -> String? {
        guard let root = file.cachedRootTree, file.bytes.count >= 32,
              !EquivalentNames.holdsEquivalentPair(file.entries.lazy.map(\.path)) else { return nil }
        let wanted = Set(modified)
        var entries: [String: GitIndexFile.Entry] = [:]
        for entry in file.entries where wanted.contains(entry.path) { entries[entry.path] = entry }
        var recorded: [(entry: GitIndexFile.Entry, mode: UInt32, id: git_oid, info: stat)] = []
        let directory = try ConfinedDirectory(workdir)
        for path in modified.sorted() {
            guard let entry = entries[path], entry.mode != 0o160000 else { return nil }
            // Through the same O_NOFOLLOW chain as the bytes below, so both come from one file.
            guard let info = try directory.status(path) else { return nil }
            let mode: UInt32
            switch info.st_mode & S_IFMT {
            case S_IFREG: mode = info.st_mode & 0o100 != 0 ? 0o100755 : 0o100644
            case S_IFLNK: mode = 0o120000
            default: return nil
            }
            // Recorded whatever its size (only new files are held to the limit), byte for byte: no
            // filter changes what is stored, so a checkout knows these bytes for the ones recorded.
            guard let bytes = try directory.contents(path) else { return nil }
            var id = git_oid()
            try bytes.withUnsafeBytes { raw in
                try check(git_blob_create_from_buffer(&id, repository.pointer, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, raw.count),
                          "cannot record \(path)")
            }
            recorded.append((entry, mode, id, info))
        }
        guard !recorded.isEmpty else { return root }

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

        try patchIndex(file, recorded.map { ($0.entry, $0.mode, $0.id, $0.info) }, root: newRoot!, rootID: treeID)
        return treeID.hex
    }

    /// Gives changed entries their new mode, id and stat data in the index file itself, points the
    /// cached trees on their paths at the trees of `root`, and saves it with a new checksum.
    func patchIndex(_ file: GitIndexFile, _ changes: [(entry: GitIndexFile.Entry, mode: UInt32, id: git_oid, info: stat)],
                    root: OpaquePointer, rootID: git_oid) throws {
        var file = file
        var directories: Set<String> = [""]
        for change in changes {
            file.setStat(at: change.entry.offset, change.info, mode: change.mode, id: change.id)
            var directory = Self.parent(of: Substring(change.entry.path))
            while !directory.isEmpty, directories.insert(String(directory)).inserted { directory = Self.parent(of: directory) }
        }
        // The cached trees on the changed paths now name the rewritten trees.
        for directory in directories {
            guard let offset = file.cachedTreeOffsets[directory] else { continue }
            if directory.isEmpty {
                file.putID(rootID, at: offset)
                continue
            }
            var entry: OpaquePointer?
            try check(git_tree_entry_bypath(&entry, root, directory), "cannot read \(directory) in the tree \(rootID.hex)")
            defer { git_tree_entry_free(entry) }
            file.putID(git_tree_entry_id(entry).pointee, at: offset)
        }
        file.seal()
        try saveIndex(file.bytes)
    }

    /// Writes the index as git does: into `index.lock`, then renamed over the index.
    func saveIndex(_ bytes: [UInt8]) throws {
        try FileSystem.writeFile(indexPath, contents: bytes, mode: 0o644, temporary: indexPath + ".lock", sync: false)
    }
}
