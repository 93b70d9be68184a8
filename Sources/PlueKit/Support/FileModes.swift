/// Permission bits that git trees cannot hold. A tree keeps only 644 or 755 for a file; a file
/// snapshotted as 0600 (a private key) must come back as 0600, so each view keeps the exact bits
/// of every file whose bits are neither 0644 nor 0755.
struct FileModes: Sendable, Equatable {
    /// Keyed by exact path: two names Swift takes as one String (NFC and NFD) are two files.
    private var bits: [ExactPath: UInt32] = [:]

    /// The paths whose bits are kept, in byte order.
    var paths: [String] { bits.keys.sorted().map(\.path) }

    init(_ bits: [String: UInt32] = [:]) {
        for (path, value) in bits { set(path, value) }
    }

    /// The bits a file at `path` should have, given its git mode (0o100644 or 0o100755).
    func bits(for path: String, gitMode: UInt32) -> UInt32 {
        bits[ExactPath(path)] ?? (gitMode == 0o100755 ? 0o755 : 0o644)
    }

    /// Keeps `value` only when a git mode could not say it.
    mutating func set(_ path: String, _ value: UInt32) {
        let value = value & 0o7777
        bits[ExactPath(path)] = value == 0o644 || value == 0o755 ? nil : value
    }

    /// The database's form: a `v2` line, then one "0600 path" line per file sorted by path, with
    /// `\` and line breaks in a path escaped (`\\`, `\n`, `\r`), so a file named "x\n0600 key" is one
    /// entry and cannot set the bits of `key`. Empty when there are none.
    var text: String {
        guard !bits.isEmpty else { return "" }
        return (["v2"] + bits.keys.sorted().map { key in
            let octal = String(bits[key]!, radix: 8)
            return String(repeating: "0", count: max(0, 4 - octal.count)) + octal + " " + Self.escaped(key.path)
        }).joined(separator: "\n")
    }

    /// Reads `text`, and the unescaped form of rows written before `v2` (whose paths held no line break).
    init(text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let escaped = lines.first == "v2"
        for line in lines.dropFirst(escaped ? 1 : 0) {
            guard let space = line.firstIndex(of: " "), let value = UInt32(line[..<space], radix: 8) else { continue }
            let path = String(line[line.index(after: space)...])
            set(escaped ? Self.unescaped(path) : path, value)
        }
    }

    /// Scalar by scalar: a "\r\n" in a name is one Character to Swift, but two escapes here.
    private static func escaped(_ path: String) -> String {
        guard path.unicodeScalars.contains(where: { $0 == "\\" || $0 == "\n" || $0 == "\r" }) else { return path }
        var result = ""
        for scalar in path.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func unescaped(_ path: String) -> String {
        guard path.unicodeScalars.contains("\\") else { return path }
        var result = ""
        var pendingBackslash = false
        for scalar in path.unicodeScalars {
            if pendingBackslash {
                result.unicodeScalars.append(scalar == "n" ? "\n" : scalar == "r" ? "\r" : scalar)
                pendingBackslash = false
            } else if scalar == "\\" {
                pendingBackslash = true
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
