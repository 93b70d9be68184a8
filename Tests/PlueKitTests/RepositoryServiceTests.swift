import Foundation
import PlueKit
import PlueTestSupport
import Testing

@Suite struct RepositoryServiceTests {
    @Test func createMakesABareRepositoryThatGitReads() throws {
        let forge = try Forge()
        let repository = try forge.plue.repositories.create("alice/demo", description: "A demo", isPrivate: true, defaultBranch: "trunk", as: .operator)
        #expect(repository.path == forge.home.root + "/repos/alice/demo.git")
        #expect(try Command.git(["-C", repository.path, "rev-parse", "--is-bare-repository"]) == "true")
        #expect(try Command.git(["-C", repository.path, "symbolic-ref", "HEAD"]) == "refs/heads/trunk")
        #expect(try Command.git(["-C", repository.path, "fsck", "--strict"]).isEmpty)
        for hook in ["pre-receive", "post-receive"] {
            let path = repository.path + "/hooks/" + hook
            #expect(FileManager.default.isExecutableFile(atPath: path))
            #expect(try String(contentsOfFile: path, encoding: .utf8).contains("hook \(hook) --home '\(forge.home.root)' --repo 'alice/demo'"))
        }
        let shown = try forge.plue.repositories.show("Alice/DEMO", as: .operator)
        #expect(shown.repository == repository && shown.branches.isEmpty && shown.empty)
        #expect(shown.repository.isPrivate && shown.repository.description == "A demo")
        #expect(try forge.plue.repositories.list(as: .operator).map(\.fullName) == ["alice/demo"])
        #expect(try forge.plue.repositories.list(owner: "alice", as: .operator).count == 1)
        #expect(try stagingLeftovers(forge).isEmpty)
    }

    @Test func duplicateNamesAreRefusedIgnoringCase() throws {
        let forge = try Forge()
        _ = try forge.plue.repositories.create("alice/demo", as: .operator)
        #expect(plueError { _ = try forge.plue.repositories.create("alice/DEMO", as: .operator) }?.code == .alreadyExists)
        #expect(!FileManager.default.fileExists(atPath: forge.home.root + "/repos/alice/DEMO.git"))
        #expect(try forge.plue.repositories.list(as: .operator).count == 1)
    }

    @Test func failedCreatesLeaveNoDirectoryAndNoRow() throws {
        let forge = try Forge()
        #expect(plueError { _ = try forge.plue.repositories.create("bob/demo", as: .operator) }?.code == .notFound)
        #expect(plueError { _ = try forge.plue.repositories.create("alice/../x", as: .operator) }?.code == .invalidInput)
        #expect(plueError { _ = try forge.plue.repositories.create("alice/-x", as: .operator) }?.code == .invalidInput)
        #expect(plueError { _ = try forge.plue.repositories.create("alice/demo", defaultBranch: "a..b", as: .operator) }?.code == .invalidInput)
        #expect(plueError { _ = try forge.plue.repositories.create("alice/demo", defaultBranch: "-main", as: .operator) }?.code == .invalidInput)
        #expect(plueError { _ = try forge.plue.repositories.create("alice/demo", description: "two\nlines", as: .operator) }?.code == .invalidInput)
        #expect(try forge.plue.repositories.list(as: .operator).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: forge.home.repositoriesPath).filter { !$0.hasPrefix(".") }.isEmpty)
        #expect(try stagingLeftovers(forge).isEmpty)
    }

    @Test func aFailureWhileMovingIntoPlaceRollsTheRowBack() throws {
        let forge = try Forge()
        // A file where the owner's folder should be: the move fails after the row was inserted.
        try "in the way".write(toFile: forge.home.repositoriesPath + "/alice", atomically: true, encoding: .utf8)
        #expect(plueError { _ = try forge.plue.repositories.create("alice/demo", as: .operator) } != nil)
        #expect(try forge.plue.repositories.list(as: .operator).isEmpty)
        #expect(try stagingLeftovers(forge).isEmpty)
    }

