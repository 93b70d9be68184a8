import Foundation
@testable import PlueKit
import PlueTestSupport
import Testing

/// A snapshot of changed contents written into the index file in place, checked against git reading
/// the same index and against `git add -A && git write-tree` from scratch.
@Suite struct SnapshotInPlaceTests {
    let forge: Forge
    let repository: Repository
    let session: Session
    var indexPath: String { forge.home.sessionsPath + "/" + session.id + "/index" }

    init() throws {
        forge = try Forge(user: "alice")
        repository = try forge.plue.repositories.create("alice/demo", as: .operator)
        let work = try forge.workTree(files: ["README.md": "# Demo\n", "src/main.swift": "print(1)\n",
                                              "src/deep/x.txt": "x\n", "docs/guide.md": "guide\n"])
        symlink("README.md", work + "/link")
        try Command.git(["add", "-A"], in: work)
        try Command.git(["commit", "-q", "-m", "link"], in: work)
        try Command.git(["push", "-q", repository.path, "main"], in: work)
        session = try forge.plue.sessions.new(repository: "alice/demo", as: .operator)
        // Files checked out within the file system's timestamp granularity of the index are racily
        // clean (git's term): the first snapshot reads them again and settles their stat data.
        usleep(20_000)
        _ = try forge.plue.sessions.snapshot(session.id, as: .operator)
    }

    /// git with the session's working directory and `index`.
    func git(_ arguments: [String], index: String) throws -> String {
        let result = try Command.run("/usr/bin/git", ["--no-optional-locks", "--git-dir", repository.path, "--work-tree", session.workdir]
                                     + arguments, environment: Command.environment(["GIT_INDEX_FILE": index]))
        guard result.status == 0 else { throw CommandFailure(description: "git \(arguments): \(result.errorOutput)") }
        return result.trimmed
    }

    @Test func changedContentsModesAndLinksAreRecordedInPlace() throws {
        let work = session.workdir
        try "# Demo, edited\n".write(toFile: work + "/README.md", atomically: false, encoding: .utf8)
        try "y\n".write(toFile: work + "/src/deep/x.txt", atomically: false, encoding: .utf8)
        chmod(work + "/src/main.swift", 0o755)
        unlink(work + "/link")
        symlink("src/main.swift", work + "/link")

        let workspace = try GitWorkspace(repositoryPath: repository.path, workdir: work, indexPath: indexPath)
        let file = try #require(GitIndexFile.read(indexPath))
        #expect(file.cachedRootTree != nil, "checkout leaves a complete cached tree")
        let quick = try #require(workspace.quickChanges(indexFile: file))
        #expect(quick.modified.sorted() == ["README.md", "link", "src/deep/x.txt", "src/main.swift"] && quick.deleted.isEmpty)
        let recorded = try #require(try workspace.recordInPlace(file, modified: quick.modified))

        let scratch = forge.directory.child("scratch-index")
        _ = try git(["add", "-A"], index: scratch)
        #expect(try git(["write-tree"], index: scratch) == recorded, "the same tree as git add -A from scratch")
        #expect(try git(["write-tree"], index: indexPath) == recorded, "the cached trees in the index name the new trees")
        let unstaged = try git(["diff", "--name-only"], index: indexPath)
        #expect(unstaged.isEmpty, "git reads the index (checksum, entries) and finds the files as recorded: \(unstaged)")
        #expect(try git(["ls-files", "-s", "src/main.swift", "link"], index: indexPath).split(separator: "\n").map { $0.prefix(6) }
                == ["120000", "100755"])
        #expect(GitIndexFile.read(indexPath)?.cachedRootTree == recorded)
        // Written within the file system's timestamp granularity, the files may count as racily
        // changed: the next look may hash them again, but finds nothing else.
        let reread = try #require(GitIndexFile.read(indexPath))
        let again = try #require(workspace.quickChanges(indexFile: reread))
        #expect(Set(again.modified).isSubset(of: Set(quick.modified)) && again.deleted.isEmpty)
    }

    @Test func snapshotsThroughTheServiceMatchGit() throws {
        let work = session.workdir
        for round in 0..<3 {
            try "round \(round)\n".write(toFile: work + "/docs/guide.md", atomically: false, encoding: .utf8)
            try "print(\(round))\n".write(toFile: work + "/src/main.swift", atomically: false, encoding: .utf8)
            let result = try forge.plue.sessions.snapshot(session.id, as: .operator)
            let tree = try Command.git(["-C", repository.path, "rev-parse", "\(result.session.workingCopy)^{tree}"])
            let scratch = forge.directory.child("scratch-\(round)")
            _ = try git(["add", "-A"], index: scratch)
            #expect(try git(["write-tree"], index: scratch) == tree)
            #expect(try git(["diff", "--name-only"], index: indexPath).isEmpty)
            #expect(try Command.git(["-C", repository.path, "show", "\(result.session.workingCopy):docs/guide.md"]) == "round \(round)")
        }
    }

    @Test func aTrackedFileOverTheLimitIsRecordedAnyway() throws {
        // The limit is for new files only (as Jujutsu's snapshot.max-new-file-size): a tracked file
        // that grows past it must still be stored, or an undo could not bring its bytes back.
        let work = session.workdir
        try String(repeating: "big\n", count: 1000).write(toFile: work + "/docs/guide.md", atomically: false, encoding: .utf8)
        try "# small edit\n".write(toFile: work + "/README.md", atomically: false, encoding: .utf8)
        let result = try forge.plue.sessions.limitingNewFiles(to: 1024).snapshot(session.id, as: .operator)
        #expect(result.skipped.isEmpty)
        let commit = result.session.workingCopy
        #expect(try Command.git(["-C", repository.path, "show", "\(commit):docs/guide.md"]) == String(repeating: "big\n", count: 1000).dropLast())
        #expect(try Command.git(["-C", repository.path, "show", "\(commit):README.md"]) == "# small edit")
    }
}
