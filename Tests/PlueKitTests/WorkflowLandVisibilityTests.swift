import Foundation
import PlueKit
import PlueTestSupport
import Testing

/// A workflow run that checks a session's land builds the session's files: it is seen, read and
/// cancelled only by whoever may see the session's land entry (the session's owner, the
/// repository's admins, the operator), never by every reader of the repository.
@Suite struct WorkflowLandVisibilityTests {
    @Test func aSessionsLandRunIsTheSessions() throws {
        let forge = try Forge(user: "alice")
        let alice = try forge.plue.users.show("alice", as: .operator)
        let bob = try forge.plue.users.create(name: "bob", email: "bob@example.com", admin: false, as: .operator)
        _ = try forge.plue.repositories.create("alice/demo", as: .user(alice))
        _ = try forge.plue.access.addCollaborator(repository: "alice/demo", user: "bob", permission: .write, as: .operator)
        let work = try forge.workTree(files: [".plue/workflows/ci.yml": "name: ci\non: {land: {}}\njobs:\n  test:\n    steps:\n      - run: cat notes.txt\n"])
        try Command.git(["push", "-q", forge.home.root + "/repos/alice/demo.git", "main"], in: work)
        _ = try forge.plue.workflows.protect("alice/demo", branch: "main", require: ["ci"], as: .operator)

        let session = try forge.plue.sessions.new(repository: "alice/demo", as: .user(alice))
        _ = try forge.plue.sessions.writeFile(session.id, path: "notes.txt", bytes: Array("draft: not public\n".utf8), as: .user(alice))
        let entry = try forge.plue.landing.enqueue("alice/demo", source: .session(session.id), as: .user(alice))
        try forge.plue.landing.runWaiting(as: .operator) { _ in }
        let runs = try forge.plue.workflows.runs("alice/demo", page: Page(), as: .user(alice)).items
        let run = try #require(runs.first { $0.landEntryID == entry.id }, "the land started its required run")

        // Bob writes to the repository but may not see alice's session: nor its land's run.
        let bobs = try forge.plue.workflows.runs("alice/demo", page: Page(), as: .user(bob))
        #expect(bobs.items.isEmpty && bobs.total == 0, "\(bobs.items)")
        for attempt in [{ _ = try forge.plue.workflows.show(run.id, as: .user(bob)) },
                        { _ = try forge.plue.workflows.logs(run.id, as: .user(bob)) },
                        { _ = try forge.plue.workflows.cancel(run.id, as: .user(bob)) }] {
            #expect(plueError(attempt)?.code == .notFound)
        }
        #expect(try forge.plue.workflows.show(run.id, as: .user(alice)).status != .cancelled)
        #expect(try forge.plue.workflows.show(run.id, as: .operator).id == run.id)

        // A branch's land is the repository's: bob sees that one.
        _ = try forge.plue.landing.cancel(entry.id, as: .user(alice))
        try Command.git(["checkout", "-q", "-b", "topic"], in: work)
        try "notes\n".write(toFile: work + "/notes.txt", atomically: true, encoding: .utf8)
        try Command.git(["add", "-A"], in: work)
        try Command.git(["commit", "-q", "-m", "notes"], in: work)
        try Command.git(["push", "-q", forge.home.root + "/repos/alice/demo.git", "topic"], in: work)
        let branchEntry = try forge.plue.landing.enqueue("alice/demo", source: .branch("topic"), as: .user(bob))
        try forge.plue.landing.runWaiting(as: .operator) { _ in }
        let seen = try forge.plue.workflows.runs("alice/demo", page: Page(), as: .user(bob))
        #expect(seen.items.map(\.landEntryID) == [branchEntry.id] && seen.total == 1, "\(seen.items)")
    }
}