    @Test func aStrayDirectoryIsNeitherAdoptedNorOverwritten() throws {
        let forge = try Forge()
        let stray = forge.home.root + "/repos/alice/demo.git"
        try FileManager.default.createDirectory(atPath: stray, withIntermediateDirectories: true)
        try "precious".write(toFile: stray + "/file", atomically: true, encoding: .utf8)
        let error = plueError { _ = try forge.plue.repositories.create("alice/demo", as: .operator) }
        #expect(error?.code == .alreadyExists && error?.message.contains("move it away") == true)
        #expect(try String(contentsOfFile: stray + "/file", encoding: .utf8) == "precious")
        #expect(try forge.plue.repositories.list(as: .operator).isEmpty)
    }

    @Test func deleteRemovesDirectoryRowAndEvents() throws {
        let forge = try Forge()
        let repository = try forge.plue.repositories.create("alice/demo", as: .operator)
        let work = try forge.workTree(files: ["a.txt": "a\n"])
        try Command.git(["push", "-q", repository.path, "main"], in: work)
        #expect(try forge.plue.pushes.events("alice/demo", as: .operator).count == 1)

        let deleted = try forge.plue.repositories.delete("alice/demo", as: .operator)
        #expect(deleted.id == repository.id)
        #expect(!FileManager.default.fileExists(atPath: repository.path))
        #expect(try forge.plue.repositories.list(as: .operator).isEmpty)
        #expect(plueError { _ = try forge.plue.pushes.events("alice/demo", as: .operator) }?.code == .notFound)
        #expect(plueError { _ = try forge.plue.repositories.delete("alice/demo", as: .operator) }?.code == .notFound)
        // The name is free again, with no events carried over.
        _ = try forge.plue.repositories.create("alice/demo", as: .operator)
        #expect(try forge.plue.pushes.events("alice/demo", as: .operator).isEmpty)
    }

    @Test func unknownRepositoriesAreNotFound() throws {
        let forge = try Forge()
        #expect(plueError { _ = try forge.plue.repositories.show("alice/nope", as: .operator) }?.code == .notFound)
        #expect(plueError { _ = try forge.plue.repositories.log("alice/nope", as: .operator) }?.code == .notFound)
        #expect(plueError { _ = try forge.plue.repositories.list(owner: "nobody", as: .operator) }?.code == .notFound)
    }

    @Test func aMissingGitDirectoryIsReportedNotHidden() throws {
        let forge = try Forge()
        let repository = try forge.plue.repositories.create("alice/demo", as: .operator)
        try FileManager.default.removeItem(atPath: repository.path)
        let error = plueError { _ = try forge.plue.repositories.show("alice/demo", as: .operator) }
        #expect(error?.code == .damaged && error?.message.contains("missing") == true)
    }

    func stagingLeftovers(_ forge: Forge) throws -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: forge.home.stagingPath)) ?? []
    }
}

@Suite struct LeftoverTests {
    @Test func leftoversOfKilledProcessesAreRemovedLater() throws {
        let forge = try Forge()
        let staging = forge.home.stagingPath
        let trash = forge.home.trashPath
        for directory in [staging, trash] {
            try FileManager.default.createDirectory(atPath: directory + "/old.git/objects", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: directory + "/recent.git", withIntermediateDirectories: true)
            let twoHoursAgo = Date(timeIntervalSinceNow: -7200)
            try FileManager.default.setAttributes([.modificationDate: twoHoursAgo], ofItemAtPath: directory + "/old.git")
        }
        _ = try forge.plue.repositories.create("alice/demo", as: .operator)
        #expect(try FileManager.default.contentsOfDirectory(atPath: staging) == ["recent.git"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: trash) == ["recent.git"],
                "a recent entry may belong to a process still running")
    }
}
