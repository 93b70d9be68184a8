/// One changed file between two states, as `git diff --name-status` and `--numstat` see it.
public struct GitDiffFile: Sendable, Equatable, JSONRepresentable {
    public enum Status: Sendable, Equatable {
        case added, modified, deleted, typeChanged
        /// `similarity` in percent, as git's `R087`.
        case renamed(similarity: Int)

        /// The letter git prints: A, M, D, T or R.
        public var letter: String {
            switch self {
            case .added: "A"
            case .modified: "M"
            case .deleted: "D"
            case .typeChanged: "T"
            case .renamed: "R"
            }
        }

        var isRename: Bool { if case .renamed = self { true } else { false } }
    }

    public let status: Status
    /// The path in the new state (the old one for a deletion).
    public let path: String
    /// For a rename: where the file was.
    public let oldPath: String?
    /// Lines added and removed; for a binary file, its new and old sizes in bytes, as `git diff --stat` counts them.
    public let additions: Int
    public let deletions: Int
    public let binary: Bool

    /// `M\tpath`, or `R100\told\tnew`, with paths quoted as git quotes them.
    var nameStatusLine: String {
        switch status {
        case .renamed(let similarity):
            let score = String(similarity)
            return "R" + String(repeating: "0", count: max(0, 3 - score.count)) + score
                + "\t\(GitPathQuoting.quoted(oldPath ?? path))\t\(GitPathQuoting.quoted(path))\n"
        default:
            return "\(status.letter)\t\(GitPathQuoting.quoted(path))\n"
        }
    }

    public var json: JSON {
        var members: [(String, JSON)] = [("status", .string(status.letter)), ("path", .string(path))]
        if let oldPath { members.append(("oldPath", .string(oldPath))) }
        members += [("additions", .int(Int64(additions))), ("deletions", .int(Int64(deletions))), ("binary", .bool(binary))]
        return .object(members)
    }
}

/// Paths as git prints them with `core.quotePath` on (its default): in double quotes, with C
/// escapes and octal bytes, when they hold control characters, quotes, backslashes or non-ASCII.
enum GitPathQuoting {
    static func quoted(_ path: String) -> String {
        let bytes = Array(path.utf8)
        guard bytes.contains(where: needsQuoting) else { return path }
        var text = "\""
        for byte in bytes {
            switch byte {
            case 0x07: text += "\\a"
            case 0x08: text += "\\b"
            case 0x09: text += "\\t"
            case 0x0A: text += "\\n"
            case 0x0B: text += "\\v"
            case 0x0C: text += "\\f"
            case 0x0D: text += "\\r"
            case UInt8(ascii: "\""): text += "\\\""
            case UInt8(ascii: "\\"): text += "\\\\"
            default:
                if needsQuoting(byte) {
                    let octal = String(byte, radix: 8)
                    text += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
                } else {
                    text.unicodeScalars.append(Unicode.Scalar(byte))
                }
            }
        }
        return text + "\""
    }

    static func needsQuoting(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte >= 0x7F
    }
}
