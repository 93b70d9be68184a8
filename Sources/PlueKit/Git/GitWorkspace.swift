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
    var index: GitHandle {
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
    /// deletions, modes and symlinks, and the permission bits a tree cannot hold. Files already
    /// recorded are always recorded again whatever their size; a new file above `maxNewFileSize`
    /// bytes, a nested repository (its files, as git treats one) and a FIFO, socket or device are
    /// left out and reported. A quick pass compares every entry's stat data with the index, so
    /// unchanged files are not read, and an unchanged tree writes nothing; libgit2's status walk
    /// runs only when names appeared or changed type.
    func snapshotTree(maxNewFileSize: Int64) throws -> WorkdirSnapshot {
        var skipped: [SkippedFile] = []
        var changed = false
        var added: [String] = []
        let directory = try ConfinedDirectory(workdir)
        func add(_ path: String) throws {
            added.append(path)
            if path.hasSuffix("/") {
                // libgit2 reports a folder holding a .git of its own as one untracked entry.
                skipped.append(SkippedFile(path: String(path.dropLast()), reason: .nestedRepository, size: nil))
                return
            }
            guard let info = try directory.status(path) else { return }
            let kind = info.st_mode & S_IFMT
            guard kind == S_IFREG || kind == S_IFLNK else {
                skipped.append(SkippedFile(path: path, reason: .specialFile, size: nil))
                return
            }
            let tracked = git_index_get_bypath(try index.pointer, path, 0) != nil
            if !tracked && kind == S_IFREG && Int64(info.st_size) > maxNewFileSize {
                skipped.append(SkippedFile(path: path, reason: .tooLarge(limit: maxNewFileSize), size: Int64(info.st_size)))
                return
            }
            guard let bytes = try directory.contents(path) else {
                skipped.append(SkippedFile(path: path, reason: .unreadable, size: Int64(info.st_size)))
                return
            }
            try GitIndexEntries.add(try index.pointer, path: path, bytes: bytes, info: info)
            changed = true
        }
        let file = GitIndexFile.read(indexPath)
        let quick = file.flatMap { quickChanges(indexFile: $0) }
        if let quick {
            skipped += quick.specials.map { SkippedFile(path: $0, reason: .specialFile, size: nil) }
            if quick.modified.isEmpty, quick.deleted.isEmpty, let tree = file?.cachedRootTree {
                return WorkdirSnapshot(tree: tree, modes: quick.modes, skipped: skipped)
            }
            if let file, quick.deleted.isEmpty, let tree = try recordInPlace(file, modified: quick.modified) {
                return WorkdirSnapshot(tree: tree, modes: quick.modes, skipped: skipped)
            }
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
        var modes = quick?.modes
        if modes == nil {
            // libgit2's walk passes FIFOs, sockets and devices by in silence: look for them in every
            // folder the index or a new file names.
            let entries = GitIndexFile.read(indexPath)?.entries ?? []
            modes = permissionBits(entries)
            let specials = specialFiles(in: Self.folders(of: entries.map(\.path) + added))
            skipped += specials.map { SkippedFile(path: $0, reason: .specialFile, size: nil) }
        }
        return WorkdirSnapshot(tree: oid.hex, modes: modes ?? FileModes(), skipped: skipped.sorted { $0.path < $1.path })
    }

    /// The permission bits of the index's regular files that a tree cannot hold.
    private func permissionBits(_ entries: [GitIndexFile.Entry]) -> FileModes {
        var modes = FileModes()
        guard let directory = try? ConfinedDirectory(workdir) else { return modes }
        for entry in entries where entry.mode == 0o100644 || entry.mode == 0o100755 {
            if let info = try? directory.status(entry.path), info.st_mode & S_IFMT == S_IFREG {
                modes.set(entry.path, UInt32(info.st_mode & 0o7777))
            }
        }
        return modes
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
        do {
            try check(git_status_list_new(&list, repository.pointer, &options), "cannot compare \(workdir) with its last snapshot")
        } catch let error as PlueError where error.cause?.contains("nesting too deep") == true {
            throw PlueError(.invalidInput, "the working directory holds folders more than \(WorkdirLimits.walkDepth) deep, which Plue cannot record; "
                                         + "remove them (a turn's agent can) and try again", cause: error.cause)
        }
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
}

/// What a snapshot of a working directory found.
struct WorkdirSnapshot {
    let tree: String
    let modes: FileModes
    let skipped: [SkippedFile]
}

/// A file a snapshot left out, and why: it is not stored, so nothing that moves the working
/// directory may remove it.
public struct SkippedFile: Sendable, Equatable, JSONRepresentable {
    public enum Reason: Sendable, Equatable {
        case tooLarge(limit: Int64), nestedRepository, specialFile, unreadable
    }

    public let path: String
    public let reason: Reason
    public let size: Int64?

    /// Why, in words.
    public var explanation: String {
        switch reason {
        case .tooLarge(let limit): "a new file over \(limit) bytes (raise the session's limit for new files to record it)"
        case .nestedRepository: "a nested git repository (its files are not recorded, as git does)"
        case .specialFile: "not a file, folder or link (a FIFO, socket or device)"
        case .unreadable: "cannot be read"
        }
    }

    var reasonName: String {
        switch reason {
        case .tooLarge: "too-large"
        case .nestedRepository: "nested-repository"
        case .specialFile: "special-file"
        case .unreadable: "unreadable"
        }
    }

    public var json: JSON {
        .object([("path", .string(path)), ("reason", .string(reasonName)), ("size", size.map(JSON.int) ?? .null),
                 ("explanation", .string(explanation))])
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
