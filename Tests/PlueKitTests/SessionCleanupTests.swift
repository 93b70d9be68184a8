import Foundation
import PlueKit
import PlueTestSupport
import Testing

/// `session delete`, `session gc` and what `list`, `show` and `messages` report, on real
/// repositories checked with the git CLI.
@Suite struct SessionCleanupTests {
    let forge: Forge
    let repository: Repository
    let session: Session

    init() throws {
        forge = try Forge(user: "alice")
        repository = try forge.plue.repositories.create("alice/demo", as: .operator)
        let seed = try forge.workTree(files: ["a.txt": "a\n"])
        try Command.git(["push", "-q", repository.path, "main"], in: seed)
        session = try forge.plue.sessions.new(repository: "alice/demo", as: .operator)
    }

    var sessions: SessionService { forge.plue.sessions }

    func refs() throws -> [String] {
        try Command.git(["-C", repository.path, "for-each-ref", "--format=%(refname)", "refs/plue/"])
            .split(separator: "\n").map(String.init)
    }

    func write(_ text: String, _ name: String, in session: Session) throws {
        try text.write(toFile: session.workdir + "/" + name, atomically: true, encoding: .utf8)
    }

    @Test func deleteRemovesTheDirectoryRefsAndRowsButKeepsWhatAForkShares() throws {
        try write("one\n", "one.txt", in: session)
        _ = try sessions.commit(session.id, message: "one", as: .operator)
        let shared = try sessions.show(session.id, as: .operator).workingCopy
        let fork = try sessions.fork(session.id, as: .operator)
        try write("two\n", "two.txt", in: session)
        _ = try sessions.commit(session.id, message: "two", as: .operator)
        let onlyMine = try sessions.show(session.id, as: .operator).workingCopy
        let before = try refs()
        #expect(before.contains("refs/plue/keep/\(onlyMine)") && before.contains("refs/plue/sessions/\(session.id)"))

        #expect(plueError { _ = try sessions.delete(session.id, confirmed: false, as: .operator) }?.code == .usage)
        #expect(FileManager.default.fileExists(atPath: session.workdir), "nothing removed without confirmation")
        let operations = try sessions.operations(session.id, as: .operator).count
        let deletion = try sessions.delete(session.id, confirmed: true, as: .operator)
        #expect(deletion.operationsRemoved == operations && deletion.bytesFreed > 0)

        let after = try refs()
        #expect(!after.contains { $0.hasSuffix(session.id) || $0 == "refs/plue/keep/\(onlyMine)" })
        #expect(after.contains("refs/plue/keep/\(shared)"), "the fork's history stays: \(after)")
        #expect(Set(before).subtracting(after) == Set(deletion.refsRemoved))
        #expect(!FileManager.default.fileExists(atPath: forge.home.sessionsPath + "/" + session.id))
        _ = try Command.git(["-C", repository.path, "fsck", "--no-progress"])
        #expect(plueError { _ = try sessions.show(session.id, as: .operator) }?.code == .notFound)
        #expect(plueError { _ = try sessions.operations(session.id, as: .operator) }?.code == .notFound)
        #expect(try sessions.list(all: true, as: .operator).map(\.id) == [fork.id])
        // The fork works on as before.
        #expect(try sessions.diff(fork.id, format: .nameOnly, as: .operator) == "one.txt\n")
        try write("three\n", "three.txt", in: fork)
        _ = try sessions.commit(fork.id, message: "three", as: .operator)

        // Deleting twice, and ids that are not ids.
        #expect(plueError { _ = try sessions.delete(session.id, confirmed: true, as: .operator) }?.code == .notFound)
        for bad in ["../x", "../../etc/passwd", "", "-rf", String(repeating: "a", count: 17), "ABCDEF0123456789"] {
            #expect(plueError { _ = try sessions.delete(bad, confirmed: true, as: .operator) }?.code == .invalidInput, "\(bad)")
        }
        #expect(FileManager.default.fileExists(atPath: forge.home.sessionsPath))
    }

