import Foundation
import PlueKit

/// Who reaches what: collaborators, deploy keys, an account's SSH keys and tokens.
extension APIJSON {
    /// A collaborator as Gitea lists one (a user), with the permission it was given.
    static func collaborator(_ collaborator: Collaborator) -> JSON {
        .object([("id", .int(collaborator.userID)), ("login", .string(collaborator.user)),
                 ("permission", .string(collaborator.permission.rawValue)), ("created", time(collaborator.createdAt))])
    }

    /// Gitea's deploy key: `read_only` is the opposite of Plue's `writable`.
    static func deployKey(_ key: DeployKey) -> JSON {
        .object([("id", .int(key.id)), ("key_id", .int(key.id)), ("key", .string(key.publicKey)),
                 ("title", .string(key.title)), ("fingerprint", .string(key.fingerprint)),
                 ("read_only", .bool(!key.writable)), ("created_at", time(key.createdAt))])
    }

    /// Gitea's public key of an account.
    static func publicKey(_ key: SSHKey) -> JSON {
        .object([("id", .int(key.id)), ("key", .string(key.publicKey)), ("title", .string(key.title)),
                 ("fingerprint", .string(key.fingerprint)), ("key_type", .string(key.type)),
                 ("user", .object([("login", .string(key.user))])), ("created_at", time(key.createdAt))])
    }

    /// Gitea's access token, never with its secret, and Plue's limits and state beside.
    static func token(_ token: APIToken) -> JSON {
        .object(tokenMembers(token))
    }

    /// A token just made: the only answer that holds its secret, as Gitea's `sha1`.
    static func createdToken(_ created: CreatedToken) -> JSON {
        var members = tokenMembers(created.token)
        members.insert(("sha1", .string(created.secret)), at: 2)
        return .object(members)
    }

    private static func tokenMembers(_ token: APIToken) -> [(String, JSON)] {
        [("id", .int(token.id)), ("name", .string(token.name)),
         ("scopes", .array(token.scopes.map { .string($0.rawValue) })),
         ("repositories", token.repositories.map { .array($0.map(JSON.string)) } ?? .null),
         ("session", token.session.map(JSON.string) ?? .null),
         ("state", .string(token.state.rawValue)),
         ("created_at", time(token.createdAt)),
         ("expires_at", token.expiresAt.map(time) ?? .null),
         ("revoked_at", token.revokedAt.map(time) ?? .null),
         ("last_used_at", token.lastUsedAt.map(time) ?? .null)]
    }
}
