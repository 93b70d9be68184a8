import CLibGit2
import Foundation

/// A file a move of the working directory found in its way and could not be sure was stored (an
/// ignored file, a new file too large to snapshot, one changed meanwhile): moved, never deleted.
public struct TrashedFile: Sendable, Equatable, JSONRepresentable {
    /// Where it was, relative to the working directory.
    public let path: String
    /// Where it is now.
    public let location: String
    /// The working directory it was in.
    let workdir: String

    /// The shell command that puts it back (refusing to overwrite what is there now).
    public var restoreCommand: String {
        "mv -n -- \(FilePath.shellQuoted(location)) \(FilePath.shellQuoted(workdir + "/" + path))"
    }

    /// `restoreCommand` for a terminal: any name that needs escaping in bash's `$'...'` quoting.
    public var terminalRestoreCommand: String {
        "mv -n -- \(FilePath.terminalShellQuoted(location)) \(FilePath.terminalShellQuoted(workdir + "/" + path))"
    }

    public var json: JSON {
        .object([("path", .string(path)), ("location", .string(location)), ("restoreCommand", .string(restoreCommand))])
    }
}

extension GitWorkspace {
    /// Makes the working directory the tree `new`, given that it holds `old` (nil: nothing yet).
    /// Only the paths that differ between the two trees are touched, through `ConfinedDirectory`,
    /// so no symbolic link is followed. A file is removed or replaced only when its bytes are those
    /// `old` stores for it; anything else in the way is moved to `trash`. Files are written in
    /// `scratch` (on the same file system) and renamed into place, so each appears whole. Running
    /// it again after it was interrupted finishes the move: what is already as `new` wants is left.
    func move(from old: String?, to new: String, oldModes: FileModes, newModes: FileModes, scratch: String,
              trash: String, afterWrite: ((Int) -> Void)? = nil) throws -> [TrashedFile] {
        let directory = try ConfinedDirectory(workdir)
        let scratchFolder = try Scratch(scratch)
        var trashed: [TrashedFile] = []
        func moveAside(_ path: String) throws {
            var location = trash + "/" + path
            var attempt = 1
            while FileSystem.exists(location) {
                attempt += 1
                location = trash + "/" + path + ".\(attempt)"
            }
            try FileSystem.createDirectory(String(location[..<location.lastIndex(of: "/")!]), mode: 0o700)
            try directory.moveOut(path, to: location)
            trashed.append(TrashedFile(path: path, location: location, workdir: workdir))
        }

        let changes = try repository.treeChanges(from: old, to: new)
        try refuseUnholdable(changes)
        // First what goes away, deepest first, so a folder can become a file.
        // By exact path: folders named `é` in NFC and in NFD are two, and each may be left empty.
        var emptied = Set<ExactPath>()
        for change in changes.reversed() {
            guard let before = change.old, change.new == nil else { continue }
            guard try directory.status(change.path) != nil else { continue }
            if try holds(directory, change.path, before) {
                try directory.removeFile(change.path)
            } else {
                try moveAside(change.path)
            }
            var folder = Self.parent(of: Substring(change.path))
            while !folder.isEmpty, emptied.insert(ExactPath(String(folder))).inserted { folder = Self.parent(of: folder) }
        }
        for folder in emptied.map(\.path).sorted(by: { $0.utf8.count > $1.utf8.count }) { try directory.removeFolderIfEmpty(folder) }

        // Then what `new` holds, outermost first.
        var written: [String: stat] = [:]
        written.reserveCapacity(changes.count)
        for change in changes {
            guard let after = change.new else { continue }
            let bits = newModes.bits(for: change.path, gitMode: after.mode)
            // Into a new session's empty folder: written in place, one call each, no scratch file.
            if old == nil, let info = try withBlob(after.id, { try directory.create(change.path, $0, link: after.mode == 0o120000, bits: bits) }) {
                written[change.path] = info
                afterWrite?(written.count)
                continue
            }
            if let info = try directory.status(change.path) {
                if info.st_mode & S_IFMT == S_IFDIR {
                    try directory.removeFolderIfEmpty(change.path)
                    if try directory.status(change.path) != nil { try moveAside(change.path) }
                } else if try holds(directory, change.path, after) {
                    if after.mode != 0o120000 && UInt32(info.st_mode & 0o7777) != bits { try directory.setPermissions(change.path, bits) }
                    written[change.path] = try directory.status(change.path)
                    continue
                } else if !(try change.old.map { try holds(directory, change.path, $0) } ?? false) {
                    try moveAside(change.path)
                }
            }
            let name = try withBlob(after.id) { try scratchFolder.write($0, link: after.mode == 0o120000, bits: bits) }
            try directory.place(name, from: scratchFolder.descriptor, at: change.path, obstacle: moveAside)
            written[change.path] = try directory.status(change.path)
            afterWrite?(written.count)
        }

        // Files whose bytes stay but whose permission bits differ between the two views.
        let changed = Set(changes.map { ExactPath($0.path) })
        let modePaths = Set((oldModes.paths + newModes.paths).map(ExactPath.init)).subtracting(changed)
        if !modePaths.isEmpty {
            let tree = try repository.lookupTree(new)
            defer { git_tree_free(tree) }
            for path in modePaths.sorted().map(\.path) {
                var entry: OpaquePointer?
                guard git_tree_entry_bypath(&entry, tree, path) == 0 else { continue }
                let mode = git_tree_entry_filemode(entry).rawValue
                git_tree_entry_free(entry)
                guard mode == 0o100644 || mode == 0o100755, let info = try directory.status(path), info.st_mode & S_IFMT == S_IFREG else {
                    continue
                }
                let bits = newModes.bits(for: path, gitMode: mode)
                if UInt32(info.st_mode & 0o7777) != bits { try directory.setPermissions(path, bits) }
            }
        }
        try resetIndex(from: old, to: new, changes: changes, written: written)
        return trashed
    }

