import Foundation

/// One exchange in a session: the user's message, and the agent's reply when a command ran.
public struct Turn: Sendable, Equatable, JSONRepresentable {
    public enum State: String, Sendable { case running, done, failed, timeout, aborted, interrupted }

    public let number: Int64
    public let prompt: String
    /// The agent's command line, when one ran.
    public let command: [String]?
    /// What the command printed (standard output and error together, at most 1 MiB).
    public let reply: String
    public let state: State
    public let exitStatus: Int32?
    /// The running command's process group, which `plue session abort` stops.
    public let processGroup: Int32?
    /// The group leader's start time, so a reused pid is never signalled.
    let groupStart: Int64?
    /// The plue process running the turn.
    let runner: ProcessIdentity?
    /// The files the turn changed.
    public let changedFiles: [ChangedFile]
    public let startOperation: Int64?
    public let endOperation: Int64?
    public let startedAt: Date
    public let finishedAt: Date?

    /// As it stands: a turn still marked running whose plue died (a server killed outright) is
    /// interrupted, as the session's next command records it, with the files it left.
    var asOfNow: Turn {
        guard state == .running, let runner, !runner.isRunning else { return self }
        return Turn(number: number, prompt: prompt, command: command, reply: reply, state: .interrupted, exitStatus: exitStatus,
                    processGroup: processGroup, groupStart: groupStart, runner: runner, changedFiles: changedFiles,
                    startOperation: startOperation, endOperation: endOperation, startedAt: startedAt, finishedAt: finishedAt)
    }

    public var json: JSON {
        .object([("number", .int(number)), ("prompt", .string(prompt)),
                 ("command", command.map { .array($0.map(JSON.string)) } ?? .null), ("reply", .string(reply)),
                 ("state", .string(state.rawValue)), ("exitStatus", exitStatus.map { .int(Int64($0)) } ?? .null),
                 ("processGroup", processGroup.map { .int(Int64($0)) } ?? .null),
                 ("changedFiles", .array(changedFiles.map(\.json))),
                 ("startOperation", startOperation.map(JSON.int) ?? .null), ("endOperation", endOperation.map(JSON.int) ?? .null),
                 ("startedAt", .time(startedAt)), ("finishedAt", finishedAt.map(JSON.time) ?? .null)])
    }
}

/// What `plue session turn` reports.
public struct TurnResult: Sendable, JSONRepresentable {
    public let turn: Turn
    public let session: Session
    public let operation: SessionOperation
    /// Files the snapshots before and after the turn left out, each once.
    public let skipped: [SkippedFile]

    public var json: JSON {
        .object([("turn", turn.json), ("session", session.json), ("operation", operation.json),
                 ("skipped", .array(skipped.map(\.json)))])
    }
}

/// The command line of a turn: what `plue session turn -- COMMAND` or `plue agent add NAME -- COMMAND` gives.
enum TurnCommand {
    static func validate(_ command: [String]) throws {
        guard !command.isEmpty, command.count <= 1024, command.allSatisfy({ $0.utf8.count <= 64 * 1024 }) else {
            throw PlueError.invalidInput("the command must have 1 to 1024 arguments of at most 64 KiB each")
        }
        if command[0].isEmpty { throw PlueError.usage("no command to run") }
    }
}
