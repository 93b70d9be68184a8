/// Housekeeping after pushes, so reads stay fast as repositories grow.
enum GitMaintenance {
    /// Every loose ref is one file to open on each listing: 1,000 pushed branches made
    /// `plue repo show` open 1,000 files. Past this many, refs are packed into one file.
    static let looseReferenceLimit = 64

    /// Packs refs with `git pack-refs --all` (git's own locking keeps concurrent pushes safe)
    /// when more than `looseReferenceLimit` are loose. Returns whether it packed.
    @discardableResult
    static func packReferencesIfNeeded(gitDirectory: String) throws -> Bool {
        guard countLooseReferences(gitDirectory + "/refs", limit: looseReferenceLimit + 1) > looseReferenceLimit else {
            return false
        }
        let result = try GitCommandLine.run(["--git-dir", gitDirectory, "pack-refs", "--all"])
        guard result.status == 0 else {
            throw PlueError.failed("cannot pack the refs of \(gitDirectory)", cause: result.errorOutput)
        }
        return true
    }

    private static func countLooseReferences(_ directory: String, limit: Int) -> Int {
        var count = 0
        FileSystem.forEachFile(below: directory) { _ in
            count += 1
            return count < limit
        }
        return count
    }
}
