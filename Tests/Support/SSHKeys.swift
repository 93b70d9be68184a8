import Foundation

/// Real keys made by `ssh-keygen`, for tests that check Plue against OpenSSH.
public struct GeneratedKey: Sendable {
    public let privateKeyPath: String
    public let publicKeyLine: String
    public var publicKeyPath: String { privateKeyPath + ".pub" }

    /// `TYPE BASE64` without the comment.
    public var type: String { String(publicKeyLine.split(separator: " ")[0]) }
    public var base64: String { String(publicKeyLine.split(separator: " ")[1]) }

    /// Makes a key with `ssh-keygen -t TYPE [-b BITS]` in `directory`.
    public static func make(_ type: String, bits: Int? = nil, in directory: String, name: String? = nil) throws -> GeneratedKey {
        let path = directory + "/" + (name ?? "\(type)\(bits.map(String.init) ?? "")-\(UUID().uuidString.prefix(8))")
        var arguments = ["-q", "-t", type, "-N", "", "-C", "test@plue", "-f", path]
        if let bits { arguments += ["-b", String(bits)] }
        let result = try Command.run("/usr/bin/ssh-keygen", arguments)
        guard result.status == 0 else { throw CommandFailure(description: "ssh-keygen \(arguments): \(result.errorOutput)") }
        let line = try String(contentsOfFile: path + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return GeneratedKey(privateKeyPath: path, publicKeyLine: line)
    }

    /// The fingerprint as `ssh-keygen -lf` prints it.
    public func sshKeygenFingerprint() throws -> String {
        let output = try Command.run("/usr/bin/ssh-keygen", ["-lf", publicKeyPath]).trimmed
        return String(output.split(separator: " ")[1])
    }
}
