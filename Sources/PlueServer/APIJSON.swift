import Foundation
import PlueKit

/// The API's JSON for Plue's values, with Gitea's field names where Gitea has the same thing, so
/// its clients and users find what they expect.
enum APIJSON {
    static func user(_ user: User) -> JSON {
        .object([("id", .int(user.id)), ("login", .string(user.name)), ("email", .string(user.email)),
                 ("is_admin", .bool(user.admin)), ("created", .string(Timestamp.iso8601(user.createdAt)))])
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
}
