import Foundation
import PlueKit
import PlueTestSupport
import Testing

/// Sessions belong to whoever starts them: seen and used by their owner, the repository's admins
/// and the operator, and exactly as missing to everyone else, writers of the repository included.
@Suite struct SessionAuthorizationTests {
    let forge: Forge

    init() throws {
        forge = try Forge(user: "alice")
        for name in ["bob", "carol", "dave", "frank"] {
            _ = try forge.plue.users.create(name: name, email: "\(name)@example.com", admin: false, as: .operator)
        }
        _ = try forge.plue.users.create(name: "root1", email: "root1@example.com", admin: true, as: .operator)
        let repository = try forge.plue.repositories.create("alice/demo", isPrivate: true, as: .operator)
        let work = try forge.workTree(files: ["a.txt": "one\n"])
        try Command.git(["push", "-q", repository.path, "main"], in: work)
        for (name, permission) in [("bob", Permission.write), ("carol", .write), ("frank", .admin)] {
            _ = try forge.plue.access.addCollaborator(repository: "alice/demo", user: name, permission: permission, as: .operator)
        }
    }

    func user(_ name: String) throws -> Principal { .user(try forge.plue.users.show(name, as: .operator)) }

    /// A session of `owner` with one committed change (a new `file`), so it has something to land.
    func started(as owner: Principal, file: String = "b.txt") throws -> Session {
        let session = try forge.plue.sessions.new(repository: "alice/demo", title: "work", as: owner)
        try "two\n".write(toFile: session.workdir + "/" + file, atomically: true, encoding: .utf8)
        _ = try forge.plue.sessions.commit(session.id, message: "add \(file)", as: owner)
        return session
    }

    /// Every call that names a session, as `principal`, on session `id`.
    func sessionCalls(_ id: String, as principal: Principal) -> [(String, () throws -> Void)] {
        let sessions = forge.plue.sessions, landing = forge.plue.landing
        return [
            ("show", { _ = try sessions.show(id, as: principal) }),
            ("operations", { _ = try sessions.operations(id, as: principal) }),
            ("snapshot", { _ = try sessions.snapshot(id, as: principal) }),
            ("commit", { _ = try sessions.commit(id, message: "m", as: principal) }),
            ("configure", { _ = try sessions.configure(id, maxNewFileSize: 1, as: principal) }),
            ("settings", { _ = try sessions.settings(id, as: principal) }),
            ("changes", { _ = try sessions.changes(id, as: principal) }),
            ("change", { _ = try sessions.change(id, "@", as: principal) }),
            ("undo", { _ = try sessions.undo(id, as: principal) }),
            ("redo", { _ = try sessions.redo(id, as: principal) }),
            ("restore", { _ = try sessions.restore(id, operation: 1, as: principal) }),
            ("diff", { _ = try sessions.diff(id, as: principal) }),
            ("diff report", { _ = try sessions.diffReport(id, as: principal) }),
            ("files", { _ = try sessions.files(id, as: principal) }),
            ("cat", { _ = try sessions.cat(id, path: "a.txt", as: principal) }),
            ("resolve", { _ = try sessions.resolve("@", id, as: principal) }),
            ("conflicts", { _ = try sessions.conflicts(id, as: principal) }),
            ("turn", { _ = try sessions.turn(id, prompt: "hello", as: principal) }),
            ("turns", { _ = try sessions.turns(id, as: principal) }),
            ("messages", { _ = try sessions.messages(id, as: principal) }),
            ("conversation", { _ = try sessions.conversation(id, as: principal) }),
            ("revert", { _ = try sessions.revert(id, toTurn: 1, as: principal) }),
            ("unrevert", { _ = try sessions.unrevert(id, as: principal) }),
            ("undo turns", { _ = try sessions.undoTurns(id, as: principal) }),
            ("abort", { _ = try sessions.abort(id, as: principal) }),
            ("delete", { _ = try sessions.delete(id, confirmed: true, force: true, as: principal) }),
            ("fork", { _ = try sessions.fork(id, as: principal) }),
            ("land check", { _ = try landing.check("alice/demo", source: .session(id), as: principal) }),
            ("land enqueue", { _ = try landing.enqueue("alice/demo", source: .session(id), as: principal) }),
        ]
    }

