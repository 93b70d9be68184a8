import Foundation
import Glibc

/// The file operations Plue needs, each turning OS failures into `PlueError`s.
enum FileSystem {
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether `path` itself is a folder, not a symbolic link to one.
    static func isRealDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether `path` (links followed) is a regular file this process may execute.
    static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && access(path, X_OK) == 0
    }

    /// The names in `directory`, sorted; empty when it cannot be read.
    static func sortedEntries(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    /// Whether the file system holding `path` is mounted read-only.
    static func isReadOnlyFileSystem(_ path: String) -> Bool {
        var info = statvfs()
        return statvfs(path, &info) == 0 && (info.f_flag & UInt(ST_RDONLY)) != 0
    }

    static func createDirectory(_ path: String, mode: mode_t = 0o755) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true,
                attributes: [.posixPermissions: NSNumber(value: mode)])
        } catch {
            throw osError("cannot create the directory \(path)", error)
        }
    }

    /// Removes a file or a whole directory tree; a missing path is not an error.
    static func remove(_ path: String) throws {
        guard exists(path) else { return }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw osError("cannot remove \(path)", error)
        }
    }

    /// Removes the entries of `directory` last modified more than `age` seconds ago.
    static func removeEntries(in directory: String, olderThan age: Double) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        let cutoff = time(nil) - time_t(age)
        for name in names {
            var info = stat()
            let path = directory + "/" + name
            if lstat(path, &info) == 0 && info.st_mtim.tv_sec < cutoff { try? remove(path) }
        }
    }

    /// Atomic rename within one file system.
    static func rename(_ from: String, to: String) throws {
        if Glibc.rename(from, to) != 0 {
            let code = errno
            if code == EEXIST || code == ENOTEMPTY {
                throw PlueError.alreadyExists("cannot move \(from) to \(to): something is already there")
            }
            throw errnoError("cannot move \(from) to \(to)", code)
        }
    }

    /// Writes `contents` to a new file created with `mode`, replacing any file at `path` atomically.
    /// `temporary` (created exclusively, so it doubles as a lock such as git's `index.lock`)
    /// defaults to a name of this process; `sync: false` skips the fsync, for files that can be
    /// derived again (git does not fsync its index either).
    static func writeFile(_ path: String, contents: [UInt8], mode: mode_t, temporary: String? = nil, sync: Bool = true) throws {
        let temporary = temporary ?? path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw errnoError("cannot create \(temporary)", errno) }
        var written = 0
        while written < contents.count {
            let result = contents.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, contents.count - written) }
            if result < 0 && errno == EINTR { continue }
            if result <= 0 {
                let code = result < 0 ? errno : EIO
                close(descriptor)
                unlink(temporary)
                throw errnoError("cannot write \(temporary)", code)
            }
            written += result
        }
        // open() applies the umask; the mode must be exactly what was asked for.
        fchmod(descriptor, mode)
        if (sync && fsync(descriptor) != 0) || close(descriptor) != 0 {
            let code = errno
            unlink(temporary)
            throw errnoError("cannot write \(temporary)", code)
        }
        do {
            try rename(temporary, to: path)
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Everything left to read from an open file; nil when a read fails.
    static func readAll(_ descriptor: Int32, sizeHint: Int = 0) -> [UInt8]? {
        var result = [UInt8](repeating: 0, count: max(sizeHint, 0) + 1)
        var count = 0
        while true {
            if count == result.count { result += [UInt8](repeating: 0, count: max(result.count, 4096)) }
            let read = result.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + count, $0.count - count) }
            if read < 0 && errno == EINTR { continue }
            if read < 0 { return nil }
            if read == 0 { break }
            count += read
        }
        result.removeSubrange(count...)
        return result
    }

    /// The bytes of the file at `path`, never through a symbolic link; nil when it holds more
    /// than `limit` bytes or is not a regular file.
    static func readSmallFile(_ path: String, limit: Int) throws -> [UInt8]? {
        // O_NONBLOCK: a FIFO put in the file's place must not hang the reader.
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw errnoError("cannot read \(path)", errno) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw errnoError("cannot read \(path)", errno) }
        guard info.st_mode & S_IFMT == S_IFREG, info.st_size <= limit else { return nil }
        guard let bytes = readAll(descriptor, sizeHint: Int(info.st_size)) else { throw errnoError("cannot read \(path)", errno) }
        return bytes.count <= limit ? bytes : nil
    }

    /// Writes all of `bytes` to an open file, or fails with the error that stopped it.
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, what: @autoclosure () -> String) throws {
        var written = 0
        while written < bytes.count {
            let result = write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            if result < 0 && errno == EINTR { continue }
            if result <= 0 { throw errnoError("cannot write \(what())", result < 0 ? errno : EIO) }
            written += result
        }
    }

    /// Total bytes of the regular files below `path`, not following symbolic links.
    static func diskUsage(_ path: String) -> Int64 {
        var total: Int64 = 0
        forEachFile(below: path) { info in
            total += Int64(info.st_size)
            return true
        }
        return total
    }

    /// Calls `body` with the `lstat` of each regular file below `path`, depth first, not following
    /// symbolic links, until it returns false. Returns false when stopped early.
    @discardableResult
    static func forEachFile(below path: String, _ body: (stat) -> Bool) -> Bool {
        guard let directory = opendir(path) else { return true }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let child = path + "/" + name
            var info = stat()
            guard lstat(child, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: if !forEachFile(below: child, body) { return false }
            case S_IFREG: if !body(info) { return false }
            default: break
            }
        }
        return true
    }

    /// A random name for staging files and directories: 32 hex digits from 128 random bits.
    static func randomName() -> String {
        Hex.random(bytes: 16)
    }

    static func errnoError(_ message: String, _ code: Int32) -> PlueError {
        let reason = String(cString: strerror(code))
        switch code {
        case EROFS, ENOSPC, EDQUOT, EAGAIN:
            return PlueError(.unavailable, "\(message): \(reason); free space or make the disk writable, then try again")
        case EACCES, EPERM:
            return PlueError(.permissionDenied, "\(message): \(reason); run as the user that owns the Plue home")
        case ENOENT:
            return PlueError(.notFound, "\(message): \(reason)")
        case ENAMETOOLONG:
            // A name from git (a branch, a patch) that no file here can have: the input's fault.
            // The message leaves out the server's path, which `message` names; the cause keeps it.
            return PlueError(.invalidInput, "a file name is longer than this file system holds (255 bytes a part); "
                             + "rename the file in git, then try again", cause: "\(message): \(reason)")
        default:
            return PlueError(.internalError, "\(message): \(reason)")
        }
    }

    private static func osError(_ message: String, _ error: any Error) -> PlueError {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return errnoError(message, Int32(underlying.code))
        }
        if nsError.domain == NSPOSIXErrorDomain { return errnoError(message, Int32(nsError.code)) }
        switch nsError.code {
        case NSFileWriteVolumeReadOnlyError: return errnoError(message, EROFS)
        case NSFileWriteNoPermissionError: return errnoError(message, EACCES)
        case NSFileWriteOutOfSpaceError: return errnoError(message, ENOSPC)
        default: return PlueError.internalError(message, cause: String(describing: error))
        }
    }
}
