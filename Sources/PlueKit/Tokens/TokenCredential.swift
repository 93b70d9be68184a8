import Foundation

/// How an HTTP request carries an API token: `Authorization: Bearer TOKEN`, Gitea's
/// `Authorization: token TOKEN`, or as the password of HTTP Basic auth, which is what git sends.
public enum TokenCredential {
    /// The `WWW-Authenticate` value of a 401 answer to an API request.
    public static let bearerChallenge = "Bearer realm=\"plue\""
    /// The `WWW-Authenticate` value of a 401 answer to git over HTTP, so git asks for a password.
    public static let basicChallenge = "Basic realm=\"plue\""

    /// The token in an `Authorization` header's value, or nil when it holds none. The scheme is
    /// matched ignoring case (RFC 9110); the token is returned as sent, for `authenticate` to judge.
    public static func secret(fromAuthorization value: String) -> String? {
        // Spaces and tabs only: what HTTP allows around a field's parts (RFC 9110, 5.6.3). Plain
        // Swift rather than Foundation's trimming, which bridges the string on every request.
        let trimmed = blanksTrimmed(Substring(value))
        guard let space = trimmed.firstIndex(where: isBlank) else { return nil }
        let scheme = trimmed[..<space].lowercased()
        let credential = String(blanksTrimmed(trimmed[space...]))
        guard !credential.isEmpty else { return nil }
        switch scheme {
        case "bearer", "token":
            return credential
        case "basic":
            guard let decoded = Data(base64Encoded: credential), let pair = String(data: decoded, encoding: .utf8),
                  let colon = pair.firstIndex(of: ":") else { return nil }
            let password = String(pair[pair.index(after: colon)...])
            return password.isEmpty ? nil : password
        default:
            return nil
        }
    }

    private static func isBlank(_ character: Character) -> Bool { character == " " || character == "\t" }

    private static func blanksTrimmed(_ text: Substring) -> Substring {
        var text = text.drop(while: isBlank)
        while let last = text.last, isBlank(last) { text = text.dropLast() }
        return text
    }
}
