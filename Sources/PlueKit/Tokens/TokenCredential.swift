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
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard let space = trimmed.firstIndex(of: " ") else { return nil }
        let scheme = trimmed[..<space].lowercased()
        let credential = trimmed[space...].trimmingCharacters(in: .whitespaces)
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
}
