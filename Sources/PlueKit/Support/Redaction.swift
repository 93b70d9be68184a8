/// Credentials in URLs (`https://user:password@host/...`, `https://TOKEN@host/...`,
/// `...?access_token=...`) never reach what Plue prints or logs.
public enum Redaction {
    /// Query parameters whose values are secrets, as forges and clouds name them.
    static let secretParameters = ["access_token", "private_token", "token", "password", "passwd", "secret", "key", "sig"]

    /// `text` with every API token in it (`plue_` and 40 hex digits) cut to `plue_***`: a client
    /// may put one where no secret belongs (in the path), and the server writes paths to its log.
    public static func apiTokens(in text: String) -> String {
        // Most text has no token: looked for in its bytes, without Foundation's string search,
        // as the server checks every request's path.
        let prefix = Array("plue_".utf8)
        guard text.utf8.count >= prefix.count + 40, text.utf8.firstRange(of: prefix) != nil else { return text }
        var bytes = Array(text.utf8)
        var index = 0
        while index + prefix.count + 40 <= bytes.count {
            if Array(bytes[index..<index + prefix.count]) == prefix,
               bytes[(index + prefix.count)..<(index + prefix.count + 40)].allSatisfy({ Hex.lowerCase.contains($0) }) {
                bytes.replaceSubrange((index + prefix.count)..<(index + prefix.count + 40), with: Array("***".utf8))
                index += prefix.count + 3
            } else {
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A request's path as it may be logged: its API tokens cut, and when its percent-decoded form
    /// holds one (`plue%5f...`), that form with them cut, since whoever reads the log can decode.
    /// Decoded twice over at most (a client that encodes twice), and `PLUE_` counts as `plue_`:
    /// the secret is the hex, whatever spells its prefix.
    public static func requestPath(_ path: String) -> String {
        // Every request's log line asks this: a path that cannot hold a token (45 bytes,
        // `plue_` and 40 hex digits, longer encoded; an `_`, or a `%` encoding one) is left at once,
        // without Foundation's decoding and case-blind search.
        guard path.utf8.count >= 45, path.utf8.contains(where: { $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "%") }) else { return path }
        var decoded = path
        for _ in 0..<2 where decoded.contains("%") {
            guard let next = decoded.removingPercentEncoding else { break }
            decoded = next
        }
        let spelt = decoded.replacingOccurrences(of: "plue_", with: "plue_", options: .caseInsensitive)
        let found = apiTokens(in: spelt)
        return found != spelt ? found : path
    }

    /// `text` with the user information of every URL in it replaced by `***` (except a lone user
    /// name in an ssh or git URL, `ssh://git@host/...`, which is not a secret), and the values of
    /// secret query parameters too. A URL is `scheme:` and one or more slashes, as curl reads
    /// `http:/u:p@host` and `http:///u:p@host` too.
    public static func credentials(in text: String) -> String {
        guard text.contains("@") || text.contains("=") else { return text }
        var result = ""
        var rest = Substring(text)
        while let separator = rest.range(of: ":/") {
            let scheme = rest[..<separator.lowerBound].reversed().prefix { $0.isLetter || $0.isNumber || "+-.".contains($0) }
            var start = separator.upperBound
            while start < rest.endIndex, rest[start] == "/" { start = rest.index(after: start) }
            result += rest[..<start]
            rest = rest[start...]
            guard !scheme.isEmpty else { continue }
            // The authority ends at the first '/', '?', '#', quote or white space; user information at its last '@'.
            let authority = rest.prefix { !"/?#'\"".contains($0) && !$0.isWhitespace }
            if let at = authority.lastIndex(of: "@") {
                let user = authority[..<at]
                let schemeName = String(scheme.reversed()).lowercased()
                let plainUser = !user.contains(":") && (schemeName.hasPrefix("ssh") || schemeName.hasPrefix("git"))
                result += plainUser ? String(user) : "***"
                rest = rest[at...]
            }
        }
        return secretQueryValues(in: result + rest)
    }

    /// `text` with every occurrence of the secret in `url`'s user information replaced: git names
    /// the host without the URL's scheme in some messages (`unable to look up user:pass@host`),
    /// where no URL shape gives it away. The secret is the password, or a lone user name of an
    /// http(s) URL (a token); a plain user name such as ssh's `git` is not one, and is left alone.
    public static func credentials(in text: String, from url: String) -> String {
        var result = credentials(in: text)
        for secret in secrets(of: url) { result = result.replacingOccurrences(of: secret, with: "***") }
        return result
    }

    /// The password of `url`'s user information, or its whole user information when it is a lone
    /// name of an http(s) URL of 8 characters or more; shorter names are too likely to occur in text.
    static func secrets(of url: String) -> [String] {
        guard let separator = url.range(of: ":/") else { return [] }
        let scheme = url[..<separator.lowerBound].lowercased()
        let afterSlashes = url[separator.upperBound...].drop { $0 == "/" }
        let authority = afterSlashes.prefix { !"/?#".contains($0) }
        guard let at = authority.lastIndex(of: "@") else { return [] }
        let user = authority[..<at]
        if let colon = user.firstIndex(of: ":") {
            let password = String(user[user.index(after: colon)...])
            return password.isEmpty ? [] : [String(user), password]
        }
        return scheme.hasPrefix("http") && user.count >= 8 ? [String(user)] : []
    }

    private static func secretQueryValues(in text: String) -> String {
        guard text.contains("=") else { return text }
        var result = ""
        var rest = Substring(text)
        while let mark = rest.firstIndex(where: { $0 == "?" || $0 == "&" }) {
            result += rest[...mark]
            rest = rest[rest.index(after: mark)...]
            let name = rest.prefix { $0 != "=" && $0 != "&" && !$0.isWhitespace }
            guard rest.dropFirst(name.count).first == "=", secretParameters.contains(name.lowercased()) else { continue }
            result += name + "=***"
            rest = rest.dropFirst(name.count + 1).drop { !"&#'\"".contains($0) && !$0.isWhitespace }
        }
        return result + rest
    }
}
