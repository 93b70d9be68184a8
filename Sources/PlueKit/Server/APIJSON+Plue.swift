import PlueKit

/// Plue's own values (sessions, their operations, turns, land entries): the documents the CLI's
/// `--json` prints, member for member, with their names in the API's snake_case (`baseBranch` →
/// `base_branch`, `changeId` → `change_id`), so one client reads both and the API keeps one style.
extension APIJSON {
    static func of(_ value: some JSONRepresentable) -> JSON {
        snakeCased(withoutServerPaths(value.json))
    }

    /// Paths on the server (a session's `workdir`, where a moved-aside file went and the command
    /// that moves it back): the CLI's user works with them, an API client has no use for them,
    /// and they would tell any client where the forge keeps its files.
    static let serverPathMembers: Set<String> = ["workdir", "location", "restoreCommand"]

    static func withoutServerPaths(_ json: JSON) -> JSON {
        switch json {
        case .object(let members): .object(members.filter { !serverPathMembers.contains($0.0) }.map { ($0.0, withoutServerPaths($0.1)) })
        case .array(let values): .array(values.map(withoutServerPaths))
        default: json
        }
    }

    /// Every member name below `json` in snake_case. Member names are always Plue's own words,
    /// never data (a path, a user's text), so renaming them changes no value.
    static func snakeCased(_ json: JSON) -> JSON {
        switch json {
        case .object(let members): .object(members.map { (snakeCase($0.0), snakeCased($0.1)) })
        case .array(let values): .array(values.map(snakeCased))
        case .rows(let keys, let values): .rows(keys: keys.map(snakeCase), values: values)
        default: json
        }
    }

    /// `notFound` → `not_found`, `changeId` → `change_id`.
    static func snakeCase(_ name: String) -> String {
        var result = ""
        for character in name {
            if character.isUppercase { result += "_" + character.lowercased() } else { result.append(character) }
        }
        return result
    }
}
