import CLibGit2
import Foundation

extension GitRepository {
    /// The commits the refs outside refs/plue/ point at, tags peeled to what they tag: where
    /// everything anyone who reads the repository may see starts.
    func visibleTips() throws -> [String] {
        try visibleState(maxRefs: nil)?.tips ?? []
    }

    /// Whether `id` (a full id) names a commit this repository holds.
    func isCommit(_ id: String) -> Bool {
        guard var oid = try? GitObjectID.parse(id) else { return false }
        var object: OpaquePointer?
        guard git_object_lookup(&object, pointer, &oid, GIT_OBJECT_COMMIT) == 0 else { return false }
        git_object_free(object)
        return true
    }

    /// Whether `commit` (a full id) is one of `tips` or an ancestor of one.
    func isReachable(_ commit: String, fromAny tips: [String]) throws -> Bool {
        if tips.contains(commit) { return true }
        guard !tips.isEmpty else { return false }
        var id = try GitObjectID.parse(commit)
        let ids = try tips.map(GitObjectID.parse)
        let code = ids.withUnsafeBufferPointer { git_graph_reachable_from_any(pointer, &id, $0.baseAddress, $0.count) }
        return try check(code, "cannot walk the history of \(path)") == 1
    }

    /// The full id of the commit `revision` names.
    func commitID(of revision: String) throws -> String {
        git_object_id(try commit(revision).pointer).pointee.hex
    }
}

extension GitRepository {
    /// What a fetch may see now: every ref outside refs/plue/ and HEAD as `NAME TARGET` lines in
    /// order (the target an id, or `-> NAME` for a symbolic ref), what those refs point at, and the
    /// commits they lead to (a ref to a blob or a tree, or a symbolic ref to nothing, leads to
    /// none). Nil past `maxRefs` refs, or a packed-refs file that could hold more: reading them all
    /// is then too slow to do for each request.
    func visibleState(maxRefs: Int?) throws -> (lines: [String], targets: Set<String>, tips: [String])? {
        var info = stat()
        if let maxRefs, stat(path + "/packed-refs", &info) == 0, Int(info.st_size) > maxRefs * 128 { return nil }
        var iterator: OpaquePointer?
        try check(git_reference_iterator_new(&iterator, pointer), "cannot list the refs of \(path)")
        defer { git_reference_iterator_free(iterator) }
        var lines: [String] = [], targets: Set<String> = [], tips: Set<String> = []
        var reference: OpaquePointer?
        while true {
            let code = git_reference_next(&reference, iterator)
            if code == GIT_ITEROVER.rawValue { break }
            try check(code, "cannot list the refs of \(path)")
            defer { git_reference_free(reference) }
            let name = String(cString: git_reference_name(reference))
            guard !name.hasPrefix(PushService.privateRefs) else { continue }
            if let maxRefs, lines.count >= maxRefs { return nil }
            let target = Self.target(of: reference)
            lines.append(name + " " + target)
            targets.insert(target)
            var peeled: OpaquePointer?
            guard git_reference_peel(&peeled, reference, GIT_OBJECT_COMMIT) == 0 else { continue }
            tips.insert(git_object_id(peeled).pointee.hex)
            git_object_free(peeled)
        }
        var head: OpaquePointer?
        if git_reference_lookup(&head, pointer, "HEAD") == 0 {
            lines.append("HEAD " + Self.target(of: head))
            git_reference_free(head)
        }
        return (lines.sorted(), targets, tips.sorted())
    }

    private static func target(of reference: OpaquePointer?) -> String {
        if git_reference_type(reference) == GIT_REFERENCE_SYMBOLIC {
            return "-> " + String(cString: git_reference_symbolic_target(reference))
        }
        return git_reference_target(reference).map { $0.pointee.hex } ?? "?"
    }
}
