/// What every door that runs `git upload-pack` or `git receive-pack` for a client (SSH, HTTP)
/// gives it: the private refs hidden, who pushes for the hooks, and the client's protocol version.
enum GitTransport {
    /// refs/plue/ is hidden from the advertisement and refused on push (receive-pack rejects
    /// updates of hidden refs); the pre-receive hook refuses it for every other transport too.
    /// upload-archive takes ref names only (ArchiveRequest refuses refs/plue/ names), whatever the
    /// server's own git config says: with `uploadArchive.allowUnreachable` any commit's id would do.
    static let hiddenRefArguments = ["-c", "uploadpack.hideRefs=" + PushService.privateRefs,
                                     "-c", "receive.hideRefs=" + PushService.privateRefs,
                                     "-c", "uploadarchive.allowUnreachable=false"]

    /// `PLUE_PUSHER` or `PLUE_DEPLOY_KEY` for the hooks, and `GIT_PROTOCOL` when the client sent a
    /// value git could not misread.
    static func environment(for principal: Principal, gitProtocol: String?) -> [String: String] {
        var environment: [String: String] = [:]
        switch principal {
        case .user(let user): environment["PLUE_PUSHER"] = user.name
        case .deployKey(let key): environment["PLUE_DEPLOY_KEY"] = String(key.id)
        case .operator, .anonymous: break
        }
        if let gitProtocol, isSafeProtocolValue(gitProtocol) { environment["GIT_PROTOCOL"] = gitProtocol }
        return environment
    }

    /// Whether the client asked for protocol version 2 (`version=2` among `GIT_PROTOCOL`'s
    /// colon-separated entries).
    static func wantsVersion2(_ gitProtocol: String?) -> Bool {
        guard let gitProtocol, isSafeProtocolValue(gitProtocol) else { return false }
        return gitProtocol.split(separator: ":").contains("version=2")
    }

    /// `version=2` and the like: what git clients send, nothing a shell or git could misread.
    static func isSafeProtocolValue(_ value: String) -> Bool {
        value.utf8.count <= 256 && value.utf8.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                || [UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_")].contains($0)
        }
    }
}