    @Test func landedCommitsStayOnTheirBranchAndTheLandEntryStaysReadable() throws {
        try write("landed\n", "landed.txt", in: session)
        _ = try sessions.commit(session.id, message: "land me", as: .operator)
        let entry = try forge.plue.landing.enqueue("alice/demo", source: .session(session.id), as: .operator)
        try forge.plue.landing.run("alice/demo", once: true, as: .operator) { _ in }
        let main = try Command.git(["-C", repository.path, "rev-parse", "main"])
        _ = try sessions.delete(session.id, confirmed: true, as: .operator)
        #expect(try Command.git(["-C", repository.path, "rev-parse", "main"]) == main)
        #expect(try Command.git(["-C", repository.path, "show", "main:landed.txt"]) == "landed")
        let shown = try forge.plue.landing.show(entry.id, as: .operator)
        #expect(shown.state == .landed)
        #expect(!(try refs()).contains { $0.hasPrefix("refs/plue/keep/") || $0.hasPrefix("refs/plue/sessions/") })
        _ = try Command.git(["-C", repository.path, "fsck", "--no-progress"])
    }

    @Test func aRunningTurnIsRefusedUnlessForced() throws {
        let finished = DispatchSemaphore(value: 0)
        let id = session.id, plue = forge.plue
        Thread.detachNewThread {
            _ = try? plue.sessions.turn(id, prompt: "wait", command: ["sleep", "3"], as: .operator)
            finished.signal()
        }
        var running = false
        for _ in 0..<200 where !running {
            running = (try? sessions.conversation(id, as: .operator).last?.state) == .running
            if !running { usleep(20_000) }
        }
        #expect(running)
        let conversation = try sessions.conversation(id, as: .operator)
        #expect(conversation.count == 1 && conversation[0].prompt == "wait", "the running turn is shown at the end")
        #expect(try sessions.messages(id, as: .operator).isEmpty, "no view shows it yet")
        #expect(plueError { _ = try sessions.delete(id, confirmed: true, as: .operator) }?.code == .unavailable)
        #expect(FileManager.default.fileExists(atPath: session.workdir))
        finished.wait()
        #expect(try sessions.conversation(id, as: .operator).map(\.state) == [.done])
        _ = try sessions.delete(id, confirmed: true, as: .operator)
    }

    @Test func gcRemovesOnlyIdleFinishedWorkingDirectoriesAndForkStillWorks() throws {
        try write("kept\n", "kept.txt", in: session)
        _ = try sessions.commit(session.id, message: "kept", as: .operator)
        _ = try sessions.abort(session.id, as: .operator)
        let operations = try sessions.operations(session.id, as: .operator)
        let active = try sessions.new(repository: "alice/demo", as: .operator)
        let later = Date().addingTimeInterval(15 * 86_400)

        #expect(try sessions.collectGarbage(olderThan: 14, as: .operator).removed.isEmpty, "not idle long enough")
        let collection = try sessions.collectGarbage(olderThan: 14, now: later, as: .operator)
        #expect(collection.removed.map(\.id) == [session.id] && collection.left.isEmpty && collection.bytesFreed > 0)
        let directory = forge.home.sessionsPath + "/" + session.id
        #expect(!FileManager.default.fileExists(atPath: directory + "/work") && !FileManager.default.fileExists(atPath: directory + "/index"))
        #expect(FileManager.default.fileExists(atPath: active.workdir))
        #expect(try sessions.collectGarbage(olderThan: 14, now: later, as: .operator).removed.isEmpty, "collected once")

        // History stays: reading and forking go on working.
        #expect(try sessions.operations(session.id, as: .operator) == operations)
        #expect(try sessions.diff(session.id, format: .nameOnly, as: .operator) == "kept.txt\n")
        #expect(try sessions.files(session.id, as: .operator).map(\.path) == ["a.txt", "kept.txt"])
        let fork = try sessions.fork(session.id, as: .operator)
        #expect(try String(contentsOfFile: fork.workdir + "/kept.txt", encoding: .utf8) == "kept\n")
        #expect(try sessions.measured([sessions.show(session.id, as: .operator)])[0].sizeOnDisk == 0)
        _ = try Command.git(["-C", repository.path, "fsck", "--no-progress"])

        #expect(plueError { _ = try sessions.collectGarbage(olderThan: -1, as: .operator) }?.code == .invalidInput)
        #expect(plueError { _ = try sessions.collectGarbage(repository: "alice/nope", as: .operator) }?.code == .notFound)
    }

