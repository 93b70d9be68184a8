/// What a working directory here can hold, whatever git takes: a tree that breaks one of these
/// (a pushed branch, a patch) is refused before any file is written, rather than leave a move
/// that can never finish and a session every later command fails on.
enum WorkdirLimits {
    /// Parts of a path: libgit2's walk of a working directory gives up at 100 folders deep
    /// (`directory nesting too deep`), and a snapshot of a deeper tree could never be taken again.
    static let maxDepth = 64
    /// That walk's own limit, named in the error a snapshot of a deeper folder gives.
    static let walkDepth = 100
    /// Bytes in one part of a path (NAME_MAX).
    static let maxComponentBytes = 255
    /// Bytes in a symbolic link's target (PATH_MAX less its NUL).
    static let maxLinkTargetBytes = 4095

    /// Why `path` (with a link target of `linkTargetBytes`, for a link) cannot be in a working
    /// directory here, or nil when it can.
    static func problem(path: String, linkTargetBytes: Int? = nil) -> String? {
        // One pass over the bytes, no copies: a new session's checkout asks this of every file.
        var parts = 1, partBytes = 0, longest = 0
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") {
                parts += 1
                partBytes = 0
            } else {
                partBytes += 1
                longest = max(longest, partBytes)
            }
        }
        if parts > maxDepth { return "it is \(maxDepth) or more folders deep" }
        if longest > maxComponentBytes { return "a part is longer than this file system holds (\(maxComponentBytes) bytes)" }
        if let bytes = linkTargetBytes, !(1...maxLinkTargetBytes).contains(bytes) {
            return "it is a symbolic link whose target is not 1 to \(maxLinkTargetBytes) bytes"
        }
        return nil
    }
}
