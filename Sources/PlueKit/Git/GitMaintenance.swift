import Foundation

/// Housekeeping after pushes and session operations, so reads stay fast and disks small as
/// repositories grow.
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

    /// Past about this many loose objects, sessions' objects are packed: git's `gc.auto` estimate
    /// (one of the 256 fan-out folders, counted) with a lower threshold, since every snapshot of a
    /// session writes a few objects and its keep ref.
    static let looseObjectLimit = 1024
    /// Past this many packs, they are merged into one.
    static let packLimit = 20

    /// Packs loose objects into a new pack (`git repack -d`), merges packs when there are many
    /// (`-A`: objects nothing reaches become loose again, never dropped), and packs refs. Objects
    /// reachable from refs/plue/keep are in the packs git writes; nothing is pruned here.
    @discardableResult
    static func packObjectsIfNeeded(gitDirectory: String) throws -> Bool {
        let sample = (try? FileManager.default.contentsOfDirectory(atPath: gitDirectory + "/objects/17"))?.count ?? 0
        let packs = (try? FileManager.default.contentsOfDirectory(atPath: gitDirectory + "/objects/pack"))?
            .filter { $0.hasSuffix(".pack") }.count ?? 0
        guard sample * 256 > looseObjectLimit || packs > packLimit else { return false }
        let arguments = packs > packLimit ? ["repack", "-A", "-d", "-q"] : ["repack", "-d", "-q"]
        let result = try GitCommandLine.run(["--git-dir", gitDirectory] + arguments)
        guard result.status == 0 else {
            throw PlueError.failed("cannot pack the objects of \(gitDirectory)", cause: result.errorOutput)
        }
        try packReferencesIfNeeded(gitDirectory: gitDirectory)
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
