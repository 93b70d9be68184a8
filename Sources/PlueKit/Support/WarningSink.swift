import Glibc

/// Where services report what went wrong without failing the operation: standard error, which
/// git shows to the pusher as `remote: ...` lines when it comes from a hook.
struct WarningSink: Sendable {
    func emit(_ message: String) {
        var bytes = Array((message + "\n").utf8)
        _ = write(2, &bytes, bytes.count)
    }
}
