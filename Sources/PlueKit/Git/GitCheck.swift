import CLibGit2

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
    let detail = git_error_last().map { String(cString: $0.pointee.message) }
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
    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        return withUnsafeBytes(of: id) { bytes in
            String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
                for (index, byte) in bytes.enumerated() {
                    buffer[index * 2] = digits[Int(byte >> 4)]
                    buffer[index * 2 + 1] = digits[Int(byte & 0x0F)]
                }
                return bytes.count * 2
            }
        }
    }
}
