import Crypto
import Foundation

/// The secret half of an API token: `plue_` and 40 lower-case hex digits (20 random bytes). Plue
/// stores only its SHA-256, and finds a token by that hash.
enum TokenSecret {
    static let prefix = "plue_"
    static let randomBytes = 20

    /// A new secret from the operating system's random source.
    static func generate() -> String { prefix + Hex.random(bytes: randomBytes) }

    /// Whether `text` has the shape of a secret: checked before any lookup, so nothing else is hashed
    /// or looked for.
    static func isWellFormed(_ text: String) -> Bool {
        let bytes = text.utf8
        guard bytes.count == prefix.utf8.count + randomBytes * 2, text.hasPrefix(prefix) else { return false }
        return bytes.dropFirst(prefix.utf8.count).allSatisfy {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
        }
    }

    /// SHA-256 of the secret's UTF-8 bytes, as 64 lower-case hex digits.
    static func sha256(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).withUnsafeBytes { Hex.encode($0) }
    }

    /// Equal strings, compared in time that depends only on their lengths, so a stored hash
    /// cannot be guessed digit by digit from how long a refusal takes.
    static func constantTimeEqual(_ left: String, _ right: String) -> Bool {
        let left = Array(left.utf8), right = Array(right.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
