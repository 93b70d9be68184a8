import Crypto
import Foundation

/// An OpenSSH public key, parsed and checked: `TYPE BASE64 [COMMENT]` as in a `.pub` file.
public struct SSHPublicKey: Sendable, Equatable {
    /// The key type, e.g. `ssh-ed25519`.
    public let type: String
    /// The key blob, base64 as OpenSSH writes it (normalised: no options, no comment).
    public let base64: String
    /// `SHA256:...` exactly as `ssh-keygen -lf` prints it.
    public let fingerprint: String
    /// Size in bits for RSA keys; nil for the others.
    public let bits: Int?

    /// `TYPE BASE64`, the form sshd's AuthorizedKeysCommand answers with.
    public var normalized: String { "\(type) \(base64)" }

    public static let acceptedTypes = [
        "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com", "ssh-rsa",
    ]
    public static let minimumRSABits = 2048

    /// Parses one public key line. Everything that is not one well-formed key of an accepted type
    /// is refused with a reason.
    public static func parse(_ text: String) throws -> SSHPublicKey {
        guard text.utf8.count <= 16 * 1024 else {
            throw PlueError.invalidInput("the key is larger than 16 KiB; give one OpenSSH public key (the .pub file)")
        }
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard lines.count == 1, let line = lines.first else {
            throw PlueError.invalidInput(lines.isEmpty
                ? "no key given; pass the contents of a .pub file, such as ~/.ssh/id_ed25519.pub"
                : "give exactly one public key, not \(lines.count) lines")
        }
        guard !Validation.hasControlCharacters(line, allowing: ["\t"]) else {
            throw PlueError.invalidInput("the key contains control characters")
        }
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count >= 2 else {
            throw PlueError.invalidInput("expected 'TYPE BASE64 [COMMENT]', the format of a .pub file")
        }
        return try parse(type: fields[0], base64: fields[1])
    }

    /// Parses a key given as its type and base64 blob (what sshd passes as %t and %k).
    public static func parse(type: String, base64: String) throws -> SSHPublicKey {
        if type == "ssh-dss" {
            throw PlueError.invalidInput("DSA keys are no longer accepted (OpenSSH disabled them as too weak); make an ed25519 key with `ssh-keygen -t ed25519`")
        }
        if type.hasSuffix("-cert-v01@openssh.com") {
            throw PlueError.invalidInput("certificates are not accepted; give the plain public key")
        }
        guard acceptedTypes.contains(type) else {
            throw PlueError.invalidInput("unsupported key type \(Validation.quoted(type)); accepted: \(acceptedTypes.joined(separator: ", "))")
        }
        guard let data = Data(base64Encoded: base64), data.base64EncodedString() == base64 else {
            throw PlueError.invalidInput("the key's base64 is malformed; copy the whole line of the .pub file")
        }
        let blob = [UInt8](data)
        let bits = try checkBlob(blob, type: type)
        return SSHPublicKey(type: type, base64: base64, fingerprint: fingerprint(of: blob), bits: bits)
    }

    /// `SHA256:` and the unpadded base64 of the blob's digest, as `ssh-keygen -l` prints it.
    static func fingerprint(of blob: [UInt8]) -> String {
        var text = Data(SHA256.hash(data: blob)).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return "SHA256:" + text
    }

    /// Checks the wire format of the blob against its declared type; returns the RSA size.
    private static func checkBlob(_ blob: [UInt8], type: String) throws -> Int? {
        var reader = WireReader(blob)
        let malformed = PlueError.invalidInput("the key data does not match its type \(type); copy the whole line of the .pub file")
        guard let innerType = reader.string(), String(decoding: innerType, as: UTF8.self) == type else { throw malformed }
        var bits: Int?
        switch type {
        case "ssh-ed25519":
            guard reader.string()?.count == 32 else { throw malformed }
        case "sk-ssh-ed25519@openssh.com":
            guard reader.string()?.count == 32, let application = reader.string(), !application.isEmpty else { throw malformed }
        case "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ecdsa-sha2-nistp256@openssh.com":
            let curve = type.hasPrefix("sk-") ? "nistp256" : String(type.dropFirst("ecdsa-sha2-".count))
            let pointSize = ["nistp256": 65, "nistp384": 97, "nistp521": 133][curve]!
            guard let name = reader.string(), String(decoding: name, as: UTF8.self) == curve,
                  let point = reader.string(), point.count == pointSize, point.first == 0x04 else { throw malformed }
            if type.hasPrefix("sk-") {
                guard let application = reader.string(), !application.isEmpty else { throw malformed }
            }
        case "ssh-rsa":
            guard let exponent = reader.string(), let modulus = reader.string(), !exponent.isEmpty, !modulus.isEmpty,
                  exponent.first! & 0x80 == 0, modulus.first! & 0x80 == 0 else { throw malformed }
            let significant = modulus.drop { $0 == 0 }
            guard let top = significant.first else { throw malformed }
            let size = significant.count * 8 - top.leadingZeroBitCount
            guard size >= minimumRSABits else {
                throw PlueError.invalidInput("RSA keys must have at least \(minimumRSABits) bits, this one has \(size); make an ed25519 key with `ssh-keygen -t ed25519`")
            }
            bits = size
        default:
            throw malformed
        }
        guard reader.atEnd else { throw malformed }
        return bits
    }
}

/// Reads SSH wire-format strings: a 32-bit big-endian length, then that many bytes.
struct WireReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { offset == bytes.count }

    mutating func string() -> ArraySlice<UInt8>? {
        guard bytes.count - offset >= 4 else { return nil }
        let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        offset += 4
        guard length <= bytes.count - offset else { return nil }
        defer { offset += length }
        return bytes[offset..<offset + length]
    }
}
