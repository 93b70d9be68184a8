import Foundation
import PlueKit

/// What a repository holds: commits, files and directories, pushes.
extension APIJSON {
    /// Gitea's commit: `sha`, `created`, `commit` (message, author, committer, tree), `parents`.
    static func commit(_ commit: GitCommit) -> JSON {
        func signature(_ signature: GitSignature) -> JSON {
            .object([("name", .string(signature.name)), ("email", .string(signature.email)), ("date", time(signature.time))])
        }
        return .object([
            ("sha", .string(commit.commit)),
            ("created", time(commit.committer.time)),
            ("commit", .object([("message", .string(commit.message)), ("author", signature(commit.author)),
                                ("committer", signature(commit.committer)), ("tree", .object([("sha", .string(commit.tree))]))])),
            ("parents", .array(commit.parents.map { .object([("sha", .string($0))]) })),
        ])
    }

    /// Gitea's contents entry, as a directory listing gives it: no bytes.
    static func contentsEntry(_ entry: GitTreeEntry) -> JSON {
        .object(contentsMembers(entry))
    }

    /// A file read by the contents route: a link's target, or a file's bytes in base64; both null
    /// for a file too large to send this way (the raw route streams it).
    static func contentsFile(_ entry: GitTreeEntry, bytes: [UInt8]?) -> JSON {
        var members = contentsMembers(entry)
        if entry.isSymbolicLink {
            members.append(("target", bytes.map { .string(String(decoding: $0, as: UTF8.self)) } ?? .null))
        } else {
            members.append(("encoding", bytes == nil ? .null : .string("base64")))
            members.append(("content", bytes.map { .string(Data($0).base64EncodedString()) } ?? .null))
        }
        return .object(members)
    }

    private static func contentsMembers(_ entry: GitTreeEntry) -> [(String, JSON)] {
        [("name", .string(entry.name)), ("path", .string(entry.path)), ("sha", .string(entry.object)),
         ("type", .string(contentsType(entry))), ("size", .int(entry.size ?? 0))]
    }

    /// `file`, `dir`, `symlink` or `submodule`, as Gitea names them.
    static func contentsType(_ entry: GitTreeEntry) -> String {
        if entry.isSymbolicLink { return "symlink" }
        switch entry.type {
        case "tree": return "dir"
        case "commit": return "submodule"
        default: return "file"
        }
    }

    /// A push event, with the field names of Gitea's push payload (`ref`, `before`, `after`, `pusher`).
    static func pushEvent(_ event: PushEvent) -> JSON {
        .object([("id", .int(event.id)), ("ref", .string(event.ref)), ("before", .string(event.oldCommit)),
                 ("after", .string(event.newCommit)),
                 ("pusher", event.pusher.map { .object([("login", .string($0))]) } ?? .null),
                 ("deploy_key_id", event.deployKey.map(JSON.int) ?? .null),
                 ("created_at", time(event.pushedAt))])
    }
}
