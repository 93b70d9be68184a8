import Foundation
import CLibGit2
import Glibc

extension GitRepository {
    /// The commits reachable from `head` but not from `base`, oldest first, merges left out: what
    /// `git rebase base head` replays.
    func commitsToReplay(head: String, base: String) throws -> [GitChangeCommit] {
        var headID = try GitObjectID.parse(head), baseID = try GitObjectID.parse(base)
        var walker: OpaquePointer?
        try check(git_revwalk_new(&walker, pointer), "cannot walk the history of \(path)")
        defer { git_revwalk_free(walker) }
        git_revwalk_sorting(walker, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_REVERSE.rawValue)
        try check(git_revwalk_push(walker, &headID), "cannot walk from \(head)")
        try check(git_revwalk_hide(walker, &baseID), "cannot walk from \(base)")
        var result: [GitChangeCommit] = []
        var oid = git_oid()
        while true {
            let code = git_revwalk_next(&oid, walker)
            if code == GIT_ITEROVER.rawValue { break }
            try check(code, "cannot walk the history of \(path)")
            let commit = try changeCommit(oid.hex)
            if commit.parents.count <= 1 { result.append(commit) }
        }
        return result
    }

    /// Whether `ancestor` is `commit` or reachable from it.
    func isAncestor(_ ancestor: String, of commit: String) throws -> Bool {
        guard ancestor != commit else { return true }
        var ancestorID = try GitObjectID.parse(ancestor), commitID = try GitObjectID.parse(commit)
        return try check(git_graph_descendant_of(pointer, &commitID, &ancestorID), "cannot compare \(ancestor) and \(commit)") == 1
    }

    /// Points `name` at `target` whatever it pointed at: for Plue's own refs, never for branches.
    ///
    /// `soleWriter` says the caller holds a lock that excludes every other writer of this ref (the
    /// landing queue's runner lock). A `NAME.lock` file found then was left by a process killed while
    /// writing the ref, and would refuse every later write: it is removed and the write tried again.
    func setReference(_ name: String, to target: String, message: String, soleWriter: Bool = false) throws {
        precondition(name.hasPrefix("refs/plue/"), "only Plue's own refs are set without compare-and-swap")
        var oid = try GitObjectID.parse(target)
        var reference: OpaquePointer?
        var code = git_reference_create(&reference, pointer, name, &oid, 1, message)
        if code == GIT_ELOCKED.rawValue && soleWriter {
            unlink(path + "/" + name + ".lock")
            code = git_reference_create(&reference, pointer, name, &oid, 1, message)
        }
        try check(code, "cannot set \(name)")
        git_reference_free(reference)
    }

    /// Whether a `NAME.lock` file holds the ref: a write in progress, or one a killed process left.
    func referenceIsLocked(_ name: String) -> Bool {
        access(path + "/" + name + ".lock", F_OK) == 0
    }

    /// Removes `name`'s lock file only when it is a regular file holding exactly `commit` (what
    /// libgit2 writes there before renaming it over the ref): a lock someone else wrote is kept.
    /// True when it was removed.
    func removeReferenceLock(_ name: String, holding commit: String) throws -> Bool {
        let lock = path + "/" + name + ".lock"
        let descriptor = Glibc.open(lock, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_size <= 128 else { return false }
        var bytes = [UInt8](repeating: 0, count: 129)
        let count = Glibc.read(descriptor, &bytes, bytes.count)
        guard count > 0, String(decoding: bytes.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == commit
        else { return false }
        guard unlink(lock) == 0 else { throw FileSystem.errnoError("cannot remove \(lock)", errno) }
        return true
    }
}