    /// Refuses a move from `old` to `new` that would write a path or a link no working directory
    /// here can hold: called before a move is recorded as begun, so that nothing is touched or
    /// recorded, rather than leave a move every later command fails to finish.
    func checkHoldable(from old: String?, to new: String) throws {
        try refuseUnholdable(try repository.treeChanges(from: old, to: new))
    }

    private func refuseUnholdable(_ changes: [GitRepository.TreeChange]) throws {
        for change in changes {
            guard let after = change.new else { continue }
            var id = after.id
            let target = after.mode == 0o120000 ? Int(try repository.objectSize(&id)) : nil
            if let problem = WorkdirLimits.problem(path: change.path, linkTargetBytes: target) {
                throw PlueError.invalidInput("the tree holds \(Validation.quoted(change.path)), which a working directory here cannot: \(problem)",
                                            hint: "change that path in git, then try again")
            }
        }
    }

    /// Whether the file at `path` is exactly `entry`: a link with its target, or a regular file
    /// (of either executable bit) with its bytes.
    private func holds(_ directory: ConfinedDirectory, _ path: String, _ entry: GitRepository.TreeChange.Entry) throws -> Bool {
        guard let info = try directory.status(path) else { return false }
        let kind = info.st_mode & S_IFMT
        guard kind == (entry.mode == 0o120000 ? S_IFLNK : S_IFREG), let bytes = try directory.contents(path) else { return false }
        var id = git_oid()
        try bytes.withUnsafeBytes { raw in
            try check(git_odb_hash(&id, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1), raw.count, GIT_OBJECT_BLOB), "cannot hash \(path)")
        }
        var expected = entry.id
        return git_oid_equal(&id, &expected) == 1
    }

    private func withBlob<T>(_ id: git_oid, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        var id = id
        var blob: OpaquePointer?
        try check(git_blob_lookup(&blob, repository.pointer, &id), "cannot read the blob \(id.hex)")
        defer { git_blob_free(blob) }
        return try body(UnsafeRawBufferPointer(start: git_blob_rawcontent(blob), count: Int(git_blob_rawsize(blob))))
    }

    /// Makes the session index `tree`. When only contents changed (no path came or went) and the
    /// index describes `old`, the entries are patched in place; otherwise libgit2 reads the tree,
    /// keeping the stat data of unchanged entries. Either way the files just written get their own
    /// stat data, so the next snapshot finds nothing to read again.
    private func resetIndex(from old: String?, to tree: String, changes: [GitRepository.TreeChange], written: [String: stat]) throws {
        let treeObject = try repository.lookupTree(tree)
        defer { git_tree_free(treeObject) }
        if let old, changes.allSatisfy({ $0.old != nil && $0.new != nil }), let file = GitIndexFile.read(indexPath),
           file.cachedRootTree == old, !EquivalentNames.holdsEquivalentPair(file.entries.lazy.map(\.path)) {
            var entries: [String: GitIndexFile.Entry] = [:]
            for entry in file.entries where written[entry.path] != nil && entry.stage == 0 { entries[entry.path] = entry }
            let updates = changes.compactMap { change -> (GitIndexFile.Entry, UInt32, git_oid, stat)? in
                guard let entry = entries[change.path], let info = written[change.path], let new = change.new else { return nil }
                return (entry, new.mode, new.id, info)
            }
            if updates.count == changes.count {
                let rootID = try GitObjectID.parse(tree)
                try patchIndex(file, updates, root: treeObject!, rootID: rootID)
                return
            }
        }
        let index = try self.index
        try GitIndexEntries.fill(index.pointer, from: treeObject!, repository: repository.pointer)
        try check(git_index_write(index.pointer), "cannot save the session index")
        guard !written.isEmpty, var file = GitIndexFile.read(indexPath) else { return }
        // Names equal as Strings get no stat data: the next snapshot reads them again.
        let ambiguous = EquivalentNames.holdsEquivalentPair(file.entries.lazy.map(\.path))
        for entry in file.entries {
            guard let info = written[entry.path], !(ambiguous && entry.path.utf8.contains(where: { $0 >= 0x80 })) else { continue }
            file.setStat(at: entry.offset, info)
        }
        file.seal()
        try saveIndex(file.bytes)
    }
}

