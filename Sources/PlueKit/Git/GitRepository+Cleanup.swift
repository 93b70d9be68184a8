import CLibGit2

extension GitRepository {
    /// The refs whose names start with `prefix` (such as `refs/plue/keep/`) and the commits they name.
    func references(under prefix: String) throws -> [(name: String, target: String)] {
        var iterator: OpaquePointer?
        try check(git_reference_iterator_glob_new(&iterator, pointer, prefix + "*"), "cannot list \(prefix)")
        defer { git_reference_iterator_free(iterator) }
        var result: [(name: String, target: String)] = []
        var reference: OpaquePointer?
        while true {
            let code = git_reference_next(&reference, iterator)
            if code == GIT_ITEROVER.rawValue { break }
            try check(code, "cannot list \(prefix)")
            defer { git_reference_free(reference) }
            guard let target = git_reference_target(reference) else { continue }
            result.append((String(cString: git_reference_name(reference)), target.pointee.hex))
        }
        return result
    }

    /// The commits of `kept` that `starts` reach through parents that are all in `kept`: the part
    /// of the history that Plue wrote (a base commit from a branch is not kept, and ends the walk).
    /// A commit missing from the object database ends its path too.
    func keptAncestors(of starts: [String], within kept: Set<String>) -> Set<String> {
        var reached: Set<String> = []
        var pending = starts.filter { kept.contains($0) }
        while let commit = pending.popLast() {
            guard reached.insert(commit).inserted, let details = try? changeCommit(commit) else { continue }
            pending += details.parents.filter { kept.contains($0) && !reached.contains($0) }
        }
        return reached
    }

    /// Deletes one of Plue's refs (and its log); a ref that is not there is not an error.
    func removeReference(_ name: String) throws {
        precondition(name.hasPrefix("refs/plue/"), "only Plue's own refs are removed")
        let code = git_reference_remove(pointer, name)
        if code == GIT_ENOTFOUND.rawValue { return }
        try check(code, "cannot remove \(name)")
    }
}
