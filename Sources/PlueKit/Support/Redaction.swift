/// Credentials in URLs (`https://user:password@host/...`, `https://TOKEN@host/...`) never reach
/// what Plue prints or logs.
public enum Redaction {
    /// `text` with the user information of every URL in it replaced by `***`, except a lone user
    /// name in an ssh or git URL (`ssh://git@host/...`), which is not a secret.
    public static func credentials(in text: String) -> String {
        guard text.contains("@"), text.contains("://") else { return text }
        var result = ""
        var rest = Substring(text)
        while let separator = rest.range(of: "://") {
            let scheme = rest[..<separator.lowerBound].reversed().prefix { $0.isLetter || $0.isNumber || "+-.".contains($0) }
            result += rest[..<separator.upperBound]
            rest = rest[separator.upperBound...]
            // The authority ends at the first '/', '?', '#' or white space; user information ends at its last '@'.
            let authority = rest.prefix { !"/?#".contains($0) && !$0.isWhitespace && $0 != "'" && $0 != "\"" }
            guard let at = authority.lastIndex(of: "@") else { continue }
            let user = authority[..<at]
            let schemeName = String(scheme.reversed()).lowercased()
            let plainUser = !user.contains(":") && (schemeName.hasPrefix("ssh") || schemeName.hasPrefix("git"))
            result += plainUser ? String(user) : "***"
            rest = rest[at...]
        }
        return result + rest
    }
}