/// The session's scratch folder, where files are written before they are renamed into the working
/// directory. Emptied first: what a killed move left there is of no use.
private final class Scratch {
    let descriptor: Int32
    private var count = 0

    init(_ path: String) throws {
        try FileSystem.remove(path)
        try FileSystem.createDirectory(path, mode: 0o700)
        descriptor = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileSystem.errnoError("cannot open \(path)", errno) }
    }

    deinit { close(descriptor) }

    /// Writes `bytes` as a new file with `bits` (or a link to them) and returns its name.
    func write(_ bytes: UnsafeRawBufferPointer, link: Bool, bits: UInt32) throws -> String {
        count += 1
        let name = "f\(count)"
        if link {
            let target = String(decoding: bytes, as: UTF8.self)
            guard symlinkat(target, descriptor, name) == 0 else { throw FileSystem.errnoError("cannot create a link", errno) }
            return name
        }
        let file = openat(descriptor, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard file >= 0 else { throw FileSystem.errnoError("cannot create a file to check out", errno) }
        defer { close(file) }
        try FileSystem.writeAll(file, bytes, what: "a file to check out")
        guard fchmod(file, mode_t(bits)) == 0 else { throw FileSystem.errnoError("cannot set a file's permissions", errno) }
        return name
    }
}

extension GitRepository {
    /// One path that differs between two trees, with its entry on each side (nil where absent). A
    /// path that changed between file and link appears twice: once going, once coming.
    struct TreeChange {
        struct Entry { let mode: UInt32; let id: git_oid }
        let path: String
        let old: Entry?
        let new: Entry?
    }

    /// The files (blobs and links; submodules are left alone) that differ, sorted by path.
    func treeChanges(from old: String?, to new: String) throws -> [TreeChange] {
        let oldTree = try old.flatMap(lookupTree)
        defer { if let oldTree { git_tree_free(oldTree) } }
        let newTree = try lookupTree(new)
        defer { git_tree_free(newTree) }
        var options = git_diff_options()
        git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION))
        var diff: OpaquePointer?
        try check(git_diff_tree_to_tree(&diff, pointer, oldTree, newTree, &options), "cannot compare \(old ?? "nothing") with \(new)")
        defer { git_diff_free(diff) }
        var result: [TreeChange] = []
        for position in 0..<git_diff_num_deltas(diff) {
            guard let delta = git_diff_get_delta(diff, position)?.pointee else { continue }
            func entry(_ file: git_diff_file, present: Bool) -> TreeChange.Entry? {
                let mode = UInt32(file.mode)
                guard present, mode == 0o100644 || mode == 0o100755 || mode == 0o120000 else { return nil }
                return TreeChange.Entry(mode: mode, id: file.id)
            }
            let before = entry(delta.old_file, present: delta.status != GIT_DELTA_ADDED)
            let after = entry(delta.new_file, present: delta.status != GIT_DELTA_DELETED)
            guard before != nil || after != nil, let cPath = delta.new_file.path ?? delta.old_file.path else { continue }
            let path = String(cString: cPath)
            // A tree from a push may hold names no checkout should write (`.git`, `..`): left alone.
            guard path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy({ ConfinedDirectory.isPlainName(String($0)) })
            else { continue }
            result.append(TreeChange(path: path, old: before, new: after))
        }
        return result.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    /// The files that differ between two trees, as a turn reports them: added, modified or deleted,
    /// with the new size in bytes.
    func changedFiles(from old: String?, to new: String) throws -> [ChangedFile] {
        var result: [ChangedFile] = []
        for change in try treeChanges(from: old, to: new) {
            if let last = result.last, last.path == change.path {
                // A file that became a link (or the reverse) is one change.
                result[result.count - 1] = ChangedFile(status: .modified, path: change.path, size: try change.new.map(size) ?? last.size)
                continue
            }
            let status: ChangedFile.Status = change.old == nil ? .added : change.new == nil ? .deleted : .modified
            result.append(ChangedFile(status: status, path: change.path, size: try change.new.map(size)))
        }
        return result
    }

    private func size(_ entry: TreeChange.Entry) throws -> Int64 {
        var id = entry.id
        return try objectSize(&id)
    }
}

/// A file a turn changed.
public struct ChangedFile: Sendable, Equatable, JSONRepresentable {
    public enum Status: String, Sendable { case added, modified, deleted }

    public let status: Status
    public let path: String
    /// The new size in bytes; nil when deleted.
    public let size: Int64?

    public var json: JSON {
        .object([("status", .string(status.rawValue)), ("path", .string(path)), ("size", size.map(JSON.int) ?? .null)])
    }
}
