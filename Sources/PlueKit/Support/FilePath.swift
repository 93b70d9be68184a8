import Glibc

/// Small path helpers that avoid Foundation's URL machinery on hot paths.
public enum FilePath {
    /// `path` made absolute against the current directory, with `.` and empty components removed
    /// and `..` resolved lexically.
    public static func absolute(_ path: String) -> String {
        // Concrete String operations only: the generic `+` and `append(contentsOf:)` over a
        // Substring cost 0.6 ms of every command in the runtime's first conformance lookups.
        var full = path
        if !path.hasPrefix("/") {
            full = currentDirectory()
            full += "/"
            full += path
        }
        var parts: [String] = []
        for part in full.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(String(part))
        }
        var result = ""
        for part in parts {
            result += "/"
            result += part
        }
        return result.isEmpty ? "/" : result
    }

    public static func currentDirectory() -> String {
        guard let buffer = getcwd(nil, 0) else { return "/" }
        defer { free(buffer) }
        return String(cString: buffer)
    }

    /// The absolute path of the running executable.
    public static func currentExecutable() -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { readlink("/proc/self/exe", $0.baseAddress!, $0.count - 1) }
        }
        if count > 0 {
            return String(decoding: buffer[0..<count], as: UTF8.self)
        }
        return absolute(CommandLine.arguments[0])
    }

    /// The path quoted for a POSIX shell.
    /// The folder holding `path` ("/" for a path right under the root, "." for a bare name).
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    public static func shellQuoted(_ text: String) -> String {
        var quoted = "'"
        for character in text {
            if character == "'" { quoted += "'\\''" } else { quoted.append(character) }
        }
        return quoted + "'"
    }

    /// Quoted for a shell and safe to print on a terminal: as `shellQuoted` when nothing in it
    /// needs escaping, else in bash's `$'...'` form, where `\n`, `\xHH` and `\uHHHH` mean the
    /// characters themselves, so a pasted command still names the right file.
    public static func terminalShellQuoted(_ text: String) -> String {
        guard TerminalText.line(text) != text else { return shellQuoted(text) }
        var quoted = "$'"
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": quoted += "\\\\"
            case "'": quoted += "\\'"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            default:
                let single = String(scalar)
                if TerminalText.line(single) == single {
                    quoted.unicodeScalars.append(scalar)
                } else {
                    quoted += scalar.value < 0x80 ? "\\x" + Hex.encode([UInt8(scalar.value)])
                        : "\\u" + Hex.encode([UInt8(scalar.value >> 8), UInt8(scalar.value & 0xFF)])
                }
            }
        }
        return quoted + "'"
    }
}
