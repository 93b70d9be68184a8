import Foundation

/// An account as another one sees it: its email and admin flag only when the viewer is the account
/// itself, a site admin or the operator (as Gitea shows them), nil otherwise.
public struct UserProfile: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let email: String?
    public let admin: Bool?
    public let createdAt: Date

    /// `user` as `principal` may see it.
    init(_ user: User, for principal: Principal) {
        let full = Authorizer.mayActFor(user.name, principal)
        self.init(id: user.id, name: user.name, email: full ? user.email : nil, admin: full ? user.admin : nil,
                  createdAt: user.createdAt)
    }

    public init(id: Int64, name: String, email: String?, admin: Bool?, createdAt: Date) {
        self.id = id
        self.name = name
        self.email = email
        self.admin = admin
        self.createdAt = createdAt
    }
}
