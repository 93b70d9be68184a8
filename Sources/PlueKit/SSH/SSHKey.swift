import Foundation

/// A public key that logs an account in.
public struct SSHKey: Sendable, Equatable, JSONRepresentable {
    public let id: Int64
    public let user: String
    public let title: String
    public let type: String
    public let fingerprint: String
    /// `TYPE BASE64`.
    public let publicKey: String
    public let createdAt: Date

    public var json: JSON {
        .object([("id", .int(id)), ("user", .string(user)), ("title", .string(title)), ("type", .string(type)),
                 ("fingerprint", .string(fingerprint)), ("publicKey", .string(publicKey)), ("createdAt", .time(createdAt))])
    }
}

/// A public key that reaches one repository only, read-only unless made writable.
public struct DeployKey: Sendable, Equatable, JSONRepresentable {
    public let id: Int64
    public let repositoryID: Int64
    public let repository: String
    public let title: String
    public let type: String
    public let fingerprint: String
    public let publicKey: String
    public let writable: Bool
    public let createdAt: Date

    public var json: JSON {
        .object([("id", .int(id)), ("repository", .string(repository)), ("title", .string(title)),
                 ("type", .string(type)), ("fingerprint", .string(fingerprint)), ("publicKey", .string(publicKey)),
                 ("writable", .bool(writable)), ("createdAt", .time(createdAt))])
    }
}

/// A user's access to a repository beyond what its visibility gives.
public struct Collaborator: Sendable, Equatable, JSONRepresentable {
    public let repository: String
    public let userID: Int64
    public let user: String
    public let permission: Permission
    public let createdAt: Date

    public var json: JSON {
        .object([("repository", .string(repository)), ("user", .string(user)),
                 ("permission", .string(permission.rawValue)), ("createdAt", .time(createdAt))])
    }
}
