import Foundation
import PlueKit
import PlueTestSupport
import Testing

/// Content pushed with the real git client, read back through libgit2, compared with what git says.
@Suite struct RepositoryReadingTests {
    let forge: Forge
    let repository: Repository
    let work: String

    init() throws {
        forge = try Forge()
        repository = try forge.plue.repositories.create("alice/demo", as: .operator)
        work = try forge.workTree(files: ["README.md": "# Demo\n", "src/main.swift": "print(1)\n"])
        let binary: [UInt8] = [0, 1, 2, 255, 254, 10, 13, 0]
        try Data(binary).write(to: URL(fileURLWithPath: work + "/src/blob.bin"))
        try "#!/bin/sh\necho hi\n".write(toFile: work + "/run.sh", atomically: true, encoding: .utf8)
        chmod(work + "/run.sh", 0o755)
        symlink("README.md", work + "/link")
        try Command.git(["add", "-A"], in: work)
        try Command.git(["commit", "-q", "-m", "Add files\n\nWith a body."], in: work)
        try Command.git(["tag", "v1"], in: work)
        try "# Demo 2\n".write(toFile: work + "/README.md", atomically: true, encoding: .utf8)
        try Command.git(["commit", "-q", "-am", "Edit the readme"], in: work)
        try Command.git(["push", "-q", repository.path, "main", "v1"], in: work)
    }

    @Test func logMatchesGit() throws {
        let log = try forge.plue.repositories.log("alice/demo", as: .operator)
        let expected = try Command.git(["-C", repository.path, "rev-list", "--date-order", "main"]).split(separator: "\n").map(String.init)
        #expect(log.map(\.commit) == expected)
        #expect(log.map(\.summary) == ["Edit the readme", "Add files", "initial commit"])
        #expect(log[1].message == "Add files\n\nWith a body.\n")
        #expect(log[0].parents == [expected[1]] && log[2].parents.isEmpty)
        #expect(log[0].author.name == "Test Author" && log[0].author.email == "author@example.com")
        let authorTime = try Command.git(["-C", repository.path, "log", "-1", "--format=%at", "main"])
        #expect(Int(log[0].author.time.timeIntervalSince1970) == Int(authorTime))

        #expect(try forge.plue.repositories.log("alice/demo", limit: 1, as: .operator).count == 1)
        #expect(try forge.plue.repositories.log("alice/demo", ref: "v1", as: .operator).map(\.commit) == Array(expected.dropFirst()))
        #expect(try forge.plue.repositories.log("alice/demo", ref: "main~2", as: .operator).map(\.commit) == [expected[2]])
    }

    @Test func treeMatchesGitLsTree() throws {
        for path in ["", "src"] {
            let entries = try forge.plue.repositories.tree("alice/demo", path: path, as: .operator)
            let listing = try Command.git(["-C", repository.path, "ls-tree", "-l", "main" + (path.isEmpty ? "" : ":" + path)])
            let expected = listing.split(separator: "\n").map { line -> String in
                let parts = line.split(separator: "\t", maxSplits: 1)
                let fields = parts[0].split(separator: " ", omittingEmptySubsequences: true)
                return "\(fields[0]) \(fields[1]) \(fields[2]) \(fields[3]) \(parts[1])"
            }
            let actual = entries.map { "\($0.mode) \($0.type) \($0.object) \($0.size.map(String.init) ?? "-") \($0.name)" }
            #expect(actual == expected)
        }
        let root = try forge.plue.repositories.tree("alice/demo", as: .operator)
        #expect(root.first { $0.name == "run.sh" }?.mode == "100755")
        #expect(root.first { $0.name == "link" }?.mode == "120000")
        #expect(root.first { $0.name == "src" }?.path == "src")
        #expect(try forge.plue.repositories.tree("alice/demo", path: "src", as: .operator).map(\.path) == ["src/blob.bin", "src/main.swift"])
    }

