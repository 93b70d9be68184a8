import Foundation

/// Turns: the user's messages, the agent's replies, and the files they left, undone and redone
/// together. Which turns a view shows is part of every operation, so undo, redo and restore bring
/// messages back with the files.
extension SessionService {
    public static let replyLimit = 1 << 20

    /// Records `prompt`; with a command, runs it in the working directory (the agent), records what
    /// it printed as the reply, and snapshots afterwards.
    public func turn(_ id: String, prompt: String, command: [String]? = nil, timeout: Double? = nil,
                     maxFileSize: Int64 = defaultMaxFileSize) throws -> TurnResult {
        let prompt = try Self.validatedMessage(prompt)
        if let command {
            guard !command.isEmpty, command.count <= 1024, command.allSatisfy({ $0.utf8.count <= 64 * 1024 }) else {
                throw PlueError.invalidInput("the command must have 1 to 1024 arguments of at most 64 KiB each")
            }
        }
        if let timeout, !(timeout > 0 && timeout <= 7 * 24 * 3600) {
            throw PlueError.invalidInput("the timeout must be between 0 and 604800 seconds")
        }
        let before = try snapshot(id, message: "snapshot before turn", maxFileSize: maxFileSize)
        let number = try database.startTurn(sessionID: id, prompt: prompt, command: command,
                                            startOperation: before.session.headOperation, at: Timestamp.now())
        var reply = ""
        var state = Turn.State.done
        var exitStatus: Int32?
        if let command {
            let outcome = try ChildProcess.run(command, in: before.session.workdir, timeout: timeout, outputLimit: Self.replyLimit) { group in
                try database.setTurnProcessGroup(sessionID: id, number: number, processGroup: group)
            }
            reply = String(decoding: outcome.output, as: UTF8.self) + (outcome.truncated ? "\n[plue: reply cut at 1 MiB]\n" : "")
            exitStatus = outcome.exitStatus
            let aborted = try show(id).status == .aborted
            state = aborted ? .aborted : outcome.timedOut ? .timeout : outcome.exitStatus == 0 ? .done : .failed
        }
        // Whatever the agent wrote is recorded, even after an abort.
        let context = try activeContext(id, allowInactive: true)
        let (tree, skipped) = try context.workspace.snapshotTree(maxFileSize: maxFileSize)
        let workingCopy = tree == context.current.tree ? context.current.commit
            : try context.write(tree: tree, parents: context.current.parents, message: context.current.message,
                                changeID: context.current.changeID ?? ChangeID.random())
        let summary = prompt.split(separator: "\n").first.map(String.init) ?? ""
        let operation = try record(context, NewOperation(kind: "turn", description: "turn \(number): \(summary)", workingCopy: workingCopy),
                                   visibleTurns: context.row.visibleTurns + [number])
        try database.finishTurn(sessionID: id, number: number, reply: reply, state: state, exitStatus: exitStatus,
                                endOperation: operation.id, at: Timestamp.now())
        let turn = try database.turns(sessionID: id).first { $0.number == number }!
        return TurnResult(turn: turn, session: try show(id), operation: operation, skipped: before.skipped + skipped)
    }

    /// Every turn of the session, shown or not, running or finished.
    public func turns(_ id: String) throws -> [Turn] {
        try database.turns(sessionID: row(id).id)
    }

    /// The turns the current view shows, in order.
    public func messages(_ id: String) throws -> [Turn] {
        let visible = try row(id).visibleTurns
        let turns = Dictionary(uniqueKeysWithValues: try database.turns(sessionID: id).map { ($0.number, $0) })
        return visible.compactMap { turns[$0] }
    }

    /// Brings files and visible messages back to the end of turn `number`.
    public func revert(_ id: String, toTurn number: Int64) throws -> SnapshotResult {
        _ = try snapshot(id, message: "snapshot before revert")
        let context = try activeContext(id)
        guard let position = context.row.visibleTurns.firstIndex(of: number),
              let turn = try database.turns(sessionID: id).first(where: { $0.number == number }),
              let end = turn.endOperation, let view = try operation(end, of: id) else {
            throw PlueError.notFound("session \(id) shows no finished turn \(number); list them with `plue session messages \(id)`")
        }
        let operation = try bring(context, view: view, kind: "revert", description: "revert to the end of turn \(number)", target: end,
                                  visibleTurns: Array(context.row.visibleTurns[...position]))
        return SnapshotResult(session: try show(id), operation: operation, skipped: [])
    }

    /// Takes back the last revert: files and messages as they were just before it.
    public func unrevert(_ id: String) throws -> SnapshotResult {
        _ = try snapshot(id, message: "snapshot before unrevert")
        let context = try activeContext(id)
        let log = try database.operations(sessionID: id)
        let unreverted = Set(log.filter { $0.kind == "unrevert" }.compactMap(\.target))
        guard let revert = log.first(where: { $0.kind == "revert" && !unreverted.contains($0.id) }),
              let parent = revert.parent, let view = log.first(where: { $0.id == parent }) else {
            throw PlueError.failed("nothing to unrevert in session \(id)")
        }
        let operation = try bring(context, view: view, kind: "unrevert", description: "take back operation \(revert.id) (\(revert.description))",
                                  target: revert.id)
        return SnapshotResult(session: try show(id), operation: operation, skipped: [])
    }

    /// Removes the last `count` turns: their files and their messages, in one operation (which
    /// `plue session undo` takes back like any other).
    public func undoTurns(_ id: String, count: Int = 1) throws -> SnapshotResult {
        _ = try snapshot(id, message: "snapshot before undo-turns")
        let context = try activeContext(id)
        let visible = context.row.visibleTurns
        guard count >= 1, count <= visible.count else {
            throw PlueError.invalidInput("session \(id) shows \(visible.count) turns; give a count from 1 to \(visible.count)")
        }
        let first = visible[visible.count - count]
        guard let turn = try database.turns(sessionID: id).first(where: { $0.number == first }),
              let start = turn.startOperation, let view = try operation(start, of: id) else {
            throw PlueError.internalError("turn \(first) of session \(id) has no starting view")
        }
        let operation = try bring(context, view: view, kind: "undo-turns", description: "remove the last \(count) turns",
                                  target: start, visibleTurns: Array(visible.dropLast(count)))
        return SnapshotResult(session: try show(id), operation: operation, skipped: [])
    }

    /// Stops a running turn's whole process group and marks the session aborted; everything is kept.
    public func abort(_ id: String) throws -> Session {
        let session = try show(id)
        guard session.status == .active else { throw PlueError.failed("session \(id) is \(session.status.rawValue) already") }
        for group in try database.abortSession(id: id) where group > 1 {
            kill(-group, SIGKILL)
        }
        return try show(id)
    }

    private func operation(_ operationID: Int64, of id: String) throws -> SessionOperation? {
        try database.operations(sessionID: id).first { $0.id == operationID }
    }
}
