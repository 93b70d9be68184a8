import CLibGit2
import Glibc

/// libgit2 is initialised once per process, before the first repository is opened.
private let libgit2Ready: Bool = {
    git_libgit2_init()
    return true
}()

enum GitRuntime {
    static func ensureInitialized() { _ = libgit2Ready }
}

/// Turns a libgit2 return code into a `PlueError`; the one place libgit2 errors are translated.
@discardableResult
func check(_ code: Int32, _ what: @autoclosure () -> String) throws -> Int32 {
    guard code < 0 else { return code }
    // Read first: libgit2 does not always set a message for a failed write (a full disk under the
    // loose-object writer leaves an older message in place), but the system call's errno is there.
    let systemError = errno
    let last = git_error_last()
    let detail = last.map { String(cString: $0.pointee.message) }
    // An operating-system error libgit2 passes on: a full or read-only disk is "retry later" (75),
    // as the same failure is from SQLite or Plue's own file writes.
    let diskFull = [ENOSPC, EDQUOT, EROFS].contains(systemError) && code == GIT_ERROR.rawValue
    if diskFull || (last?.pointee.klass == Int32(GIT_ERROR_OS.rawValue)
                    && ["No space left on device", "Disk quota exceeded", "Read-only file system"].contains(where: { detail?.contains($0) == true })) {
        throw PlueError(.unavailable, "\(what()): the disk is full or read-only; free space or make it writable, then try again",
                        cause: diskFull ? String(cString: strerror(systemError)) : detail)
    }
    if let last, last.pointee.klass == Int32(GIT_ERROR_OS.rawValue), let detail,
       detail.contains("Permission denied") || detail.contains("Operation not permitted") {
        throw PlueError(.permissionDenied, "\(what()): permission denied; run plue as the account that owns the home", cause: detail)
    }
    switch code {
    case GIT_ENOTFOUND.rawValue:
        throw PlueError(.notFound, what(), cause: detail)
    case GIT_EEXISTS.rawValue:
        throw PlueError(.alreadyExists, what(), cause: detail)
    case GIT_EINVALIDSPEC.rawValue, GIT_EAMBIGUOUS.rawValue, GIT_EINVALID.rawValue:
        throw PlueError(.invalidInput, what(), cause: detail)
    case GIT_ELOCKED.rawValue:
        throw PlueError(.unavailable, "\(what()): the repository is locked by another process; try again", cause: detail)
    case GIT_EMODIFIED.rawValue, GIT_ECONFLICT.rawValue, GIT_ENONFASTFORWARD.rawValue:
        throw PlueError(.failed, what(), cause: detail)
    case GIT_EUNBORNBRANCH.rawValue:
        throw PlueError(.notFound, what(), cause: detail)
    default:
        throw PlueError(.failed, what(), cause: detail)
    }
}

/// A libgit2 handle that is freed when the Swift value goes away.
final class GitHandle {
    let pointer: OpaquePointer
    private let release: (OpaquePointer) -> Void

    init(_ pointer: OpaquePointer, release: @escaping (OpaquePointer) -> Void) {
        self.pointer = pointer
        self.release = release
    }

    deinit { release(pointer) }
}

extension git_oid {
    /// Lower-case hexadecimal, as git prints ids; no table is allocated per call (a listing of
    /// 1,000 branches formats 1,000 ids).
    var hex: String {
        withUnsafeBytes(of: id) { Hex.encode($0) }
    }
}
