import Foundation
import PlueKit
import PlueTestSupport
import Testing

/// The landing queue on real repositories: every result read back with the git CLI.
@Suite struct LandingTests {
    let forge: Forge
    let repository: Repository
    let work: String

    init() throws {
        forge = try Forge(user: "alice")
        repository = try forge.plue.repositories.create("alice/demo", as: .operator)
        work = try forge.workTree(files: ["a.txt": "one\ntwo\nthree\n", "b.txt": "bee\n"])
        try Command.git(["push", "-q", repository.path, "main"], in: work)
    }

    var landing: LandingService { forge.plue.landing }

    /// Alice, as the principal who queues.
    var alice: Principal { get throws { .user(try forge.plue.users.show("alice", as: .operator)) } }

    func git(_ arguments: [String]) throws -> String { try Command.git(["-C", repository.path] + arguments) }

    /// Commits `files` on `branch` of the work tree (created from main when new) and pushes it.
    @discardableResult
    func push(_ branch: String, _ files: [String: String?], message: String, from start: String = "main") throws -> String {
        let exists = (try? Command.git(["rev-parse", "--verify", "-q", "refs/heads/" + branch], in: work)) != nil
        try Command.git(exists ? ["checkout", "-q", branch] : ["checkout", "-q", "-b", branch, start], in: work)
        for (file, contents) in files {
            if let contents {
                try contents.write(toFile: work + "/" + file, atomically: true, encoding: .utf8)
            } else {
                try FileManager.default.removeItem(atPath: work + "/" + file)
            }
        }
        try Command.git(["add", "-A"], in: work)
        try Command.git(["commit", "-q", "-m", message], in: work)
        try Command.git(["push", "-q", repository.path, branch], in: work)
        return try Command.git(["rev-parse", "HEAD"], in: work)
    }

    func write(_ session: Session, _ file: String, _ contents: String) throws {
        try contents.write(toFile: session.workdir + "/" + file, atomically: true, encoding: .utf8)
    }

    func runQueue(pauses: LandRunPauses = LandRunPauses()) throws -> [LandEntry] {
        var finished: [LandEntry] = []
        try landing.run("alice/demo", once: true, pauses: pauses, as: .operator) { finished.append($0) }
        return finished
    }

    func subjects(_ revision: String = "main") throws -> [String] {
        try git(["log", "--format=%s", revision]).split(separator: "\n").map(String.init)
    }

    @Test func rebaseLandsEachChangeOnTheNewTipKeepingChangeIDs() throws {
        let session = try forge.plue.sessions.new(repository: "alice/demo", title: "agent work", as: .operator)
        try write(session, "a.txt", "ONE\ntwo\nthree\n")
        _ = try forge.plue.sessions.commit(session.id, message: "capitalise one", as: .operator)
        try write(session, "c.txt", "sea\n")
        _ = try forge.plue.sessions.commit(session.id, message: "add c", as: .operator)
        let changes = try forge.plue.sessions.changes(session.id, as: .operator)
        let moved = try push("main", ["b.txt": "bee, moved\n"], message: "main moved")

        let entry = try landing.enqueue("alice/demo", source: .session(session.id), as: .operator)
        #expect(entry.state == .queued && entry.position == 1 && entry.target == "main" && entry.strategy == .rebase)
        #expect(entry.headCommit == changes[1].commit, "the empty working copy on top is not landed")
        let finished = try runQueue()
        #expect(finished.map(\.state) == [.landed])

        let main = try git(["rev-parse", "main"])
        #expect(try subjects() == ["add c", "capitalise one", "main moved", "initial commit"])
        #expect(try git(["rev-parse", "main~2"]) == moved)
        #expect(try git(["show", "main:a.txt"]) == "ONE\ntwo\nthree")
        #expect(try git(["show", "main:b.txt"]) == "bee, moved")
        #expect(try git(["show", "main:c.txt"]) == "sea")
        #expect(try git(["cat-file", "commit", "main"]).contains("change-id \(changes[1].changeID)\n"))
        #expect(try git(["cat-file", "commit", "main~1"]).contains("change-id \(changes[2].changeID)\n"))
        #expect(try git(["log", "-1", "--format=%an <%ae>|%cn", "main"]) == "alice <alice@example.com>|alice")
        #expect(try git(["rev-parse", "refs/plue/land/\(entry.id)"]) == main)

        let landed = try landing.show(entry.id, as: .operator)
        #expect(landed.state == .landed && landed.result == main && landed.builtOn == moved && landed.position == nil)
        #expect(landed.finishedAt != nil && landed.attempts == 1)
        let event = try #require(try forge.plue.pushes.events("alice/demo", as: .operator).first)
        #expect(event.ref == "refs/heads/main" && event.oldCommit == moved && event.newCommit == main && event.pusher == "alice")
        #expect(try forge.plue.sessions.show(session.id, as: .operator).status == .landed)
        #expect(try forge.plue.sessions.changes(session.id, as: .operator).map(\.changeID) == changes.map(\.changeID), "the session keeps its history")
        #expect(plueError { _ = try forge.plue.sessions.snapshot(session.id, as: .operator) }?.code == .failed)
    }

