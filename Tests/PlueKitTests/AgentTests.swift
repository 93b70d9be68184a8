import Foundation
import PlueKit
import PlueTestSupport
import Testing

/// The agents a turn started over HTTP may run: registered by the operator alone, run with their
/// registered command, time limit and variables, and the prompt in PLUE_PROMPT.
@Suite struct AgentTests {
    let forge: Forge
    let session: Session
    var agents: AgentService { forge.plue.agents }

    init() throws {
        forge = try Forge(user: "alice")
        let repository = try forge.plue.repositories.create("alice/demo", as: .operator)
        let work = try forge.workTree(files: ["a.txt": "a\n"])
        try Command.git(["push", "-q", repository.path, "main"], in: work)
        session = try forge.plue.sessions.new(repository: "alice/demo", as: .operator)
    }

    @Test func onlyTheOperatorRegistersListsAndRemovesAgents() throws {
        let added = try agents.add(name: "writer", command: ["sh", "-c", "echo hi"], environment: ["API_KEY", "API_KEY"], timeoutSeconds: 60,
                                   as: .operator)
        #expect(added.command == ["sh", "-c", "echo hi"] && added.environment == ["API_KEY"] && added.timeoutSeconds == 60)
        #expect(try agents.list(as: .operator).map(\.name) == ["writer"])
        #expect(plueError { _ = try agents.add(name: "WRITER", command: ["true"], as: .operator) }?.code == .alreadyExists)
        let alice = try forge.plue.users.show("alice", as: .operator)
        #expect(plueError { _ = try agents.add(name: "mine", command: ["true"], as: .user(alice)) }?.code == .permissionDenied)
        #expect(plueError { _ = try agents.list(as: .user(alice)) }?.code == .permissionDenied)
        #expect(plueError { _ = try agents.remove(name: "writer", as: .user(alice)) }?.code == .permissionDenied)
        for name in ["", "-dash", "a b", "../x", "é", String(repeating: "a", count: 65)] {
            #expect(plueError { _ = try agents.add(name: name, command: ["true"], as: .operator) }?.code == .invalidInput, "\(name)")
        }
        #expect(plueError { _ = try agents.add(name: "x", command: [], as: .operator) }?.code == .invalidInput)
        #expect(plueError { _ = try agents.add(name: "x", command: ["true"], environment: ["GIT_DIR"], as: .operator) }?.code == .invalidInput)
        #expect(plueError { _ = try agents.add(name: "x", command: ["true"], timeoutSeconds: 0, as: .operator) }?.code == .invalidInput)
        #expect(try agents.remove(name: "Writer", as: .operator).name == "writer")
        #expect(try agents.list(as: .operator).isEmpty)
        #expect(plueError { _ = try agents.remove(name: "writer", as: .operator) }?.code == .notFound)
    }

    @Test func aTurnRunsTheRegisteredCommandWithThePrompt() throws {
        setenv("AGENT_TEST_KEY", "key-value", 1)
        setenv("AGENT_TEST_HIDDEN", "hidden-value", 1)
        _ = try agents.add(name: "echo", command: ["sh", "-c", "printf '%s|%s|%s|%s' \"$PLUE_PROMPT\" \"$PLUE_TURN\" \"$AGENT_TEST_KEY\" \"$AGENT_TEST_HIDDEN\" > seen.txt; env > env.txt"],
                           environment: ["AGENT_TEST_KEY"], as: .operator)
        var startedState: Turn.State?
        let result = try forge.plue.sessions.turn(session.id, prompt: "fix\nit", agent: "echo", as: .operator) { turn in startedState = turn.state }
        #expect(startedState == .running)
        #expect(result.turn.state == .done && result.turn.command?.first == "sh")
        let seen = try String(contentsOfFile: session.workdir + "/seen.txt", encoding: .utf8)
        #expect(seen == "fix\nit|1|key-value|", "only the allow-list and the registered names pass: \(seen)")
        // Nothing of plue's own place either: not the folder it ran in.
        let names = try String(contentsOfFile: session.workdir + "/env.txt", encoding: .utf8).split(separator: "\n")
            .map { String($0.prefix { $0 != "=" }) }
        #expect(!names.contains("OLDPWD") && !names.contains("AGENT_TEST_HIDDEN"), "\(names)")
        #expect(plueError { _ = try forge.plue.sessions.turn(session.id, prompt: "x", agent: "unknown", as: .operator) }?.code == .invalidInput)
        #expect(try forge.plue.sessions.turns(session.id, as: .operator).count == 1, "an unknown agent starts no turn")
    }
}