    /// Every call on `id` fails as it does for a session id nobody has, and changes nothing.
    func expectInvisible(_ id: String, to principal: Principal, _ label: String) throws {
        let before = try forge.plue.sessions.operations(id, as: .operator)
        let missing = "0123456789abcdef"
        for ((call, hidden), (_, absent)) in zip(sessionCalls(id, as: principal), sessionCalls(missing, as: principal)) {
            let hiddenError = plueError(hidden), missingError = plueError(absent)
            #expect(hiddenError?.code == .notFound, "\(label): \(call): \(String(describing: hiddenError))")
            #expect(hiddenError?.message == missingError?.message.replacingOccurrences(of: missing, with: id), "\(label): \(call)")
        }
        #expect(try forge.plue.sessions.operations(id, as: .operator) == before, "\(label): nothing was recorded")
        #expect(try forge.plue.sessions.show(id, as: .operator).status == .active)
        #expect(try forge.plue.landing.list("alice/demo", all: true, as: .operator).isEmpty)
    }

    @Test func aSessionIsSeenOnlyByItsOwnerTheRepositoryAdminsAndTheOperator() throws {
        let bob = try user("bob")
        let bobs = try started(as: bob)
        let operators = try started(as: .operator)
        #expect(bobs.owner == "bob" && operators.owner == nil)
        #expect(bobs.json.rendered().contains("\"owner\": \"bob\"") && operators.json.rendered().contains("\"owner\": null"))

        try expectInvisible(bobs.id, to: try user("carol"), "a writer who is not the owner")
        try expectInvisible(operators.id, to: bob, "the operator's session, to a writer")
        try expectInvisible(bobs.id, to: try user("dave"), "a stranger")
        #expect(try forge.plue.sessions.list(as: try user("carol")).isEmpty)
        #expect(try forge.plue.sessions.list(repository: "alice/demo", all: true, as: try user("carol")).isEmpty)
        #expect(try forge.plue.sessions.list(as: bob).map(\.id) == [bobs.id])

        for name in ["alice", "frank", "root1"] {
            #expect(try forge.plue.sessions.show(bobs.id, as: try user(name)).owner == "bob", "\(name)")
            #expect(Set(try forge.plue.sessions.list(as: try user(name)).map(\.id)) == [bobs.id, operators.id], "\(name)")
        }
        #expect(Set(try forge.plue.sessions.list(as: .operator).map(\.id)) == [bobs.id, operators.id])
        // The repository's admin works in it as the owner would.
        #expect(try forge.plue.sessions.snapshot(bobs.id, as: try user("frank")).session.owner == "bob")
    }

    @Test func theOwnerNeedsReadToSeeItAndWriteToChangeIt() throws {
        let bobs = try started(as: try user("bob"))
        _ = try forge.plue.access.addCollaborator(repository: "alice/demo", user: "bob", permission: .read, as: .operator)
        let bob = try user("bob")
        #expect(try forge.plue.sessions.show(bobs.id, as: bob).id == bobs.id)
        #expect(try forge.plue.sessions.diff(bobs.id, as: bob).contains("+two"))
        let denied = plueError { _ = try forge.plue.sessions.snapshot(bobs.id, as: bob) }
        #expect(denied?.code == .permissionDenied && denied?.code.exitCode == 77)
        #expect(plueError { _ = try forge.plue.sessions.delete(bobs.id, confirmed: true, as: bob) }?.code == .permissionDenied)

        try forge.plue.access.removeCollaborator(repository: "alice/demo", user: "bob", as: .operator)
        try expectInvisible(bobs.id, to: bob, "an owner who lost the repository")
        #expect(try forge.plue.sessions.list(as: bob).isEmpty)
    }