    @Test func rebaseFastForwardsWhenTheTargetHasNotMoved() throws {
        let feature = try push("feature", ["c.txt": "sea\n"], message: "add c")
        _ = try landing.enqueue("alice/demo", source: .branch("feature"), as: .operator)
        #expect(try runQueue().map(\.state) == [.landed])
        #expect(try git(["rev-parse", "main"]) == feature, "the commits that were checked are the commits that land")
    }

    @Test func mergeWritesAMergeCommitOfTipAndSource() throws {
        let feature = try push("feature", ["c.txt": "sea\n"], message: "add c")
        try push("feature", ["a.txt": "one\ntwo\nTHREE\n"], message: "capitalise three")
        let head = try git(["rev-parse", "feature"])
        let tip = try push("main", ["b.txt": "bee, moved\n"], message: "main moved")
        _ = try landing.enqueue("alice/demo", source: .branch("feature"), strategy: .merge, message: "Merge the feature", as: .operator)
        #expect(try runQueue().map(\.state) == [.landed])
        #expect(try git(["rev-list", "--parents", "-n", "1", "main"]).split(separator: " ").dropFirst().map(String.init) == [tip, head])
        #expect(try git(["log", "-1", "--format=%B", "main"]) == "Merge the feature")
        let expected = try git(["merge-tree", "--write-tree", tip, head])
        #expect(try git(["rev-parse", "main^{tree}"]) == expected)
        #expect(try git(["merge-base", "--is-ancestor", feature, "main"]).isEmpty)
    }

    @Test func squashWritesOneCommitWithEveryChange() throws {
        try push("feature", ["c.txt": "sea\n"], message: "add c")
        let head = try push("feature", ["a.txt": nil], message: "remove a")
        let tip = try push("main", ["b.txt": "bee, moved\n"], message: "main moved")
        _ = try landing.enqueue("alice/demo", source: .branch("feature"), strategy: .squash, as: .operator)
        #expect(try runQueue().map(\.state) == [.landed])
        #expect(try git(["rev-list", "--parents", "-n", "1", "main"]).split(separator: " ").dropFirst().map(String.init) == [tip])
        #expect(try git(["rev-parse", "main^{tree}"]) == (try git(["merge-tree", "--write-tree", tip, head])))
        #expect(try git(["log", "-1", "--format=%B", "main"]) == "Squash branch 'feature'\n\n* add c\n* remove a")
        #expect(try git(["ls-tree", "--name-only", "main"]) == "b.txt\nc.txt")
    }

    @Test func aConflictMovesNothingAndTheQueueGoesOn() throws {
        try push("clash", ["a.txt": "uno\ntwo\nthree\n"], message: "one in Italian")
        try push("fine", ["d.txt": "dee\n"], message: "add d")
        let tip = try push("main", ["a.txt": "eins\ntwo\nthree\n"], message: "one in German")
        let clash = try landing.enqueue("alice/demo", source: .branch("clash"), as: .operator)
        let fine = try landing.enqueue("alice/demo", source: .branch("fine"), as: .operator)
        #expect(fine.position == 2)

        let finished = try runQueue()
        #expect(finished.map(\.id) == [clash.id, fine.id])
        #expect(finished[0].state == .conflicted && finished[0].conflicts == [LandEntry.Conflict(path: "a.txt", kind: "content")])
        #expect(finished[0].reason.contains("does not apply on main"))
        #expect(finished[1].state == .landed)
        #expect(try git(["rev-parse", "main~1"]) == tip)
        #expect(try subjects() == ["add d", "one in German", "initial commit"])
        #expect(try git(["show", "main:a.txt"]) == "eins\ntwo\nthree")
        #expect(try landing.list("alice/demo", as: .operator).isEmpty)
        #expect(try landing.list("alice/demo", all: true, as: .operator).map(\.state) == [.conflicted, .landed])
    }

