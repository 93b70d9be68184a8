import Foundation
import PlueKit

/// The API's JSON for Plue's values, with Gitea's field names where Gitea has the same thing, so
/// its clients and users find what they expect.
enum APIJSON {
    static func user(_ user: User) -> JSON {
        .object([("id", .int(user.id)), ("login", .string(user.name)), ("email", .string(user.email)),
                 ("is_admin", .bool(user.admin)), ("created", .string(Timestamp.iso8601(user.createdAt)))])
    }

    /// Another account as the caller may see it: email and admin flag only when the service gave them.
    static func user(_ profile: UserProfile) -> JSON {
        var members: [(String, JSON)] = [("id", .int(profile.id)), ("login", .string(profile.name))]
        if let email = profile.email { members.append(("email", .string(email))) }
        if let admin = profile.admin { members.append(("is_admin", .bool(admin))) }
        members.append(("created", .string(Timestamp.iso8601(profile.createdAt))))
        return .object(members)
    }

    static func repository(_ repository: Repository) -> JSON {
        .object([("id", .int(repository.id)),
                 ("owner", .object([("login", .string(repository.owner))])),
                 ("name", .string(repository.name)),
                 ("full_name", .string(repository.fullName)),
                 ("description", .string(repository.description)),
                 ("private", .bool(repository.isPrivate)),
                 ("default_branch", .string(repository.defaultBranch)),
                 ("size", .int(repository.sizeBytes / 1024)),
                 ("created_at", .string(Timestamp.iso8601(repository.createdAt)))])
    }

    static func branch(_ branch: GitBranch) -> JSON {
        .object([("name", .string(branch.name)), ("commit", .object([("id", .string(branch.commit))]))])
    }

    /// A time as every field of the API writes one.
    static func time(_ date: Date) -> JSON { .string(Timestamp.iso8601(date)) }
}
