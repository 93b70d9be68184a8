import Glibc

/// The home's secret, which the server needs and refuses to start without. Plue has no default
/// secret: `plue init` writes a random one, readable by the home's owner only.
public enum ServerSecret {
    /// Reads `HOME/secret`, refusing a missing, linked, unreadable, short or shared file with how to fix it.
    public static func read(home: PlueHome) throws -> [UInt8] {
        let path = home.secretPath
        let shown = TerminalText.line(path)
        var status = stat()
        guard lstat(path, &status) == 0 else {
            if errno == EACCES {
                throw PlueError(.permissionDenied, "this account may not read \(shown); run plue serve as the account that owns the home")
            }
            throw PlueError(.damaged, "the server secret \(shown) is missing; restore it from a backup of this home, "
                            + "or write a new one with `head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \\n' > \(shown) && chmod 600 \(shown)`")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw PlueError(.damaged, "the server secret \(shown) is not a regular file (a link or a folder); replace it with the file itself")
        }
        guard status.st_mode & 0o077 == 0 else {
            throw PlueError(.failed, "the server secret \(shown) may be read by other accounts (mode "
                            + String(status.st_mode & 0o777, radix: 8) + "); run `chmod 600 \(shown)` and start again")
        }
        guard status.st_uid == geteuid() else {
            throw PlueError(.failed, "the server secret \(shown) belongs to another account (uid \(status.st_uid)); run plue serve as the account that owns the home")
        }
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw PlueError(.permissionDenied, "cannot read the server secret \(shown): \(String(cString: strerror(errno))); run plue serve as the account that owns the home")
        }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
        guard count >= 32 else {
            throw PlueError(.damaged, "the server secret \(shown) is shorter than 32 bytes; restore it from a backup of this home")
        }
        return Array(bytes[..<count])
    }
}
