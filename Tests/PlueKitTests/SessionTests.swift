import Foundation
import PlueKit
import PlueTestSupport
import Testing

/// Sessions on real repositories: every recorded state read back with the git CLI.
@Suite struct SessionTests {
    let forge: Forge
    let repository: Repository

    init() throws {
        forge = try Forge(user: "alice")
        repository = try forge.plue.repositories.create("alice/demo", as: .operator)
        let work = try forge.workTree(files: ["README.md": "# Demo\n", "src/main.swift": "print(1)\n", ".gitignore": "*.log\n"])
        try Command.git(["push", "-q", repository.path, "main"], in: work)
    }

    func git(_ arguments: [String]) throws -> String { try Command.git(["-C", repository.path] + arguments) }

    /// `git ls-tree -r` of a commit as "mode path" lines.
    func files(_ commit: String) throws -> [String] {
        try git(["ls-tree", "-r", commit]).split(separator: "\n").map { line in
            let parts = line.split(separator: "\t")
            return "\(parts[0].split(separator: " ")[0]) \(parts[1])"
        }
    }

    @Test func newChecksOutTheBaseAndRecordsTheFirstOperation() throws {
        let session = try forge.plue.sessions.new(repository: "alice/demo", title: "first try", as: .operator)
        let base = try git(["rev-parse", "main"])
        #expect(session.baseCommit == base && session.baseBranch == "main" && session.status == .active)
        #expect(session.currentChange.count == 32 && session.currentChange.allSatisfy { "klmnopqrstuvwxyz".contains($0) })
        #expect(try String(contentsOfFile: session.workdir + "/src/main.swift", encoding: .utf8) == "print(1)\n")
        #expect(try git(["rev-parse", session.bookmark]) == session.workingCopy)
        #expect(try git(["rev-parse", "refs/plue/keep/\(session.workingCopy)"]) == session.workingCopy)
        #expect(try git(["rev-parse", "\(session.workingCopy)^"]) == base)
        #expect(try git(["rev-parse", "\(session.workingCopy)^{tree}"]) == (try git(["rev-parse", "main^{tree}"])))
        #expect(try git(["cat-file", "commit", session.workingCopy]).contains("change-id \(session.currentChange)"))
        #expect(try git(["rev-parse", "--is-bare-repository"]) == "true" && !FileManager.default.fileExists(atPath: repository.path + "/index"))
        #expect(try forge.plue.sessions.operations(session.id, as: .operator).map(\.kind) == ["new"])
        #expect(try forge.plue.sessions.list(as: .operator).map(\.id) == [session.id])
        #expect(try git(["rev-parse", "main"]) == base, "sessions never move refs/heads")
    }

