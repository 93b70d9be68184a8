/// `git merge-tree --write-tree`: git's own merge (merge-ort, which libgit2 1.5 lacks), run without a
/// working tree. What it reports is what GitHub and the git CLI would report for the same commits.
enum GitMergeTree {
    struct Result: Sendable, Equatable {
        /// The merged tree (with conflict markers where there are conflicts).
        let tree: String
        let conflicts: [MergeConflict]
    }

    static func merge(_ ours: String, _ theirs: String, in gitDirectory: String) throws -> Result {
        for id in [ours, theirs] { _ = try GitObjectID.parse(id) }
        let result = try GitCommandLine.run(["--git-dir", gitDirectory, "merge-tree", "--write-tree", "-z", ours, theirs])
        guard result.status == 0 || result.status == 1 else {
            throw PlueError.failed("git merge-tree failed", cause: result.errorOutput)
        }
        return try parse(result.output, conflicted: result.status == 1)
    }

    /// `TREE NUL (MODE OBJECT STAGE TAB PATH NUL)* NUL (COUNT NUL PATH NUL... TYPE NUL MESSAGE NUL)*`
    static func parse(_ output: String, conflicted: Bool) throws -> Result {
        var fields = output.split(separator: "\0", omittingEmptySubsequences: false)[...]
        guard let tree = fields.popFirst(), tree.count == 40 else {
            throw PlueError.failed("unexpected output from git merge-tree")
        }
        guard conflicted else { return Result(tree: String(tree), conflicts: []) }
        var stages: [String: Set<Character>] = [:]
        var order: [String] = []
        while let field = fields.popFirst(), !field.isEmpty {
            let parts = field.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2, let stage = parts[0].split(separator: " ").last?.first else { continue }
            let path = String(parts[1])
            if stages[path] == nil { order.append(path) }
            stages[path, default: []].insert(stage)
        }
        var renamed: Set<String> = []
        while let countField = fields.popFirst(), let count = Int(countField) {
            let paths = (0..<count).compactMap { _ in fields.popFirst().map(String.init) }
            let type = fields.popFirst() ?? ""
            _ = fields.popFirst()
            if type.contains("rename") { renamed.formUnion(paths) }
        }
        let conflicts = order.map { path -> MergeConflict in
            let present = stages[path] ?? []
            let kind: String
            if renamed.contains(path) { kind = "rename" }
            else if present == ["1", "2", "3"] { kind = "content" }
            else if !present.contains("1") { kind = "add/add" }
            else { kind = "modify/delete" }
            return MergeConflict(path: path, kind: kind)
        }
        return Result(tree: String(tree), conflicts: conflicts)
    }
}
