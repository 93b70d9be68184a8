import CLibGit2
import Foundation

extension GitWorkspace {
    /// The tracked files whose stat data no longer matches the index, found by comparing every entry
    /// with `lstat` on both cores (as git's preloaded index does), and the tracked files that are gone.
    /// Nil when something else may have happened (a file or directory the index does not know, an
    /// entry too recent to trust by its stat data, a conflict): the caller then runs libgit2's full
    /// status walk, which also applies .gitignore.
    func quickChanges(indexFile: GitIndexFile) -> (modified: [String], deleted: [String])? {
        var indexInfo = stat()
        guard stat(indexPath, &indexInfo) == 0, !indexFile.entries.contains(where: { $0.stage != 0 }) else { return nil }
        let collected = indexFile.entries
        let entries = collected
        let verdicts = VerdictBuffer(count: entries.count)
        // Paths relative to an open directory: the kernel walks only the components inside the
        // working directory, not its whole absolute path, for each of the 20,000 lstat calls.
        let root = open(workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { return nil }
        defer { close(root) }
        let workdir = self.workdir
        let indexSeconds = Int(indexInfo.st_mtim.tv_sec), indexNanoseconds = Int(indexInfo.st_mtim.tv_nsec)
        let chunks = 8
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            var index = chunk * entries.count / chunks
            let end = (chunk + 1) * entries.count / chunks
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
        var modified: [String] = [], deleted: [String] = []
        for (index, entry) in entries.enumerated() {
            switch verdicts.buffer[index] {
            case .same: break
            case .modified: modified.append(entry.path)
            case .deleted: deleted.append(entry.path)
            case .unknown: return nil
            }
        }
        // Any name on disk the index does not know could be a new file: leave that to the full walk.
        // Counting is enough: when every directory holds exactly as many names as the index has
        // existing children there, no unknown name can be among them.
        var filesIn: [String: Int] = ["": 0]
        for (index, entry) in entries.enumerated() {
            let parent = String(Self.parent(of: Substring(entry.path)))
            filesIn[parent, default: 0] += verdicts.buffer[index] == .deleted ? 0 : 1
        }
        var directories = Set(filesIn.keys)
        for directory in filesIn.keys {
            var path = Substring(directory)
            while !path.isEmpty {
                path = Self.parent(of: path)
                if !directories.insert(String(path)).inserted { break }
            }
        }
        var found: [String: Int] = [:]
        for directory in directories {
            guard let handle = opendir(directory.isEmpty ? workdir : workdir + "/" + directory) else {
                if errno == ENOENT { continue }
                return nil
            }
            defer { closedir(handle) }
            var count = 0
            while let item = readdir(handle) {
                let name = item.pointee.d_name
                if name.0 == 46 && (name.1 == 0 || (name.1 == 46 && name.2 == 0)) { continue }
                count += 1
            }
            found[directory] = count
        }
        var expected = filesIn
        for directory in directories where !directory.isEmpty && found[directory] != nil {
            expected[String(Self.parent(of: Substring(directory))), default: 0] += 1
        }
        for (directory, count) in found where count != expected[directory, default: 0] {
            return nil
        }
        for directory in directories where found[directory] == nil && expected[directory, default: 0] != 0 {
            return nil
        }
        return (modified, deleted)
    }
}

extension GitWorkspace {
    /// `a/b/c` → `a/b`, `a` → ``, working on UTF-8 so no grapheme breaking is involved.
    static func parent(of path: Substring) -> Substring {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path[path.startIndex..<path.startIndex] }
        return path[..<slash]
    }
}

private enum Verdict { case same, modified, deleted, unknown }

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