    @Test func snapshotRecordsEveryKindOfChange() throws {
        let session = try forge.plue.sessions.new(repository: "alice/demo", as: .operator)
        let work = session.workdir
        try "# Demo, edited\n".write(toFile: work + "/README.md", atomically: true, encoding: .utf8)
        try FileManager.default.moveItem(atPath: work + "/src/main.swift", toPath: work + "/src/app.swift")
        try FileManager.default.createDirectory(atPath: work + "/new/deep", withIntermediateDirectories: true)
        try "untracked\n".write(toFile: work + "/new/deep/file.txt", atomically: true, encoding: .utf8)
        try Data([0, 1, 2, 255, 0, 10]).write(to: URL(fileURLWithPath: work + "/blob.bin"))
        try "#!/bin/sh\n".write(toFile: work + "/run.sh", atomically: true, encoding: .utf8)
        chmod(work + "/run.sh", 0o755)
        symlink("README.md", work + "/link")
        try "ignored\n".write(toFile: work + "/debug.log", atomically: true, encoding: .utf8)
        try Data(repeating: 7, count: 2048).write(to: URL(fileURLWithPath: work + "/big.dat"))

        let result = try forge.plue.sessions.limitingNewFiles(to: 1024).snapshot(session.id, message: "edits", as: .operator)
        let operation = try #require(result.operation)
        #expect(operation.kind == "snapshot" && operation.description == "edits" && operation.parent == session.headOperation)
        #expect(result.skipped.map(\.path) == ["big.dat"])
        let commit = result.session.workingCopy
        #expect(try files(commit) == [
            "100644 .gitignore", "100644 README.md", "100644 blob.bin", "120000 link", "100644 new/deep/file.txt",
            "100755 run.sh", "100644 src/app.swift",
        ])
        #expect(Data(try Command.run("/usr/bin/git", ["-C", repository.path, "cat-file", "blob", "\(commit):blob.bin"]).output) == Data([0, 1, 2, 255, 0, 10]))
        #expect(try git(["cat-file", "blob", "\(commit):README.md"]) == "# Demo, edited")
        #expect(try git(["cat-file", "blob", "\(commit):link"]) == "README.md")
        // The same change, rewritten: its id survives, its parent is still the base.
        #expect(result.session.currentChange == session.currentChange)
        #expect(try git(["rev-parse", "\(commit)^"]) == session.baseCommit)
        #expect(try git(["rev-parse", session.bookmark]) == commit)
        #expect(try git(["rev-parse", "refs/plue/keep/\(session.workingCopy)"]) == session.workingCopy, "the first state is kept")

        // Nothing changed: no operation.
        let again = try forge.plue.sessions.limitingNewFiles(to: 1024).snapshot(session.id, as: .operator)
        #expect(again.operation == nil && again.session.workingCopy == commit)
        #expect(try forge.plue.sessions.operations(session.id, as: .operator).map(\.kind) == ["snapshot", "new"])
    }

    @Test func commitDescribesTheChangeAndStartsANewOne() throws {
        let session = try forge.plue.sessions.new(repository: "alice/demo", as: .operator)
        try "one\n".write(toFile: session.workdir + "/one.txt", atomically: true, encoding: .utf8)
        _ = try forge.plue.sessions.snapshot(session.id, as: .operator)
        let committed = try forge.plue.sessions.commit(session.id, message: "Add one\n\nWith a body.", as: .operator)
        #expect(committed.session.currentChange != session.currentChange)
        try "two\n".write(toFile: session.workdir + "/two.txt", atomically: true, encoding: .utf8)
        _ = try forge.plue.sessions.commit(session.id, message: "Add two", as: .operator)

        let changes = try forge.plue.sessions.changes(session.id, as: .operator)
        #expect(changes.count == 3)
        #expect(changes.map(\.description) == ["", "Add two\n", "Add one\n\nWith a body.\n"])
        #expect(changes[2].changeID == session.currentChange, "the first change kept its id through snapshot and commit")
        #expect(changes[1].changeID == committed.session.currentChange)
        #expect(changes.map(\.filesChanged) == [[], ["two.txt"], ["one.txt"]])
        #expect(changes[2].parents == [session.baseCommit])
        // The newest change has no description yet, so its subject line is empty.
        #expect(try git(["log", "--format=%s", "refs/plue/sessions/\(session.id)"]).split(separator: "\n") == ["Add two", "Add one", "initial commit"])
        #expect(try git(["rev-list", "--count", "refs/plue/sessions/\(session.id)"]) == "4")
        #expect(try forge.plue.sessions.operations(session.id, as: .operator).map(\.kind) == ["commit", "commit", "snapshot", "new"])
    }

    @Test func badInputIsRefusedAndChangesNothing() throws {
        let sessions = forge.plue.sessions
        #expect(plueError { _ = try sessions.show("0123456789abcdef", as: .operator) }?.code == .notFound)
        for id in ["", "../../etc", "-x", "0123456789ABCDEF", "0123456789abcdef0", "a\nb"] {
            #expect(plueError { _ = try sessions.snapshot(id, as: .operator) }?.code == .invalidInput, "\(id)")
        }
        #expect(plueError { _ = try sessions.new(repository: "alice/nope", as: .operator) }?.code == .notFound)
        #expect(plueError { _ = try sessions.new(repository: "alice/demo", base: "nope", as: .operator) }?.code == .notFound)
        #expect(plueError { _ = try sessions.new(repository: "alice/demo", base: "-x", as: .operator) }?.code == .invalidInput)
        #expect(plueError { _ = try sessions.new(repository: "alice/demo", title: "a\nb", as: .operator) }?.code == .invalidInput)
        _ = try forge.plue.repositories.create("alice/empty", as: .operator)
        #expect(plueError { _ = try sessions.new(repository: "alice/empty", as: .operator) }?.code == .notFound)
        #expect(try sessions.list(all: true, as: .operator).isEmpty)
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: forge.home.sessionsPath)) ?? []).isEmpty)

        let session = try sessions.new(repository: "alice/demo", as: .operator)
        #expect(plueError { _ = try sessions.commit(session.id, message: "  \n", as: .operator) }?.code == .invalidInput)
        try FileManager.default.removeItem(atPath: session.workdir)
        let missing = plueError { _ = try sessions.snapshot(session.id, as: .operator) }
        #expect(missing?.code == .failed && missing?.message.contains("missing") == true)
        #expect(try sessions.operations(session.id, as: .operator).count == 1)
    }

    @Test func deletingTheRepositoryRemovesItsSessions() throws {
        let session = try forge.plue.sessions.new(repository: "alice/demo", as: .operator)
        // An open session stops it (RepoDeleteSessionsTests has the rest); force does not stop.
        #expect(plueError { _ = try forge.plue.repositories.delete("alice/demo", as: .operator) }?.code == .failed)
        _ = try forge.plue.repositories.delete("alice/demo", force: true, as: .operator)
        #expect(!FileManager.default.fileExists(atPath: forge.home.sessionsPath + "/" + session.id))
        #expect(plueError { _ = try forge.plue.sessions.show(session.id, as: .operator) }?.code == .notFound)
    }
}

