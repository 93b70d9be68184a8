import Foundation
import PlueKit
import PlueTestSupport
import Testing

@Suite struct SessionTurnTests {
    let forge: Forge
    let session: Session

    init() throws {
        forge = try Forge(user: "alice")
        let repository = try forge.plue.repositories.create("alice/demo", as: .operator)
        let work = try forge.workTree(files: ["a.txt": "a\n"])
        try Command.git(["push", "-q", repository.path, "main"], in: work)
        session = try forge.plue.sessions.new(repository: "alice/demo", as: .operator)
    }

    func read(_ path: String) -> String? { try? String(contentsOfFile: session.workdir + "/" + path, encoding: .utf8) }

    @Test func turnsRecordRepliesFilesAndTheirOrder() throws {
        let sessions = forge.plue.sessions
        let first = try sessions.turn(session.id, prompt: "make a file", command: ["sh", "-c", "echo one > one.txt; echo wrote one"], as: .operator)
        #expect(first.turn.number == 1 && first.turn.state == .done && first.turn.exitStatus == 0 && first.turn.reply == "wrote one\n")
        #expect(try sessions.cat(session.id, path: "one.txt", at: first.operation.workingCopy, as: .operator) == Array("one\n".utf8))
        let second = try sessions.turn(session.id, prompt: "fail", command: ["sh", "-c", "echo two > two.txt; echo oops >&2; exit 3"], as: .operator)
        #expect(second.turn.state == .failed && second.turn.exitStatus == 3 && second.turn.reply == "oops\n")
        let note = try sessions.turn(session.id, prompt: "just a note", as: .operator)
        #expect(note.turn.command == nil && note.turn.state == .done)
        let missing = try sessions.turn(session.id, prompt: "no such agent", command: ["plue-no-such-agent-\(UUID().uuidString)"], as: .operator)
        #expect(missing.turn.state == .failed && missing.turn.exitStatus == 127)
        #expect(try sessions.messages(session.id, as: .operator).map(\.prompt) == ["make a file", "fail", "just a note", "no such agent"])

        // Revert to turn 1: files and messages as they were then; unrevert takes it back.
        _ = try sessions.revert(session.id, toTurn: 1, as: .operator)
        #expect(read("one.txt") == "one\n" && read("two.txt") == nil)
        #expect(try sessions.messages(session.id, as: .operator).map(\.number) == [1])
        _ = try sessions.unrevert(session.id, as: .operator)
        #expect(read("two.txt") == "two\n")
        #expect(try sessions.messages(session.id, as: .operator).map(\.number) == [1, 2, 3, 4])

        // Undo the last three turns in one operation; a plain undo brings them back.
        _ = try sessions.undoTurns(session.id, count: 3, as: .operator)
        #expect(read("one.txt") == "one\n" && read("two.txt") == nil)
        #expect(try sessions.messages(session.id, as: .operator).map(\.number) == [1])
        _ = try sessions.undo(session.id, as: .operator)
        #expect(read("two.txt") == "two\n")
        #expect(try sessions.messages(session.id, as: .operator).map(\.number) == [1, 2, 3, 4])

        #expect(plueError { _ = try sessions.undoTurns(session.id, count: 5, as: .operator) }?.code == .invalidInput)
        #expect(plueError { _ = try sessions.revert(session.id, toTurn: 99, as: .operator) }?.code == .notFound)
        #expect(plueError { _ = try sessions.turn(session.id, prompt: "x", command: [], as: .operator) }?.code == .invalidInput)
        #expect(plueError { _ = try sessions.turn(session.id, prompt: "x", command: ["true"], timeout: -1, as: .operator) }?.code == .invalidInput)
    }

    @Test func aTimeoutStopsTheWholeProcessGroup() throws {
        let marker = forge.directory.child("grandchild-ran")
        let started = Date()
        let result = try forge.plue.sessions.turn(
            session.id, prompt: "hang", command: ["sh", "-c", "(sleep 3; touch \(marker)) & echo started; sleep 30"], timeout: 0.5, as: .operator)
        #expect(result.turn.state == .timeout && result.turn.reply == "started\n")
        #expect(Date().timeIntervalSince(started) < 10)
        Thread.sleep(forTimeInterval: 3.5)
        #expect(!FileManager.default.fileExists(atPath: marker), "the background child was stopped with its group")
    }

    @Test func abortStopsARunningTurnAndKeepsWhatItWrote() throws {
        let sessions = forge.plue.sessions
        let id = session.id
        // The agent runs on a thread of its own: a task would wait for a free thread of the shared
        // pool, which the other tests' blocking work can hold for a long time.
        let outcome = TurnOutcome()
        let agent = Thread {
            outcome.set(Result { try sessions.turn(id, prompt: "long job", command: ["sh", "-c", "echo partial > partial.txt; echo working; sleep 600"], as: .operator) })
        }
        agent.start()
        // Wait until the agent has written its file and its process group is recorded.
        for _ in 0..<1200 {
            let recorded = try sessions.turns(id, as: .operator).first?.processGroup != nil
            if recorded && FileManager.default.fileExists(atPath: session.workdir + "/partial.txt") { break }
            usleep(50_000)
        }
        usleep(100_000)
        let started = Date()
        let aborted = try sessions.abort(id, as: .operator)
        #expect(aborted.status == .aborted)
        let result = try outcome.wait(seconds: 120).get()
        #expect(Date().timeIntervalSince(started) < 30, "the agent was stopped, not waited for")
        #expect(result.turn.state == .aborted && result.turn.reply == "working\n")
        #expect(try sessions.cat(id, path: "partial.txt", at: result.operation.workingCopy, as: .operator) == Array("partial\n".utf8))
        #expect(plueError { _ = try sessions.snapshot(id, as: .operator) }?.code == .failed, "an aborted session takes no more work")
        #expect(plueError { _ = try sessions.abort(id, as: .operator) }?.code == .failed)
        #expect(try sessions.list(as: .operator).isEmpty && sessions.list(all: true, as: .operator).count == 1)
        let fork = try sessions.fork(id, as: .operator)
        #expect(FileManager.default.fileExists(atPath: fork.workdir + "/partial.txt"))
    }
}

/// What the agent's thread returned, handed to the test's thread.
private final class TurnOutcome: @unchecked Sendable {
    // @unchecked: every access holds `condition`.
    private let condition = NSCondition()
    private var value: Result<TurnResult, any Error>?

    func set(_ result: Result<TurnResult, any Error>) {
        condition.lock()
        value = result
        condition.broadcast()
        condition.unlock()
    }

    func wait(seconds: Double) throws -> Result<TurnResult, any Error> {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        defer { condition.unlock() }
        while value == nil {
            guard condition.wait(until: deadline) else { throw CommandFailure(description: "the turn did not end within \(seconds) s") }
        }
        return value!
    }
}
