import Foundation

/// What the repository hooks call: `check` before git updates any ref, `record` after.
/// Every push by any transport ends here, and push events are the one record later consumers read.
public struct PushService: Sendable {
    let database: AppDatabase
    let repositories: RepositoryService
    let authorizer: Authorizer
    let warnings: WarningSink

    /// The refs no transport shows or takes: sessions' bookmarks and keep refs, land results.
    public static let privateRefs = "refs/plue/"

    /// Runs in `pre-receive`. Refuses a push by a pusher without write permission (the transport
    /// checked already; this is the same check, for every transport), one that could not be recorded
    /// afterwards, and one that deletes or rewrites the default branch without admin permission.
    public func check(_ fullName: String, updates: [RefUpdate], pusher: Pusher) throws {
        let principal = try principal(pusher)
        let repository = try authorizer.repository(fullName, as: principal, needs: .write)
        for update in updates where !update.ref.hasPrefix("refs/") {
            throw PlueError(.permissionDenied, "refusing to update \(update.ref) in \(repository.fullName): only refs/ may be pushed")
        }
        // Sessions' history and the landing queue's results: only Plue writes them (through
        // libgit2, which runs no hook), never a push, local ones included.
        for update in updates where update.ref.hasPrefix(Self.privateRefs) {
            throw PlueError(.permissionDenied, "refusing to update \(update.ref) in \(repository.fullName): \(Self.privateRefs) is Plue's own")
        }
        // A new ref is a branch with a name every reader takes for one (not `HEAD`, not under
        // refs/), or a tag that does not take the default branch's name; other kinds of ref
        // (notes, mirrors' refs/remotes/) only from an admin. Deleting or moving one is left to
        // the rules below, so a ref made before these rules can still be cleaned up.
        let isAdmin = try authorizer.permission(of: principal, on: repository) == .admin
        for update in updates where update.isCreate {
            if update.ref.hasPrefix("refs/heads/") {
                let branch = String(update.ref.dropFirst("refs/heads/".count))
                if (try? Validation.branchName(branch)) == nil {
                    throw PlueError(.invalidInput, "refusing to create the branch \(Validation.quoted(branch)) in \(repository.fullName): "
                                    + "name it as `git check-ref-format --branch` accepts, not HEAD and not under refs/, heads/ or tags/")
                }
            } else if update.ref.hasPrefix("refs/tags/") {
                // The branch rules read a tag's name too: no HEAD, nothing under refs/ or heads/.
                let tag = String(update.ref.dropFirst("refs/tags/".count))
                if (try? Validation.branchName(tag)) == nil {
                    throw PlueError.invalidInput("refusing to create the tag \(Validation.quoted(tag)) in \(repository.fullName): "
                                    + "a tag's name reads as another ref; name it as `git check-ref-format --branch` accepts, not HEAD and not under refs/, heads/ or tags/")
                }
                if update.ref == "refs/tags/" + repository.defaultBranch {
                    throw PlueError(.invalidInput, "refusing to create the tag \(repository.defaultBranch) in \(repository.fullName): "
                                    + "it would stand for the default branch wherever a name is read; give the tag another name")
                }
            } else if !isAdmin {
                throw PlueError(.permissionDenied, "refusing to create \(Validation.quoted(update.ref)) in \(repository.fullName): "
                                + "only branches (refs/heads/) and tags (refs/tags/) may be pushed without admin permission")
            }
        }
        // Hidden refs are not secret objects: whoever knows a session commit's id could push a
        // branch to it and fetch it from there. (Asked of git only when there are private refs.)
        let tips = updates.filter { !$0.isDelete }.map(\.newCommit)
        let hasPrivateRefs = try !GitRepository.open(repository.path).references(under: Self.privateRefs).isEmpty
        let leaked = hasPrivateRefs
            ? try GitCommandLine.privateCommits(reachableFrom: tips, privateRefs: Self.privateRefs, in: repository.path) : []
        if let example = leaked.sorted().first {
            throw PlueError(.permissionDenied, "refusing a push to \(repository.fullName) that would publish \(leaked.count) commit(s) "
                            + "only a session holds (\(example.prefix(12)) among them); push commits of your own, or land the session")
        }
        for update in updates where update.ref == "refs/heads/" + repository.defaultBranch {
            guard !isAdmin else { continue }
            let rewrites = try update.isDelete
                || (!update.isCreate && !GitCommandLine.isAncestor(update.oldCommit, of: update.newCommit, in: repository.path))
            if rewrites {
                throw PlueError(.permissionDenied, "refusing to \(update.isDelete ? "delete" : "force-push") \(repository.defaultBranch), the default branch of \(repository.fullName): that needs admin permission")
            }
        }
        try database.checkWritable()
    }

