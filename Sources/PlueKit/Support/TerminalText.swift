/// Text from repositories, agents and users made safe to print on a terminal. File names, agents'
/// replies and commit messages can hold escape sequences that clear the screen, set the window
/// title or hide text, and bidirectional overrides (U+202E) that show text other than it is: each
/// is printed as a visible escape instead. JSON output is never changed.
public enum TerminalText {
    /// Escapes control characters (C0 but line breaks and tabs, DEL, C1), bidirectional controls,
    /// Unicode's own line and paragraph separators, and the invisible zero-width space and BOM.
    public static func safe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0, keepingLines: true) }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars { append(scalar, to: &result, keepingLines: true) }
        return result
    }

    /// One line's worth: a path or name, with line breaks and tabs escaped too (as git's
    /// core.quotePath does), so it cannot split a listing.
    public static func line(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0, keepingLines: false) }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars { append(scalar, to: &result, keepingLines: false) }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar, keepingLines: Bool) -> Bool {
        let value = scalar.value
        if keepingLines && (scalar == "\n" || scalar == "\t") { return false }
        return value < 0x20 || value == 0x7F || (0x80...0x9F).contains(value) || scalar == "\\" && !keepingLines
            || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value) || value == 0x200E || value == 0x200F
            || value == 0x061C || value == 0x2028 || value == 0x2029 || value == 0x200B || value == 0xFEFF
    }

    private static func append(_ scalar: Unicode.Scalar, to result: inout String, keepingLines: Bool) {
        guard needsEscape(scalar, keepingLines: keepingLines) else {
            result.unicodeScalars.append(scalar)
            return
        }
        switch scalar {
        case "\n": result += "\\n"
        case "\t": result += "\\t"
        case "\r": result += "\\r"
        case "\u{1B}": result += "\\e"
        case "\\": result += "\\\\"
        default:
            let hex = String(scalar.value, radix: 16)
            result += scalar.value < 0x100 ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
                : "\\u{" + hex + "}"
        }
    }
}