@Suite struct SnapshotEdgeTests {
    /// Changes the quick stat comparison cannot settle alone go through libgit2's full walk.
    @Test func filesThatBecomeDirectoriesAndBack() throws {
        let forge = try Forge(user: "alice")
        let repository = try forge.plue.repositories.create("alice/demo", as: .operator)
        let work = try forge.workTree(files: ["x": "file\n", "d/inner.txt": "inner\n"])
        try Command.git(["push", "-q", repository.path, "main"], in: work)
        let session = try forge.plue.sessions.new(repository: "alice/demo", as: .operator)
        try FileManager.default.removeItem(atPath: session.workdir + "/x")
        try FileManager.default.createDirectory(atPath: session.workdir + "/x", withIntermediateDirectories: false)
        try "now a dir\n".write(toFile: session.workdir + "/x/file.txt", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: session.workdir + "/d")
        try "now a file\n".write(toFile: session.workdir + "/d", atomically: true, encoding: .utf8)
        let result = try forge.plue.sessions.snapshot(session.id, as: .operator)
        #expect(try forge.plue.sessions.files(session.id, as: .operator).map(\.path) == ["d", "x/file.txt"])
        #expect(result.operation != nil)
        // Only a modification, no new names: the quick comparison finds it.
        try "changed\n".write(toFile: session.workdir + "/d", atomically: true, encoding: .utf8)
        _ = try forge.plue.sessions.snapshot(session.id, as: .operator)
        #expect(try forge.plue.sessions.cat(session.id, path: "d", as: .operator) == Array("changed\n".utf8))
        try FileManager.default.removeItem(atPath: session.workdir + "/x")
        _ = try forge.plue.sessions.snapshot(session.id, as: .operator)
        #expect(try forge.plue.sessions.files(session.id, as: .operator).map(\.path) == ["d"])
    }
}
