import Glibc

/// Where services report what went wrong without failing the operation: standard error, which
/// git shows to the pusher as `remote: ...` lines when it comes from a hook. Escaped for a
/// terminal, as all text output is; a name inside a message goes through `TerminalText.line` first.
struct WarningSink: Sendable {
    func emit(_ message: String) {
        var bytes = Array((TerminalText.safe(message) + "\n").utf8)
        _ = write(2, &bytes, bytes.count)
    }
}
