import Foundation

/// A directory reached without following a symbolic link, through which the files below it are
/// read, written and removed one path component at a time (`openat` with `O_NOFOLLOW`). No link,
/// on the file itself or on any folder of its path, is ever passed through, so nothing done here
/// reaches outside the directory, whatever an agent left in it.
final class ConfinedDirectory {
    let path: String
    private let root: Int32
    /// The folders of the last path reached, open, outermost first: paths are mostly visited in
    /// sorted order, so consecutive files share most of their chain.
    private var chain: [(path: String, descriptor: Int32)] = []

    init(_ path: String) throws {
        self.path = path
        root = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard root >= 0 else {
            let code = errno
            if code == ELOOP || code == ENOTDIR {
                throw PlueError.failed("\(path) is not a directory (a symbolic link or a file took its place); "
                                       + "its history is kept: fork the session to get a new working directory")
            }
            throw FileSystem.errnoError("cannot open \(path)", code)
        }
    }

    deinit {
        for link in chain { close(link.descriptor) }
        close(root)
    }

    /// The open folder holding `relative` and the file's own name. A folder on the way that is
    /// missing is made when `create` is set (else nil); one that is not a folder (a file, a link,
    /// a FIFO) is handed to `obstacle`, which must move it away, when `create` is set (else nil).
    func parent(of relative: String, create: Bool, obstacle: (String) throws -> Void = { _ in }) throws -> (Int32, String)? {
        var components = relative.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard let name = components.popLast(), Self.isPlainName(name), components.allSatisfy(Self.isPlainName) else {
            throw PlueError.invalidInput("refusing the path \(Validation.quoted(relative)): not a plain relative path")
        }
        var kept = 0
        var prefix = ""
        while kept < components.count, kept < chain.count {
            let next = prefix.isEmpty ? components[kept] : prefix + "/" + components[kept]
            // Byte by byte: Swift's == takes `café` in NFC and in NFD for one name, and the file
            // would be looked for, written or removed in the other folder.
            guard chain[kept].path.utf8.elementsEqual(next.utf8) else { break }
            prefix = next
            kept += 1
        }
        while chain.count > kept { close(chain.removeLast().descriptor) }
        for component in components[kept...] {
            let folder = prefix.isEmpty ? component : prefix + "/" + component
            let outer = chain.last?.descriptor ?? root
            var descriptor = openat(outer, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if descriptor < 0 {
                let code = errno
                guard create else { return nil }
                switch code {
                case ENOENT: break
                case ELOOP, ENOTDIR: try obstacle(folder)
                default: throw FileSystem.errnoError("cannot open \(path)/\(folder)", code)
                }
                guard mkdirat(outer, component, 0o755) == 0 || errno == EEXIST else {
                    throw FileSystem.errnoError("cannot create \(path)/\(folder)", errno)
                }
                descriptor = openat(outer, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard descriptor >= 0 else { throw FileSystem.errnoError("cannot open \(path)/\(folder)", errno) }
            }
            chain.append((folder, descriptor))
            prefix = folder
        }
        return (chain.last?.descriptor ?? root, name)
    }

    /// The file's own status (a link is reported as a link); nil when it or a folder on its path is missing.
    func status(_ relative: String) throws -> stat? {
        guard let (folder, name) = try parent(of: relative, create: false) else { return nil }
        var info = stat()
        return fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0 ? info : nil
    }

    /// The bytes of a regular file, or the target of a link; nil for anything else or a missing file.
    func contents(_ relative: String) throws -> [UInt8]? {
        guard let (folder, name) = try parent(of: relative, create: false) else { return nil }
        var info = stat()
        guard fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFLNK:
            var buffer = [UInt8](repeating: 0, count: Int(info.st_size) + 1)
            let count = readlinkat(folder, name, &buffer, buffer.count)
            return count >= 0 ? Array(buffer[..<count]) : nil
        case S_IFREG:
            let descriptor = openat(folder, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            guard descriptor >= 0 else { return nil }
            defer { close(descriptor) }
            return FileSystem.readAll(descriptor, sizeHint: Int(info.st_size))
        default:
            return nil
        }
    }

    /// Removes a file or link (not a folder); false when it was not there.
    @discardableResult
    func removeFile(_ relative: String) throws -> Bool {
        guard let (folder, name) = try parent(of: relative, create: false) else { return false }
        if unlinkat(folder, name, 0) == 0 { return true }
        if errno == ENOENT { return false }
        throw FileSystem.errnoError("cannot remove \(path)/\(relative)", errno)
    }

    /// Removes a folder if it is empty; anything left in it (an ignored file) keeps it.
    func removeFolderIfEmpty(_ relative: String) throws {
        guard let (folder, name) = try parent(of: relative, create: false) else { return }
        _ = unlinkat(folder, name, AT_REMOVEDIR)
    }

    /// Moves whatever is at `relative` (a file, a link, a whole folder) to `destination`, an
    /// absolute path on the same file system whose folder exists.
    func moveOut(_ relative: String, to destination: String) throws {
        guard let (folder, name) = try parent(of: relative, create: false) else { return }
        guard renameat(folder, name, AT_FDCWD, destination) == 0 else {
            throw FileSystem.errnoError("cannot move \(path)/\(relative) to \(destination)", errno)
        }
    }

    /// Puts the file `scratchName` of the open folder `scratch` at `relative`, replacing a file or
    /// link there (never writing through it).
    func place(_ scratchName: String, from scratch: Int32, at relative: String, obstacle: (String) throws -> Void) throws {
        guard let (folder, name) = try parent(of: relative, create: true, obstacle: obstacle) else { return }
        guard renameat(scratch, scratchName, folder, name) == 0 else {
            throw FileSystem.errnoError("cannot write \(path)/\(relative)", errno)
        }
    }

    /// Creates a new file (or link) at `relative` holding `bytes`, with `bits`, and returns its
    /// status; nil when something is there already (nothing is written then). The file appears
    /// under its name while it is written: for a folder no command has ever seen (a new session's).
    func create(_ relative: String, _ bytes: UnsafeRawBufferPointer, link: Bool, bits: UInt32) throws -> stat? {
        guard let (folder, name) = try parent(of: relative, create: true, obstacle: { _ in
            throw PlueError.internalError("\(self.path) is not a new folder: something is in the way of \(relative)")
        }) else { return nil }
        var info = stat()
        if link {
            let target = String(decoding: bytes, as: UTF8.self)
            guard symlinkat(target, folder, name) == 0 else {
                if errno == EEXIST { return nil }
                throw FileSystem.errnoError("cannot create \(path)/\(relative)", errno)
            }
            guard fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { throw FileSystem.errnoError("cannot read \(path)/\(relative)", errno) }
            return info
        }
        // Created with its bits when the umask leaves them whole (the usual 022 and 0644 or 0755),
        // so most files need no chmod.
        let exact = bits & ~Self.umask == bits
        let file = openat(folder, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, exact ? mode_t(bits) : 0o600)
        guard file >= 0 else {
            if errno == EEXIST { return nil }
            throw FileSystem.errnoError("cannot create \(path)/\(relative)", errno)
        }
        defer { close(file) }
        try FileSystem.writeAll(file, bytes, what: path + "/" + relative)
        guard exact || fchmod(file, mode_t(bits)) == 0, fstat(file, &info) == 0 else {
            throw FileSystem.errnoError("cannot set the permissions of \(path)/\(relative)", errno)
        }
        return info
    }

    /// Sets a regular file's permission bits; links are left alone.
    func setPermissions(_ relative: String, _ bits: UInt32) throws {
        guard let (folder, name) = try parent(of: relative, create: false) else { return }
        let descriptor = openat(folder, name, Self.pathOnly | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return }
        // fchmod does not take an O_PATH descriptor; its /proc name reaches exactly this file.
        guard chmod("/proc/self/fd/\(descriptor)", mode_t(bits)) == 0 else {
            throw FileSystem.errnoError("cannot set the permissions of \(path)/\(relative)", errno)
        }
    }

    /// The process's umask, read once (reading it means setting it: it is put back at once).
    private static let umask: UInt32 = {
        let mask = Glibc.umask(0o022)
        _ = Glibc.umask(mask)
        return UInt32(mask)
    }()

    /// Linux's O_PATH, which Glibc's Swift overlay does not export: a descriptor that names a file
    /// without opening it for reading or writing.
    private static let pathOnly: Int32 = 0o10000000

    /// A name git could store and that reaches nothing outside: not empty, `.`, `..` or `.git`.
    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && name.lowercased() != ".git" && !name.utf8.contains(0)
    }
}