    @Test func catReturnsTheExactBytes() throws {
        for (path, ref) in [("src/blob.bin", "main"), ("README.md", "main"), ("README.md", "v1"), ("link", "main")] {
            let bytes = try forge.plue.repositories.cat("alice/demo", path: path, ref: ref, as: .operator)
            let expected = try Command.run("/usr/bin/git", ["-C", repository.path, "cat-file", "-p", "\(ref):\(path)"]).output
            #expect(Data(bytes) == expected, "\(ref):\(path)")
        }
    }

    @Test func badRefsAndPathsAreRefused() throws {
        let repos = forge.plue.repositories
        #expect(plueError { _ = try repos.log("alice/demo", ref: "nope", as: .operator) }?.code == .notFound)
        #expect(plueError { _ = try repos.log("alice/demo", ref: "--all", as: .operator) }?.code == .invalidInput)
        #expect(plueError { _ = try repos.log("alice/demo", ref: "main\n", as: .operator) }?.code == .invalidInput)
        #expect(plueError { _ = try repos.log("alice/demo", limit: 0, as: .operator) }?.code == .invalidInput)
        #expect(plueError { _ = try repos.tree("alice/demo", path: "../..", as: .operator) }?.code == .invalidInput)
        #expect(plueError { _ = try repos.tree("alice/demo", path: "nope", as: .operator) }?.code == .notFound)
        #expect(plueError { _ = try repos.tree("alice/demo", path: "README.md", as: .operator) }?.code == .invalidInput)
        #expect(plueError { _ = try repos.cat("alice/demo", path: "src", as: .operator) }?.code == .invalidInput)
        #expect(plueError { _ = try repos.cat("alice/demo", path: "", as: .operator) }?.code == .invalidInput)
        #expect(plueError { _ = try repos.cat("alice/demo", path: "src/../README.md", as: .operator) }?.code == .invalidInput)
        #expect(plueError { _ = try repos.cat("alice/demo", path: "a\0b", as: .operator) }?.code == .invalidInput)
        #expect(plueError { _ = try repos.cat("alice/demo", path: "missing.txt", as: .operator) }?.code == .notFound)
    }

    @Test func anEmptyRepositorySaysSo() throws {
        _ = try forge.plue.repositories.create("alice/empty", as: .operator)
        let error = plueError { _ = try forge.plue.repositories.log("alice/empty", as: .operator) }
        #expect(error?.code == .notFound && error?.message.contains("no commits yet") == true)
    }

    @Test func showListsBranchesWithTheirTips() throws {
        try Command.git(["push", "-q", repository.path, "main:refs/heads/feature/x"], in: work)
        let details = try forge.plue.repositories.show("alice/demo", as: .operator)
        let tip = try Command.git(["-C", repository.path, "rev-parse", "main"])
        #expect(details.branches == [.init(name: "feature/x", commit: tip), .init(name: "main", commit: tip)])
        #expect(details.repository.sizeBytes > 0)
    }

    /// Packed and loose branches mixed: listed in git's order (by name), as for-each-ref lists them.
    @Test func branchesOfPackedAndLooseRefsAreInGitsOrder() throws {
        for name in ["m", "b", "zz"] { try Command.git(["-C", repository.path, "branch", name, "main"]) }
        try Command.git(["-C", repository.path, "pack-refs", "--all"])
        for name in ["a", "n", "c/d", "zzz"] { try Command.git(["-C", repository.path, "branch", name, "main"]) }
        let names = try forge.plue.repositories.show("alice/demo", as: .operator).branches.map(\.name)
        let expected = try Command.git(["-C", repository.path, "for-each-ref", "--format=%(refname:short)", "refs/heads"])
            .split(separator: "\n").map(String.init)
        #expect(names == expected)
        #expect(names == ["a", "b", "c/d", "m", "main", "n", "zz", "zzz"])
    }
}
