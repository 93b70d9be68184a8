import Foundation

/// `plue ssh-authorize`: sshd's AuthorizedKeysCommand. One indexed lookup of the offered key on a
/// read-only connection; for a known key, the one authorized_keys line that forces the session
/// through `plue ssh-serve`.
public struct SSHAuthorizer: Sendable {
    let home: PlueHome
    let database: AppDatabase
    let executable: String
    let log: SSHLog

    public static let defaultGitUser = "git"
    static let gitUserSetting = "ssh.git_user"

    /// The line to print, or nil (print nothing) when `account` is not the git user or the key is unknown.
    public func authorize(account: String, type: String, base64: String, gitUser override: String?) throws -> String? {
        let fingerprint = Self.fingerprint(base64: base64)
        let sane = type.utf8.count <= 64 && base64.utf8.count <= 16 * 1024
        let login = try database.keyLogin(base64: sane ? base64 : "", gitUserSetting: Self.gitUserSetting)
        let gitUser = override ?? login.gitUser ?? Self.defaultGitUser
        guard account == gitUser else {
            log.record("authorize", ["result": "refused-account", "account": account, "key": fingerprint])
            return nil
        }
        guard let key = login.key else {
            log.record("authorize", ["result": "unknown-key", "account": account, "key": fingerprint])
            return nil
        }
        // The type is printed back into authorized_keys: only a known type that is the blob's own,
        // so a type with a newline (or anything else) can never add a second, unrestricted line.
        guard let parsed = try? SSHPublicKey.parse(type: type, base64: base64), parsed.type == type else {
            log.record("authorize", ["result": "refused-key-type", "account": account, "key": fingerprint])
            return nil
        }
        guard let command = forcedCommand(keyID: key.id) else {
            log.record("authorize", ["result": "refused-unsafe-path", "key": fingerprint, "home": home.root])
            return nil
        }
        log.record("authorize", ["result": "allowed", "account": account, "key": fingerprint, "key-id": "\(key.id)",
                                 "user": key.userName ?? "deploy-key"])
        return "command=\"\(command)\",restrict \(type) \(base64)"
    }

    /// `/abs/plue ssh-serve --home HOME key-ID`, or nil when a path could not be written safely
    /// inside authorized_keys' double quotes.
    private func forcedCommand(keyID: Int64) -> String? {
        let paths = [executable, home.root]
        guard paths.allSatisfy({ !$0.contains("\"") && !$0.contains("\\") && !$0.contains("\n") }) else { return nil }
        func word(_ text: String) -> String {
            text.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "/._+-".unicodeScalars.contains($0) }
                ? text : FilePath.shellQuoted(text)
        }
        var command = word(executable)
        for argument in InternalCommandLine.sshServe(home: home.root, key: "key-\(keyID)").arguments(value: word) {
            command += " " + argument
        }
        return command
    }

    /// `SHA256:...` of the key for the log, or a note when sshd passed something that is not base64.
    static func fingerprint(base64: String) -> String {
        guard let blob = Data(base64Encoded: base64) else { return "invalid-base64" }
        return SSHPublicKey.fingerprint(of: [UInt8](blob))
    }

    /// Sets the account sshd logs people in as (`plue init --git-user`).
    public func setGitUser(_ name: String) throws {
        try database.setSetting(Self.gitUserSetting, Self.validatedSystemUser(name))
    }

    public func gitUser() throws -> String {
        try database.setting(Self.gitUserSetting) ?? Self.defaultGitUser
    }

    /// A POSIX account name: `[a-z_][a-z0-9_-]*`, at most 32 characters.
    static func validatedSystemUser(_ name: String) throws -> String {
        let bytes = Array(name.utf8)
        let lower = UInt8(ascii: "a")...UInt8(ascii: "z"), digit = UInt8(ascii: "0")...UInt8(ascii: "9")
        guard (1...32).contains(bytes.count), lower.contains(bytes[0]) || bytes[0] == UInt8(ascii: "_"),
              bytes.allSatisfy({ lower.contains($0) || digit.contains($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") })
        else {
            throw PlueError.invalidInput("invalid system account name \(Validation.quoted(name)): use lower-case letters, digits, '_' or '-', such as git")
        }
        return name
    }
}
