import Foundation
import PlueKit
import PlueTestSupport
import Testing

@Suite struct ImportTests {
    @Test func importCopiesEveryRefAndTheDefaultBranch() throws {
        let forge = try Forge()
        let work = try forge.workTree(branch: "trunk", files: ["a.txt": "a\n"])
        try Command.git(["checkout", "-q", "-b", "feature"], in: work)
        try "b\n".write(toFile: work + "/b.txt", atomically: true, encoding: .utf8)
        try Command.git(["add", "b.txt"], in: work)
        try Command.git(["commit", "-q", "-m", "b"], in: work)
        try Command.git(["tag", "-a", "v1", "-m", "release"], in: work)
        try Command.git(["checkout", "-q", "trunk"], in: work)

        let repository = try forge.plue.repositories.importRepository("alice/copy", from: work, description: "copied", as: .operator)
        #expect(repository.defaultBranch == "trunk" && repository.description == "copied")
        let refs = { (path: String) in
            try Command.git(["-C", path, "for-each-ref", "--format=%(refname) %(objectname)", "refs/heads", "refs/tags"])
        }
        #expect(try refs(repository.path) == refs(work))
        #expect(try Command.git(["-C", repository.path, "symbolic-ref", "HEAD"]) == "refs/heads/trunk")
        let remotes = try Command.run("/usr/bin/git", ["-C", repository.path, "config", "--get-regexp", "^remote\\."])
        #expect(remotes.trimmed.isEmpty, "the copy does not fetch from its source")
        #expect(FileManager.default.isExecutableFile(atPath: repository.path + "/hooks/post-receive"))
        #expect(try forge.plue.repositories.show("alice/copy", as: .operator).branches.map(\.name) == ["feature", "trunk"])
    }

    @Test func aFailedImportLeavesNothing() throws {
        let forge = try Forge()
        let error = plueError { _ = try forge.plue.repositories.importRepository("alice/copy", from: forge.directory.child("missing"), as: .operator) }
        #expect(error?.code == .failed)
        #expect(error?.cause?.isEmpty == false, "git's own reason is kept")
        #expect(try forge.plue.repositories.list(as: .operator).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: forge.home.root + "/repos/alice/copy.git"))
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: forge.home.stagingPath)) ?? []).isEmpty)
    }

    @Test(arguments: ["-uhelp", "--upload-pack=touch /tmp/pwned", "ext::sh -c touch% /tmp/pwned", "a\nb", ""])
    func hostileSourcesAreRefused(_ source: String) throws {
        let forge = try Forge()
        let error = plueError { _ = try forge.plue.repositories.importRepository("alice/copy", from: source, as: .operator) }
        #expect(error?.code == .invalidInput || error?.code == .failed)
        #expect(try forge.plue.repositories.list(as: .operator).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/pwned"))
    }
}
