/// What a principal may do with a repository. Each level includes the ones below it.
public enum Permission: String, Sendable, CaseIterable, Comparable {
    case read, write, admin

    public static func < (lhs: Permission, rhs: Permission) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    public static func parse(_ text: String) throws -> Permission {
        guard let permission = Permission(rawValue: text) else {
            throw PlueError.invalidInput("invalid permission \(Validation.quoted(text)): use read, write or admin")
        }
        return permission
    }
}

/// Who is asking: an account, or a deploy key that stands for itself on one repository.
public enum Principal: Sendable, Equatable {
    case user(User)
    case deployKey(DeployKey)
}
