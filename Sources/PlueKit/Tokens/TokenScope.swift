import Foundation

/// What an API token may be used for, named as Gitea names its scopes. A write scope implies the
/// read scope of the same area, and `all` implies every scope. A scope never gives more than the
/// token's user has: the user's own permissions are checked as well, elsewhere.
public enum TokenScope: String, Sendable, CaseIterable {
    /// Repositories, their sessions and their landing queues, as far as the user may see them.
    case readRepository = "read:repository"
    case writeRepository = "write:repository"
    /// The token's own user: its account, SSH keys and tokens.
    case readUser = "read:user"
    case writeUser = "write:user"
    /// Site administration (only for a site administrator).
    case readAdmin = "read:admin"
    case writeAdmin = "write:admin"
    /// Every scope above.
    case all

    /// What a scope is about; `all` is about everything.
    enum Area { case repository, user, admin, everything }

    var area: Area {
        switch self {
        case .readRepository, .writeRepository: .repository
        case .readUser, .writeUser: .user
        case .readAdmin, .writeAdmin: .admin
        case .all: .everything
        }
    }

    var writes: Bool { self == .writeRepository || self == .writeUser || self == .writeAdmin || self == .all }

    /// Whether holding this scope lets a request that needs `needed` through.
    public func covers(_ needed: TokenScope) -> Bool {
        if self == .all || self == needed { return true }
        return writes && !needed.writes && area == needed.area
    }

    /// The scopes as typed, each value one scope or several joined by commas, in the order of
    /// `allCases` without repeats. An unknown or missing scope is refused with the list of valid ones.
    public static func parse(_ values: [String]) throws -> [TokenScope] {
        var chosen = Set<TokenScope>()
        for value in values {
            for word in value.split(separator: ",", omittingEmptySubsequences: false) {
                let text = word.trimmingCharacters(in: .whitespaces)
                guard let scope = TokenScope(rawValue: text) else {
                    throw PlueError.invalidInput("unknown scope \(Validation.quoted(text)); valid scopes: \(validList)")
                }
                chosen.insert(scope)
            }
        }
        guard !chosen.isEmpty else {
            throw PlueError.invalidInput("a token needs at least one scope; valid scopes: \(validList)")
        }
        return allCases.filter(chosen.contains)
    }

    /// The stored form: raw values joined by commas. Words this Plue does not know (written by a
    /// newer one) are dropped when read, so they grant nothing.
    static func stored(_ scopes: [TokenScope]) -> String { scopes.map(\.rawValue).joined(separator: ",") }

    static func fromStored(_ text: String) -> [TokenScope] {
        let stored = text.split(separator: ",")
        return allCases.filter { scope in stored.contains { $0 == scope.rawValue } }
    }

    /// Every scope, as an error or help text lists them.
    public static var validList: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