    /// Runs in `post-receive`: one push event per moved ref, in one transaction.
    @discardableResult
    public func record(_ fullName: String, updates: [RefUpdate], pusher: Pusher) throws -> Int {
        let repository = try repositories.lookup(fullName)
        guard !updates.isEmpty else { return 0 }
        let principal = try principal(pusher)
        var userID: Int64?, deployKeyID: Int64?
        switch principal {
        case .user(let user): userID = user.id
        case .deployKey(let key): deployKeyID = key.id
        case .operator, .anonymous: break
        }
        try database.recordPush(
            repositoryID: repository.id, updates: updates, pusherID: userID, deployKeyID: deployKeyID,
            sizeBytes: FileSystem.diskUsage(repository.path), at: Timestamp.now())
        // The push is recorded; packing refs only keeps later reads fast, so a failure is a warning.
        do {
            try GitMaintenance.packReferencesIfNeeded(gitDirectory: repository.path)
        } catch {
            warnings.emit("warning: \(error)")
        }
        return updates.count
    }

    /// Newest first. Needs read on the repository.
    public func events(_ fullName: String, limit: Int = 50, as principal: Principal) throws -> [PushEvent] {
        let limit = try Validation.limit(limit)
        let repository = try repositories.find(fullName, as: principal)
        return try database.pushEvents(repositoryID: repository.id, fullName: repository.fullName, limit: limit)
    }

    /// One page of the events, newest first, and how many the repository has. Needs read on the repository.
    public func events(_ fullName: String, page: Page, as principal: Principal) throws -> Paged<PushEvent> {
        let repository = try repositories.find(fullName, as: principal)
        let found = try database.pushEventPage(repositoryID: repository.id, fullName: repository.fullName,
                                               limit: page.size, offset: page.offset)
        return Paged(items: found.events, total: found.total, page: page)
    }

    /// Who a transport says is pushing; the operator for a local push (someone with the server's files).
    private func principal(_ pusher: Pusher) throws -> Principal {
        switch pusher {
        case .local:
            return .operator
        case .user(let name):
            guard let user = try database.user(named: Validation.userNameForLookup(name)) else {
                throw PlueError(.permissionDenied, "the pusher \(name) is not a user of this forge")
            }
            return .user(user)
        case .deployKey(let id):
            guard let key = try database.deployKey(id: id) else {
                throw PlueError(.permissionDenied, "deploy key \(id) is no longer registered")
            }
            return .deployKey(key)
        }
    }
}

/// Who pushes, as the transport that ran git tells the hooks.
public enum Pusher: Sendable, Equatable {
    /// A push through the file system: whoever can do that owns the server's files anyway.
    case local
    case user(String)
    case deployKey(Int64)
}

extension RefUpdate {
    /// Parses the `OLD NEW REF` lines git writes to the receive hooks.
    public static func parse(hookInput: String) throws -> [RefUpdate] {
        try hookInput.split(separator: "\n", omittingEmptySubsequences: true).map { line in
            let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, isObjectID(fields[0]), isObjectID(fields[1]), !fields[2].isEmpty else {
                throw PlueError.invalidInput("unexpected hook input line \(Validation.quoted(String(line)))")
            }
            return RefUpdate(oldCommit: String(fields[0]), newCommit: String(fields[1]), ref: String(fields[2]))
        }
    }

    private static func isObjectID(_ text: Substring) -> Bool {
        (text.utf8.count == 40 || text.utf8.count == 64) && text.utf8.allSatisfy {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
        }
    }
}
