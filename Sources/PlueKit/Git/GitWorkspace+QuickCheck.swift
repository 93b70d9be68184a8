import CLibGit2
import Foundation

extension GitWorkspace {
    /// The tracked files whose stat data no longer matches the index, found by comparing every entry
    /// with `lstat` on both cores (as git's preloaded index does), and the tracked files that are gone.
    /// Nil when something else may have happened (a name the index does not know and .gitignore does
    /// not ignore, a folder that became a link or file, an entry too recent to trust by its stat
    /// data, a conflict): the caller then runs libgit2's full status walk.
    func quickChanges(indexFile: GitIndexFile) -> QuickChanges? {
        var indexInfo = stat()
        guard stat(indexPath, &indexInfo) == 0, !indexFile.entries.contains(where: { $0.stage != 0 }) else { return nil }
        let entries = indexFile.entries
        // Folders and entries are keyed by String below: names equal as Strings go to the full walk.
        guard !EquivalentNames.holdsEquivalentPair(entries.lazy.map(\.path)) else { return nil }
        // Each entry's folder, and every folder above those ("" is the top). Entries are sorted by
        // path, so consecutive ones mostly share a folder: it is looked up only when it changes.
        // By exact path: folders named `é` in NFC and in NFD are two folders to list.
        var folderIndex: [ExactPath: Int] = [:]
        var folders: [String] = []
        var parents = [Int](repeating: 0, count: entries.count)
        var previous: Substring?
        var previousIndex = 0
        func folder(_ path: Substring) -> Int {
            let key = ExactPath(String(path))
            if let known = folderIndex[key] { return known }
            if !path.isEmpty { _ = folder(Self.parent(of: path)) }
            folders.append(key.path)
            folderIndex[key] = folders.count - 1
            return folders.count - 1
        }
        _ = folder("")
        for (index, entry) in entries.enumerated() {
            let parent = Self.parent(of: Substring(entry.path))
            if let previous, previous.utf8.elementsEqual(parent.utf8) {
                parents[index] = previousIndex
            } else {
                previousIndex = folder(parent)
                parents[index] = previousIndex
                previous = parent
            }
        }

        let verdicts = VerdictBuffer(count: entries.count)
        let bits = BitsBuffer(count: entries.count)
        let found = CountBuffer(count: folders.count)
        let specials = SpecialFiles()
        // Paths relative to an open directory: the kernel walks only the components inside the
        // working directory, not its whole absolute path, for each of the 20,000 lstat calls.
        let root = open(workdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard root >= 0 else { return nil }
        defer { close(root) }
        let indexSeconds = Int(indexInfo.st_mtim.tv_sec), indexNanoseconds = Int(indexInfo.st_mtim.tv_nsec)
        // The entries' stat calls and the folders' listings, all spread over both cores.
        let statChunks = 8, folderChunks = 4
        let folderList = folders
        DispatchQueue.concurrentPerform(iterations: statChunks + folderChunks) { chunk in
            if chunk >= statChunks {
                let part = chunk - statChunks
                for index in (part * folderList.count / folderChunks)..<((part + 1) * folderList.count / folderChunks) {
                    found.buffer[index] = Self.countNames(in: folderList[index], root: root, specials: specials)
                }
                return
            }
            var index = chunk * entries.count / statChunks
            let end = (chunk + 1) * entries.count / statChunks
            while index < end {
                let entry = entries[index]
                var info = stat()
                if entry.path.withCString({ fstatat(root, $0, &info, AT_SYMLINK_NOFOLLOW) }) != 0 {
                    verdicts.buffer[index] = errno == ENOENT || errno == ENOTDIR ? .deleted : .unknown
                } else {
                    let seconds = Int(info.st_mtim.tv_sec), nanoseconds = Int(info.st_mtim.tv_nsec)
                    let racy = seconds > indexSeconds || (seconds == indexSeconds && nanoseconds >= indexNanoseconds)
                    let kind = info.st_mode & S_IFMT
                    let expectedKind: mode_t = entry.mode == 0o120000 ? S_IFLNK : entry.mode == 0o160000 ? S_IFDIR : S_IFREG
                    let executable = (info.st_mode & 0o100) != 0
                    // Only a regular file's bits are kept: a file that became a link has none to restore.
                    if kind == S_IFREG { bits.buffer[index] = UInt32(info.st_mode & 0o7777) }
                    let same = kind == expectedKind && (kind != S_IFREG || executable == (entry.mode == 0o100755))
                        && UInt32(truncatingIfNeeded: info.st_size) == entry.size && seconds == Int(entry.seconds)
                        && nanoseconds == Int(entry.nanoseconds) && UInt32(truncatingIfNeeded: info.st_ino) == entry.inode
                    // A file that became a directory (or the reverse) is left to the full walk.
                    let retyped = (kind == S_IFDIR) != (expectedKind == S_IFDIR)
                    verdicts.buffer[index] = retyped ? .unknown : racy || !same ? .modified : .same
                }
                index += 1
            }
        }
        var result = QuickChanges()
        result.specials = specials.paths.sorted()
        // How many names each folder should hold: its entries still there, and its subfolders.
        var expected = [Int](repeating: 0, count: folders.count)
        for (index, entry) in entries.enumerated() {
            switch verdicts.buffer[index] {
            case .same, .modified:
                if verdicts.buffer[index] == .modified { result.modified.append(entry.path) }
                let mode = bits.buffer[index]
                // Most files are 0644 or 0755, which the tree holds: no lookup for them.
                if mode != BitsBuffer.none && mode != 0o644 && mode != 0o755 { result.modes.set(entry.path, mode) }
                expected[parents[index]] += 1
            case .deleted: result.deleted.append(entry.path)
            case .unknown: return nil
            }
        }
        for (index, path) in folders.enumerated() where !path.isEmpty && found.buffer[index] >= 0 {
            expected[folderIndex[ExactPath(String(Self.parent(of: Substring(path))))]!] += 1
        }
        // Any name on disk the index does not know could be a new file. Counting is enough where
        // every folder holds exactly as many names as the index has existing children there; only
        // a folder with more is read by name, and its extra names must all be ignored.
        let folderSet = Set(folders)
        for (index, path) in folders.enumerated() {
            let count = found.buffer[index]
            if count == CountBuffer.failed { return nil }
            if count == CountBuffer.missing {
                if expected[index] != 0 { return nil }
                continue
            }
            if count != expected[index] {
                guard count > expected[index], allExtraIgnored(in: path, entries: entries, directories: folderSet) else { return nil }
            }
        }
        return result
    }

    /// Counts the names in a folder that are files, folders or links (not `.`, `..`, or the top's
    /// `.git`); FIFOs, sockets and devices go to `specials`. Never through a link: a folder that
    /// became one fails, and the full walk records the change.
    private static func countNames(in folder: String, root: Int32, specials: SpecialFiles) -> Int {
        let descriptor = folder.isEmpty ? dup(root) : openat(root, folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return errno == ENOENT ? CountBuffer.missing : CountBuffer.failed }
        guard let handle = fdopendir(descriptor) else {
            close(descriptor)
            return CountBuffer.failed
        }
        defer { closedir(handle) }
        var count = 0
        while let item = readdir(handle) {
            let skip = withUnsafeBytes(of: item.pointee.d_name) { name in
                name[0] == 46 && (name[1] == 0 || (name[1] == 46 && name[2] == 0)
                    || (folder.isEmpty && name[1] == 103 && name[2] == 105 && name[3] == 116 && name[4] == 0)) // . .. .git
            }
            if skip { continue }
            var type = item.pointee.d_type
            if type == UInt8(DT_UNKNOWN) {
                var info = stat()
                let statted = withUnsafeBytes(of: item.pointee.d_name) { name in
                    fstatat(dirfd(handle), name.baseAddress!.assumingMemoryBound(to: CChar.self), &info, AT_SYMLINK_NOFOLLOW) == 0
                }
                guard statted else { return CountBuffer.failed }
                type = directoryType(info.st_mode)
            }
            if type == UInt8(DT_FIFO) || type == UInt8(DT_SOCK) || type == UInt8(DT_CHR) || type == UInt8(DT_BLK) {
                let name = withUnsafeBytes(of: item.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                specials.append(folder.isEmpty ? name : folder + "/" + name)
                continue
            }
            count += 1
        }
        return count
    }

    /// Whether every name in `directory` that the index does not know is ignored by .gitignore.
    private func allExtraIgnored(in directory: String, entries: [GitIndexFile.Entry], directories: Set<String>) -> Bool {
        let prefix = directory.isEmpty ? "" : directory + "/"
        // Compared as bytes: a new name equal as a String to a known one (NFC and NFD) is new.
        var known = Set<[UInt8]>()
        for path in entries.lazy.map(\.path) + directories.filter({ !$0.isEmpty }) where path.hasPrefix(prefix) {
            let rest = path.utf8.dropFirst(prefix.utf8.count)
            if !rest.contains(UInt8(ascii: "/")) { known.insert(Array(rest)) }
        }
        for name in names(in: directory) where !known.contains(Array(name.utf8)) {
            var ignored: Int32 = 0
            let path = prefix + name
            guard git_ignore_path_is_ignored(&ignored, repository.pointer, path) == 0, ignored == 1 else { return false }
        }
        return true
    }

    /// The names of the files, folders and links in a folder of the working directory (the type
    /// readdir gives; no stat of each), without the top's `.git`; never through a link.
    private func names(in folder: String) -> [String] {
        let descriptor = open(folder.isEmpty ? workdir : workdir + "/" + folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0, let handle = fdopendir(descriptor) else { return [] }
        defer { closedir(handle) }
        var result: [String] = []
        while let item = readdir(handle) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            let type = item.pointee.d_type
            guard name != "." && name != "..", !(folder.isEmpty && name == ".git"),
                  type == UInt8(DT_DIR) || type == UInt8(DT_REG) || type == UInt8(DT_LNK) || type == UInt8(DT_UNKNOWN) else { continue }
            result.append(name)
        }
        return result
    }

    /// The FIFOs, sockets and devices directly in `folders`, never looking through a link.
    func specialFiles(in folders: [String]) -> [String] {
        guard let directory = try? ConfinedDirectory(workdir) else { return [] }
        var result: [String] = []
        for folder in folders {
            let names: [String]
            if folder.isEmpty {
                names = (try? FileManager.default.contentsOfDirectory(atPath: workdir)) ?? []
            } else {
                guard let info = try? directory.status(folder), info.st_mode & S_IFMT == S_IFDIR else { continue }
                names = (try? FileManager.default.contentsOfDirectory(atPath: workdir + "/" + folder)) ?? []
            }
            for name in names where !(folder.isEmpty && name == ".git") {
                let path = folder.isEmpty ? name : folder + "/" + name
                guard let info = try? directory.status(path) else { continue }
                let kind = info.st_mode & S_IFMT
                if kind == S_IFIFO || kind == S_IFSOCK || kind == S_IFCHR || kind == S_IFBLK { result.append(path) }
            }
        }
        return result
    }

    /// Every folder that holds one of `paths`, and the folders above them ("" is the top), in
    /// byte order; folders named alike only under Unicode equivalence are two.
    static func folders(of paths: [String]) -> [String] {
        var result: Set<ExactPath> = [ExactPath("")]
        for path in paths {
            var folder = parent(of: Substring(path.hasSuffix("/") ? String(path.dropLast()) : path))
            while !folder.isEmpty, result.insert(ExactPath(String(folder))).inserted { folder = parent(of: folder) }
        }
        return result.sorted().map(\.path)
    }

    static func directoryType(_ mode: mode_t) -> UInt8 {
        switch mode & S_IFMT {
        case S_IFDIR: UInt8(DT_DIR)
        case S_IFREG: UInt8(DT_REG)
        case S_IFLNK: UInt8(DT_LNK)
        case S_IFIFO: UInt8(DT_FIFO)
        case S_IFSOCK: UInt8(DT_SOCK)
        case S_IFCHR: UInt8(DT_CHR)
        default: UInt8(DT_BLK)
        }
    }
}

/// What the quick pass found: changed and deleted tracked files, FIFOs, sockets and devices (left
/// out and reported), and the permission bits of every tracked file.
struct QuickChanges {
    var modified: [String] = []
    var deleted: [String] = []
    var specials: [String] = []
    var modes = FileModes()
}

extension GitWorkspace {
    /// `a/b/c` → `a/b`, `a` → ``, working on UTF-8 so no grapheme breaking is involved.
    static func parent(of path: Substring) -> Substring {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path[path.startIndex..<path.startIndex] }
        return path[..<slash]
    }
}

private enum Verdict { case same, modified, deleted, unknown }

/// Each folder's count of names, written by the listing workers like `VerdictBuffer`.
private final class CountBuffer: @unchecked Sendable {
    // @unchecked: as for VerdictBuffer, disjoint writes read after concurrentPerform returns.
    let buffer: UnsafeMutableBufferPointer<Int>
    /// The folder is not there.
    static let missing = -1
    /// It could not be read, or is a link now.
    static let failed = -2

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: Self.failed)
    }

    deinit { buffer.deallocate() }
}

/// The FIFOs, sockets and devices the listing workers came across.
private final class SpecialFiles: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var found: [String] = []

    func append(_ path: String) {
        lock.lock()
        found.append(path)
        lock.unlock()
    }

    var paths: [String] {
        lock.lock()
        defer { lock.unlock() }
        return found
    }
}

/// Each tracked file's permission bits, written by the stat workers like `VerdictBuffer`.
private final class BitsBuffer: @unchecked Sendable {
    // @unchecked: as for VerdictBuffer, disjoint writes read after concurrentPerform returns.
    let buffer: UnsafeMutableBufferPointer<UInt32>
    /// No bits: not a regular file.
    static let none = UInt32.max

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: Self.none)
    }

    deinit { buffer.deallocate() }
}

/// One verdict per index entry, written by the stat workers.
private final class VerdictBuffer: @unchecked Sendable {
    // @unchecked: each worker writes only its own disjoint range of indices, and the buffer is read
    // after concurrentPerform has returned, which orders those writes before the reads.
    let buffer: UnsafeMutableBufferPointer<Verdict>

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: .unknown)
    }

    deinit { buffer.deallocate() }
}
