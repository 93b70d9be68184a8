import Foundation
import PlueKit
import PlueTestSupport
import Testing

@Suite struct PushServiceTests {
    let zero = RefUpdate.zeroCommit
    let a = String(repeating: "a", count: 40)
    let b = String(repeating: "b", count: 40)

    @Test func parsesHookInput() throws {
        let updates = try RefUpdate.parse(hookInput: "\(zero) \(a) refs/heads/main\n\(a) \(zero) refs/tags/v 1\n")
        #expect(updates == [RefUpdate(oldCommit: zero, newCommit: a, ref: "refs/heads/main"),
                            RefUpdate(oldCommit: a, newCommit: zero, ref: "refs/tags/v 1")])
        #expect(updates[0].isCreate && updates[1].isDelete)
        #expect(try RefUpdate.parse(hookInput: "").isEmpty)
    }

    @Test(arguments: ["garbage", "\(String(repeating: "g", count: 40)) \(String(repeating: "a", count: 40)) refs/heads/x",
                      "\(String(repeating: "a", count: 40)) \(String(repeating: "a", count: 39)) refs/heads/x",
                      "\(String(repeating: "a", count: 40)) \(String(repeating: "a", count: 40))"])
    func refusesMalformedHookInput(_ line: String) {
        #expect(plueError { _ = try RefUpdate.parse(hookInput: line) }?.code == .invalidInput)
    }

    @Test func recordsEventsNewestFirstWithThePusher() throws {
        let forge = try Forge()
        _ = try forge.plue.repositories.create("alice/demo", as: .operator)
        try forge.plue.pushes.record("alice/demo", updates: [RefUpdate(oldCommit: zero, newCommit: a, ref: "refs/heads/main")], pusher: .local)
        try forge.plue.pushes.record("alice/demo", updates: [RefUpdate(oldCommit: a, newCommit: b, ref: "refs/heads/main")], pusher: .user("ALICE"))
        let events = try forge.plue.pushes.events("alice/demo", as: .operator)
        #expect(events.map(\.newCommit) == [b, a])
        #expect(events.map(\.pusher) == ["alice", nil])
        #expect(events.allSatisfy { $0.repository == "alice/demo" && $0.ref == "refs/heads/main" })
        #expect(try forge.plue.pushes.events("alice/demo", limit: 1, as: .operator).map(\.newCommit) == [b])
    }

    @Test func checkRefusesWhatCouldNotBeRecorded() throws {
        let forge = try Forge()
        _ = try forge.plue.repositories.create("alice/demo", as: .operator)
        let update = RefUpdate(oldCommit: zero, newCommit: a, ref: "refs/heads/main")
        try forge.plue.pushes.check("alice/demo", updates: [update], pusher: .user("alice"))
        #expect(plueError { try forge.plue.pushes.check("alice/nope", updates: [update], pusher: .local) }?.code == .notFound)
        #expect(plueError { try forge.plue.pushes.check("alice/demo", updates: [update], pusher: .user("mallory")) }?.code == .permissionDenied)
        #expect(plueError { try forge.plue.pushes.record("alice/demo", updates: [update], pusher: .user("mallory")) }?.code == .permissionDenied)
        #expect(try forge.plue.pushes.events("alice/demo", as: .operator).isEmpty)
    }

    /// With the real hooks: a new ref is a branch every reader takes for one or a tag that does
    /// not stand for the default branch; other refs only from an admin; removing one is not refused.
    @Test func newRefsAreBranchesAndTagsWithPlainNames() throws {
        let forge = try Forge()
        _ = try forge.plue.users.create(name: "bob", email: "bob@example.com", admin: false, as: .operator)
        let repository = try forge.plue.repositories.create("alice/demo", as: .operator)
        _ = try forge.plue.access.addCollaborator(repository: "alice/demo", user: "bob", permission: .write, as: .operator)
        let work = try forge.workTree(files: ["README": "hello\n"])
        try Command.git(["push", "-q", repository.path, "main"], in: work, environment: ["PLUE_PUSHER": "alice"])
        func push(_ refspec: String, as user: String) throws -> CommandResult {
            try Command.run("/usr/bin/git", ["push", "-q", repository.path, refspec], in: work,
                            environment: Command.environment(["PLUE_PUSHER": user]))
        }
        for (refspec, user) in [("HEAD:refs/heads/HEAD", "bob"), ("HEAD:refs/heads/refs/heads/x", "alice"), ("HEAD:refs/heads/heads/x", "bob"),
                                ("HEAD:refs/tags/main", "alice"), ("HEAD:refs/tags/refs/heads/main", "alice"), ("HEAD:refs/tags/HEAD", "bob"), ("HEAD:refs/weird/x", "bob"), ("HEAD:refs/notes/commits", "bob")] {
            let refused = try push(refspec, as: user)
            #expect(refused.status != 0 && refused.errorOutput.contains("refusing to create"), "\(refspec): \(refused.errorOutput)")
        }
        for (refspec, user) in [("HEAD:refs/heads/feature/one", "bob"), ("HEAD:refs/tags/v1", "bob"), ("HEAD:refs/weird/x", "alice")] {
            let accepted = try push(refspec, as: user)
            #expect(accepted.status == 0, "\(refspec): \(accepted.errorOutput)")
        }
        #expect(try push(":refs/weird/x", as: "bob").status == 0, "a ref made before is removed by a writer")
        let refs = try Command.git(["-C", repository.path, "for-each-ref", "--format=%(refname)"]).split(separator: "\n").map(String.init)
        #expect(refs == ["refs/heads/feature/one", "refs/heads/main", "refs/tags/v1"])
    }
}

@Suite struct PushMaintenanceTests {
    @Test func manyPushedBranchesArePackedIntoOneFile() throws {
        let forge = try Forge()
        let repository = try forge.plue.repositories.create("alice/demo", as: .operator)
        let work = try forge.workTree(files: ["a.txt": "a\n"])
        let commands = (1...100).map { "create refs/heads/topic-\($0) HEAD" }.joined(separator: "\n") + "\n"
        let update = try Command.run("/usr/bin/git", ["update-ref", "--stdin"], in: work, input: Data(commands.utf8))
        #expect(update.status == 0)
        try Command.git(["push", "-q", repository.path, "refs/heads/*:refs/heads/*"], in: work)

        let loose = FileManager.default.enumerator(atPath: repository.path + "/refs")?.allObjects
            .compactMap { $0 as? String }.filter { !$0.hasSuffix("heads") && !$0.hasSuffix("tags") } ?? []
        #expect(loose.count <= 64, "refs were packed after the push: \(loose.count) loose")
        let packed = try String(contentsOfFile: repository.path + "/packed-refs", encoding: .utf8)
        #expect(packed.contains("refs/heads/topic-100"))
        #expect(try Command.git(["-C", repository.path, "for-each-ref", "--count=1000", "refs/heads"]).split(separator: "\n").count == 101)
        #expect(try forge.plue.repositories.show("alice/demo", as: .operator).branches.count == 101)
        #expect(try forge.plue.pushes.events("alice/demo", limit: 1000, as: .operator).count == 101)
    }
}