    @Test func gcLeavesUnrecordedFilesAndBusySessionsAndSaysWhy() throws {
        let other = try sessions.new(repository: "alice/demo", as: .operator)
        _ = try sessions.abort(session.id, as: .operator)
        _ = try sessions.abort(other.id, as: .operator)
        try write("written after the last operation\n", "late.txt", in: session)
        let later = Date().addingTimeInterval(15 * 86_400)
        // Another command holds the other session: the same lock file, held by a child process.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = [forge.home.sessionsPath + "/" + other.id + "/lock", "sleep", "5"]
        try holder.run()
        defer { holder.terminate(); holder.waitUntilExit() }
        usleep(300_000)

        let collection = try sessions.collectGarbage(olderThan: 14, now: later, as: .operator)
        #expect(collection.removed.isEmpty)
        let reasons = Dictionary(uniqueKeysWithValues: collection.left.map { ($0.id, $0.reason) })
        #expect(reasons[session.id]?.contains("--force") == true)
        #expect(reasons[other.id]?.contains("another plue command") == true)
        #expect(FileManager.default.fileExists(atPath: session.workdir + "/late.txt"))
        #expect(FileManager.default.fileExists(atPath: other.workdir))

        let forced = try sessions.collectGarbage(olderThan: 14, force: true, now: later, as: .operator)
        #expect(forced.removed.map(\.id) == [session.id])
        #expect(!FileManager.default.fileExists(atPath: session.workdir))
    }

    /// A chmod after the last operation is unrecorded work too: gc keeps the session.
    @Test func gcLeavesASessionWhosePermissionBitsChanged() throws {
        try write("secret\n", "key", in: session)
        _ = try sessions.snapshot(session.id, as: .operator)
        _ = try sessions.abort(session.id, as: .operator)
        chmod(session.workdir + "/key", 0o600)
        let later = Date().addingTimeInterval(15 * 86_400)
        let collection = try sessions.collectGarbage(olderThan: 14, now: later, as: .operator)
        #expect(collection.removed.isEmpty)
        #expect(collection.left.first { $0.id == session.id }?.reason.contains("--force") == true)
        #expect(FileManager.default.fileExists(atPath: session.workdir + "/key"))
    }

    @Test func measuredSessionsGiveSizeLastActivityAndTurns() throws {
        _ = try sessions.turn(session.id, prompt: "hello", as: .operator)
        let bytes = Data(repeating: 7, count: 10_000)
        try bytes.write(to: URL(fileURLWithPath: session.workdir + "/ten-k.bin"))
        // A link to a big file outside is not followed.
        symlink("/usr/bin/git", session.workdir + "/outside")
        let measured = try sessions.measured([sessions.show(session.id, as: .operator)])[0]
        #expect(measured.turnCount == 1)
        #expect(measured.lastActivity == (try sessions.operations(session.id, as: .operator).first?.time))
        let du = try Command.run("/usr/bin/du", ["-sb", forge.home.sessionsPath + "/" + session.id])
        let apparent = Int64(du.text.split(separator: "\t").first ?? "") ?? 0
        #expect(measured.sizeOnDisk! >= 10_000 && measured.sizeOnDisk! < apparent, "files only: \(measured.sizeOnDisk!) vs du \(apparent)")
        let json = measured.json.rendered()
        #expect(json.contains("\"sizeOnDisk\"") && json.contains("\"lastActivity\"") && json.contains("\"turnCount\": 1"))
        #expect(try sessions.measured(sessions.list(as: .operator)).map(\.turnCount) == [1])
    }
}
