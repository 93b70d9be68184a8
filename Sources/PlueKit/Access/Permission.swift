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

/// Who is asking. Every service method that reads or changes something takes one, and
/// `Authorizer` alone decides what it may do.
public enum Principal: Sendable, Equatable {
    /// The CLI, run by the account that owns the home: acts as admin on everything.
    case `operator`
    /// An account, through an SSH key or (later) a token.
    case user(User)
    /// A deploy key, which stands for itself on one repository.
    case deployKey(DeployKey)
    /// Anyone on the network, without a token: reads public repositories, and nothing else.
    case anonymous

    /// An account with the site's admin flag.
    var isSiteAdmin: Bool {
        if case .user(let user) = self { return user.admin }
        return false
    }
}