    @Test func checkAgreesWithGitMergeTreeAndWritesNothing() throws {
        try push("clean", ["c.txt": "sea\n"], message: "add c")
        try push("clash", ["a.txt": "uno\ntwo\nthree\n", "b.txt": nil, "new.txt": "theirs\n"], message: "many changes")
        try push("main", ["a.txt": "eins\ntwo\nthree\n", "b.txt": "bee, edited\n", "new.txt": "ours\n"], message: "main moved")
        let refsBefore = try git(["for-each-ref"])
        for branch in ["clean", "clash"] {
            let check = try landing.check("alice/demo", source: .branch(branch), as: .operator)
            let merged = try Command.run("/usr/bin/git", ["-C", repository.path, "merge-tree", "--write-tree", "--name-only", "main", branch],
                                         environment: Command.environment())
            let lines = merged.text.split(separator: "\n", omittingEmptySubsequences: false)
            let paths = Set(lines.dropFirst().prefix { !$0.isEmpty }.map(String.init))
            #expect(check.clean == (merged.status == 0))
            #expect(Set(check.conflicts.map(\.path)) == paths)
            let main = try git(["rev-parse", "main"]), head = try git(["rev-parse", branch])
            #expect(check.targetCommit == main && check.sourceCommit == head)
        }
        let clash = try landing.check("alice/demo", source: .branch("clash"), as: .operator)
        #expect(clash.conflicts == [LandEntry.Conflict(path: "a.txt", kind: "content"), LandEntry.Conflict(path: "b.txt", kind: "modify/delete"),
                                    LandEntry.Conflict(path: "new.txt", kind: "add/add")])
        #expect(try git(["for-each-ref"]) == refsBefore)
        #expect(try landing.list("alice/demo", all: true, as: .operator).isEmpty)
    }

    @Test func aPushInTheMiddleIsKeptAndTheLandRebuiltOnIt() throws {
        let session = try forge.plue.sessions.new(repository: "alice/demo", as: .operator)
        try write(session, "c.txt", "sea\n")
        _ = try forge.plue.sessions.commit(session.id, message: "add c", as: .operator)
        let entry = try landing.enqueue("alice/demo", source: .session(session.id), as: .operator)
        let flag = forge.directory.child("pushed")
        let work = self.work, path = repository.path
        let finished = try runQueue(pauses: LandRunPauses(beforeTargetUpdate: { _ in
            guard !FileManager.default.fileExists(atPath: flag) else { return }
            _ = FileManager.default.createFile(atPath: flag, contents: nil)
            try "bee, pushed meanwhile\n".write(toFile: work + "/b.txt", atomically: true, encoding: .utf8)
            try Command.git(["commit", "-q", "-am", "pushed meanwhile"], in: work)
            try Command.git(["push", "-q", path, "main"], in: work)
        }))
        let pushed = try Command.git(["rev-parse", "HEAD"], in: work)
        #expect(finished.map(\.state) == [.landed])
        #expect(try subjects() == ["add c", "pushed meanwhile", "initial commit"])
        #expect(try git(["rev-parse", "main~1"]) == pushed)
        let landed = try landing.show(entry.id, as: .operator)
        let main = try git(["rev-parse", "main"])
        #expect(landed.builtOn == pushed && landed.result == main)
        let events = try forge.plue.pushes.events("alice/demo", as: .operator)
        #expect(events[0].oldCommit == pushed && events[0].pusher == "alice")
        #expect(events[1].newCommit == pushed && events[1].pusher == nil)
    }

    @Test func aConflictingPushInTheMiddleWins() throws {
        try push("feature", ["a.txt": "uno\ntwo\nthree\n"], message: "one in Italian")
        _ = try landing.enqueue("alice/demo", source: .branch("feature"), as: .operator)
        let work = self.work, path = repository.path
        let finished = try runQueue(pauses: LandRunPauses(beforeTargetUpdate: { _ in
            try Command.git(["checkout", "-q", "main"], in: work)
            try "eins\ntwo\nthree\n".write(toFile: work + "/a.txt", atomically: true, encoding: .utf8)
            try Command.git(["commit", "-q", "-am", "one in German"], in: work)
            try Command.git(["push", "-q", path, "main"], in: work)
        }))
        #expect(finished.map(\.state) == [.conflicted])
        #expect(try git(["rev-parse", "main"]) == (try Command.git(["rev-parse", "HEAD"], in: work)))
        #expect(try forge.plue.pushes.events("alice/demo", as: .operator).allSatisfy { $0.pusher == nil }, "no land was recorded")
    }

    @Test func aSourceThatMovedAfterItWasQueuedIsStale() throws {
        try push("feature", ["c.txt": "sea\n"], message: "add c")
        let branchEntry = try landing.enqueue("alice/demo", source: .branch("feature"), as: .operator)
        try push("feature", ["c.txt": "sea, again\n"], message: "edit c")
        let session = try forge.plue.sessions.new(repository: "alice/demo", as: .operator)
        try write(session, "d.txt", "dee\n")
        let sessionEntry = try landing.enqueue("alice/demo", source: .session(session.id), as: .operator)
        try write(session, "d.txt", "dee, edited\n")
        _ = try forge.plue.sessions.snapshot(session.id, as: .operator)
        let main = try git(["rev-parse", "main"])

        let finished = try runQueue()
        #expect(finished.map(\.id) == [branchEntry.id, sessionEntry.id])
        #expect(finished.allSatisfy { $0.state == .stale && $0.reason.contains("after it was queued") })
        #expect(try git(["rev-parse", "main"]) == main)
        #expect(try forge.plue.sessions.show(session.id, as: .operator).status == .active)
    }

    @Test func aSourceAlreadyOnTheTargetLandsWithoutMovingIt() throws {
        let feature = try push("feature", ["c.txt": "sea\n"], message: "add c")
        let entry = try landing.enqueue("alice/demo", source: .branch("feature"), as: .operator)
        try Command.git(["push", "-q", repository.path, "feature:main"], in: work)
        let eventsBefore = try forge.plue.pushes.events("alice/demo", as: .operator).count
        #expect(try runQueue().map(\.state) == [.landed])
        #expect(try landing.show(entry.id, as: .operator).reason.contains("nothing moved"))
        #expect(try git(["rev-parse", "main"]) == feature)
        #expect(try forge.plue.pushes.events("alice/demo", as: .operator).count == eventsBefore)
    }

    @Test func hostileInputGetsAClearErrorAndChangesNothing() throws {
        try push("feature", ["c.txt": "sea\n"], message: "add c")
        _ = try forge.plue.repositories.create("alice/other", as: .operator)
        try Command.git(["push", "-q", forge.plue.repositories.find("alice/other", as: .operator).path, "main"], in: work)
        let foreign = try forge.plue.sessions.new(repository: "alice/other", as: .operator)
        try write(foreign, "x.txt", "x\n")
        let queued = try landing.enqueue("alice/demo", source: .branch("feature"), as: .operator)
        let refsBefore = try git(["for-each-ref"])

        let cases: [(PlueError.Code, () throws -> Void)] = [
            (.notFound, { _ = try landing.enqueue("alice/demo", source: .session("0123456789abcdef"), as: .operator) }),
            (.invalidInput, { _ = try landing.enqueue("alice/demo", source: .session("../../etc/passwd"), as: .operator) }),
            (.invalidInput, { _ = try landing.enqueue("alice/demo", source: .session(foreign.id), as: .operator) }),
            (.invalidInput, { _ = try landing.check("alice/demo", source: .session(foreign.id), as: .operator) }),
            (.notFound, { _ = try landing.enqueue("alice/demo", source: .branch("nope"), as: .operator) }),
            (.invalidInput, { _ = try landing.enqueue("alice/demo", source: .branch("../feature"), as: .operator) }),
            (.invalidInput, { _ = try landing.enqueue("alice/demo", source: .branch("-feature"), as: .operator) }),
            (.invalidInput, { _ = try landing.enqueue("alice/demo", source: .branch("feat\nure"), as: .operator) }),
            (.invalidInput, { _ = try landing.check("alice/demo", source: .branch("fe\0ature"), as: .operator) }),
            (.notFound, { _ = try landing.enqueue("alice/demo", source: .branch("feature"), onto: "nope", as: .operator) }),
            (.notFound, { _ = try landing.check("alice/demo", source: .branch("feature"), onto: "nope", as: .operator) }),
            (.invalidInput, { _ = try landing.enqueue("alice/demo", source: .branch("main"), as: .operator) }),
            (.notFound, { _ = try landing.enqueue("alice/nope", source: .branch("feature"), as: .operator) }),
            (.invalidInput, { _ = try landing.enqueue("alice/demo", source: .branch("feature"), message: "bad\0message", as: .operator) }),
            (.invalidInput, { _ = try landing.enqueue("alice/demo", source: .branch("feature"), message: String(repeating: "m", count: 70_000), as: .operator) }),
            // An unknown requester: the door finds no such account to act as.
            (.notFound, { _ = try forge.plue.users.show("mallory", as: .operator) }),
            (.alreadyExists, { _ = try landing.enqueue("alice/demo", source: .branch("feature"), as: .operator) }),
            (.notFound, { _ = try landing.show(999, as: .operator) }),
            (.notFound, { _ = try landing.cancel(-1, as: .operator) }),
        ]
        for (index, (code, body)) in cases.enumerated() {
            #expect(plueError(body)?.code == code, "case \(index)")
        }
        let own = try forge.plue.sessions.new(repository: "alice/demo", as: .operator)
        try write(own, "unsaved.txt", "not snapshotted yet\n")
        #expect(plueError { _ = try landing.enqueue("alice/demo", source: .session(own.id), onto: "nope", as: .operator) }?.code == .notFound)
        #expect(try forge.plue.sessions.operations(own.id, as: .operator).count == 1, "a refused enqueue does not snapshot the session")
        _ = try push("merged", ["c.txt": "sea\n"], message: "add c")
        try Command.git(["push", "-q", repository.path, "merged:main"], in: work)
        #expect(plueError { _ = try landing.enqueue("alice/demo", source: .branch("merged"), as: .operator) }?.code == .failed, "nothing to land")

        #expect(try landing.list("alice/demo", all: true, as: .operator).map(\.id) == [queued.id])
        _ = try landing.cancel(queued.id, as: .operator)
        #expect(plueError { _ = try landing.cancel(queued.id, as: .operator) }?.code == .failed, "a cancelled entry cannot be cancelled again")
        #expect(try runQueue().isEmpty)
        #expect(try landing.show(queued.id, as: .operator).state == .cancelled)
        #expect(try git(["for-each-ref", "refs/plue/land"]).isEmpty && !refsBefore.contains("refs/plue/land"))
    }

    @Test func aLandedEntryCannotBeCancelled() throws {
        try push("feature", ["c.txt": "sea\n"], message: "add c")
        let entry = try landing.enqueue("alice/demo", source: .branch("feature"), as: alice)
        #expect(try runQueue().map(\.state) == [.landed])
        let main = try git(["rev-parse", "main"])
        let error = plueError { _ = try landing.cancel(entry.id, as: .operator) }
        #expect(error?.code == .failed && error?.message.contains("landed") == true)
        #expect(try landing.show(entry.id, as: .operator).state == .landed && (try git(["rev-parse", "main"])) == main)
        #expect(try forge.plue.pushes.events("alice/demo", as: .operator).first?.pusher == "alice", "a branch lands as whoever queued it")
    }

    /// A session's entry carries its id, head commit and conflicts: it is seen by whoever may see the
    /// session (its owner, the repository's admins), not by every reader of the repository.
    @Test func aSessionsEntryIsSeenOnlyByThoseWhoSeeTheSession() throws {
        _ = try forge.plue.users.create(name: "bob", email: "bob@example.com", admin: false, as: .operator)
        _ = try forge.plue.users.create(name: "carol", email: "carol@example.com", admin: false, as: .operator)
        _ = try forge.plue.access.addCollaborator(repository: "alice/demo", user: "bob", permission: .write, as: .operator)
        let session = try forge.plue.sessions.new(repository: "alice/demo", as: alice)
        try write(session, "s.txt", "session\n")
        let entry = try landing.enqueue("alice/demo", source: .session(session.id), as: alice)
        try push("feature", ["c.txt": "sea\n"], message: "add c")
        let branchEntry = try landing.enqueue("alice/demo", source: .branch("feature"), as: alice)
        for name in ["bob", "carol"] {
            let principal = Principal.user(try forge.plue.users.show(name, as: .operator))
            #expect(try landing.list("alice/demo", as: principal).map(\.id) == [branchEntry.id], "\(name)")
            let hidden = plueError { _ = try landing.show(entry.id, as: principal) }
            let missing = plueError { _ = try landing.show(9999, as: principal) }
            #expect(hidden?.code == .notFound && hidden?.message == missing?.message.replacingOccurrences(of: "9999", with: String(entry.id)))
            #expect(plueError { _ = try landing.cancel(entry.id, as: principal) }?.code == .notFound)
        }
        #expect(try landing.list("alice/demo", as: alice).map(\.id) == [entry.id, branchEntry.id])
        #expect(try landing.list("alice/demo", as: .operator).count == 2 && (try landing.show(entry.id, as: alice)).id == entry.id)
    }

    /// A runner killed while writing an entry's ref leaves `refs/plue/land/ID.lock` behind; the next
    /// runner, alone under the queue lock, clears it instead of failing on it forever.
    @Test func aLockFileLeftByAKilledRunnerDoesNotBlockTheQueue() throws {
        try push("feature", ["c.txt": "sea\n"], message: "add c")
        let entry = try landing.enqueue("alice/demo", source: .branch("feature"), as: alice)
        let stale = repository.path + "/" + entry.ref + ".lock"
        try FileManager.default.createDirectory(atPath: (stale as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "0000000000000000000000000000000000000000\n".write(toFile: stale, atomically: false, encoding: .utf8)

        #expect(try runQueue().map(\.state) == [.landed])
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(try git(["rev-parse", entry.ref]) == (try git(["rev-parse", "main"])))
        #expect(try git(["show", "main:c.txt"]) == "sea")
    }

    /// A lock on the target branch itself is never removed (a push may hold it): the entry fails
    /// saying which file to check, nothing moves, and once the lock is gone the land goes through.
    @Test func aLockedTargetFailsTheEntryNamingTheLockFile() throws {
        try push("feature", ["c.txt": "sea\n"], message: "add c")
        let main = try git(["rev-parse", "main"])
        let lock = repository.path + "/refs/heads/main.lock"
        try "\(main)\n".write(toFile: lock, atomically: false, encoding: .utf8)
        _ = try landing.enqueue("alice/demo", source: .branch("feature"), as: alice)
        let failed = try runQueue()
        #expect(failed.map(\.state) == [.failed])
        #expect(failed.first?.reason.contains("refs/heads/main.lock") == true)
        #expect(try git(["rev-parse", "main"]) == main)
        #expect(FileManager.default.fileExists(atPath: lock))

        try FileManager.default.removeItem(atPath: lock)
        _ = try landing.enqueue("alice/demo", source: .branch("feature"), as: alice)
        #expect(try runQueue().map(\.state) == [.landed])
        #expect(try git(["show", "main:c.txt"]) == "sea")
    }

    /// A session whose work reached the target another way (here: the same change pushed to main)
    /// lands without moving anything, and is marked landed like any other.
    @Test func aSessionAlreadyOnTheTargetIsMarkedLanded() throws {
        let session = try forge.plue.sessions.new(repository: "alice/demo", title: "agent work", as: .operator)
        try write(session, "c.txt", "sea\n")
        _ = try forge.plue.sessions.commit(session.id, message: "add c", as: .operator)
        _ = try landing.enqueue("alice/demo", source: .session(session.id), as: .operator)
        try push("main", ["c.txt": "sea\n"], message: "add c by hand")
        let main = try git(["rev-parse", "main"])
        let finished = try runQueue()
        #expect(finished.map(\.state) == [.landed])
        #expect(finished.first?.reason.contains("nothing moved") == true)
        #expect(try git(["rev-parse", "main"]) == main)
        #expect(try forge.plue.sessions.show(session.id, as: .operator).status == .landed)
    }

    /// A session busy with another command puts its entry back in the queue without counting an
    /// attempt (attempts count runners that died); once the session is free it lands.
    @Test func aBusySessionWaitsInTheQueueWithoutUsingUpAttempts() throws {
        let session = try forge.plue.sessions.new(repository: "alice/demo", title: "agent work", as: .operator)
        try write(session, "c.txt", "sea\n")
        _ = try forge.plue.sessions.commit(session.id, message: "add c", as: .operator)
        let entry = try landing.enqueue("alice/demo", source: .session(session.id), as: .operator)
        let lockPath = forge.home.sessionsPath + "/" + session.id + "/lock"
        let held = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        #expect(held >= 0 && flock(held, LOCK_EX) == 0)
        for _ in 0..<2 {
            let error = plueError { _ = try runQueue() }
            #expect(error?.code == .unavailable)
            let waiting = try landing.show(entry.id, as: .operator)
            #expect(waiting.state == .queued && waiting.attempts == 0 && waiting.reason.hasPrefix("waiting: "))
        }
        close(held)
        #expect(try runQueue().map(\.state) == [.landed])
        #expect(try landing.show(entry.id, as: .operator).attempts == 1)
        #expect(try forge.plue.sessions.show(session.id, as: .operator).status == .landed)
    }
}
