import Foundation

/// An account on the forge.
public struct User: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let email: String
    public let admin: Bool
    public let createdAt: Date

    public init(id: Int64, name: String, email: String, admin: Bool, createdAt: Date) {
        self.id = id
        self.name = name
        self.email = email
        self.admin = admin
        self.createdAt = createdAt
    }
}

extension User: JSONRepresentable {
    public var json: JSON {
        .object([("id", .int(id)), ("name", .string(name)), ("email", .string(email)), ("admin", .bool(admin)),
                 ("createdAt", .time(createdAt))])
    }
}