    @Test func aForkBelongsToWhoeverForks() throws {
        let bob = try user("bob"), alice = try user("alice")
        let bobs = try started(as: bob)
        let alicesFork = try forge.plue.sessions.fork(bobs.id, as: alice)
        #expect(alicesFork.owner == "alice")
        #expect(plueError { _ = try forge.plue.sessions.show(alicesFork.id, as: bob) }?.code == .notFound)
        #expect(try forge.plue.sessions.fork(bobs.id, as: bob).owner == "bob")
        #expect(try forge.plue.sessions.fork(bobs.id, as: .operator).owner == nil)
        #expect(try forge.plue.sessions.files(alicesFork.id, as: alice).map(\.path) == ["a.txt", "b.txt"])
    }

    @Test func aLandOfASessionIsItsOwnersAndCancelledByWhoQueuedItOrAnAdmin() throws {
        let bob = try user("bob"), carol = try user("carol")
        let bobs = try started(as: bob)
        let entry = try forge.plue.landing.enqueue("alice/demo", source: .session(bobs.id), as: bob)
        #expect(entry.requestedBy == "bob")
        // A session's entry names it and its head: seen only by those who see the session.
        #expect(plueError { _ = try forge.plue.landing.show(entry.id, as: carol) }?.code == .notFound)
        #expect(plueError { _ = try forge.plue.landing.cancel(entry.id, as: carol) }?.code == .notFound)
        let hidden = plueError { _ = try forge.plue.landing.show(entry.id, as: try user("dave")) }
        let missing = plueError { _ = try forge.plue.landing.show(9999, as: try user("dave")) }
        #expect(hidden?.code == .notFound && hidden?.message == missing?.message.replacingOccurrences(of: "9999", with: "\(entry.id)"))
        #expect(plueError { _ = try forge.plue.landing.cancel(entry.id, as: try user("dave")) }?.code == .notFound)
        #expect(try forge.plue.landing.cancel(entry.id, as: bob).state == .cancelled)

        // Queued again by the operator: only an admin cancels that one; run, it lands as bob's push.
        let again = try forge.plue.landing.enqueue("alice/demo", source: .session(bobs.id), as: .operator)
        #expect(again.requestedBy == nil)
        #expect(plueError { _ = try forge.plue.landing.cancel(again.id, as: bob) }?.code == .permissionDenied)
        var finished: [LandEntry] = []
        try forge.plue.landing.run("alice/demo", once: true, as: carol) { finished.append($0) }
        #expect(finished.map(\.state) == [.landed])
        #expect(try forge.plue.pushes.events("alice/demo", as: .operator).first?.pusher == "bob")

        let third = try forge.plue.landing.enqueue("alice/demo", source: .session(started(as: carol, file: "c.txt").id), as: carol)
        #expect(try forge.plue.landing.cancel(third.id, as: try user("frank")).state == .cancelled)
    }

    @Test func collectingSessionsNeedsAdmin() throws {
        let bob = try user("bob")
        _ = try started(as: bob)
        #expect(plueError { _ = try forge.plue.sessions.collectGarbage(repository: "alice/demo", as: bob) }?.code == .permissionDenied)
        #expect(plueError { _ = try forge.plue.sessions.collectGarbage(as: bob) }?.code == .permissionDenied)
        #expect(plueError { _ = try forge.plue.sessions.collectGarbage(as: try user("frank")) }?.code == .permissionDenied,
                "the whole home is the site's, not one repository's admin's")
        #expect(try forge.plue.sessions.collectGarbage(repository: "alice/demo", as: try user("frank")).removed.isEmpty)
        #expect(try forge.plue.sessions.collectGarbage(as: try user("root1")).removed.isEmpty)
        #expect(try forge.plue.sessions.collectGarbage(as: .operator).removed.isEmpty)
    }
}
