import Foundation

/// Turns: the user's messages, the agent's replies, and the files they left, undone and redone
/// together. Which turns a view shows is part of every operation, so undo, redo and restore bring
/// messages back with the files.
extension SessionService {
    public static let replyLimit = 1 << 20

    /// What an agent printed, as its turn's reply, saying so when it was cut at `replyLimit`.
    static func reply(_ output: [UInt8], truncated: Bool) -> String {
        String(decoding: output, as: UTF8.self) + (truncated ? "\n[plue: reply cut at 1 MiB]\n" : "")
    }

    /// Records `prompt`; with a command, runs it in the working directory (the agent), records what
    /// it printed as the reply, and snapshots afterwards. The session stays locked from the first
    /// snapshot to the last, so no other command changes it under the agent; `abort` still works.
    /// The agent gets an allow-listed environment (plus the variables named in `passing`), with
    /// git kept inside the working directory's own `.git`.
    /// `started` is called with the turn once it is recorded as running, before its command starts
    /// (a server answers then, and the client follows the turn). `stopper` lets a server that is
    /// stopping end the command: the turn is then `interrupted`, with the files it left recorded.
    public func turn(_ id: String, prompt: String, command: [String]? = nil, timeout: Double? = nil,
                     passing variables: [String] = [], as principal: Principal,
                     started onStart: ((Turn) -> Void)? = nil, stopper: ChildStopper? = nil) throws -> TurnResult {
        _ = try authorizer.session(id, as: principal, needs: .write)
        let prompt = try Self.validatedMessage(prompt)
        if let command { try TurnCommand.validate(command) }
        if let timeout, !(timeout > 0 && timeout <= 7 * 24 * 3600) {
            throw PlueError.invalidInput("the timeout must be between 0 and 604800 seconds")
        }
        for name in variables where !AgentEnvironment.isValidName(name) {
            throw PlueError.invalidInput("invalid environment variable name \(Validation.quoted(name))")
        }
        let lock = try lockSession(id)
        let before = try snapshot(try context(id, lock: lock), message: "snapshot before turn")
        let started = try context(id, lock: lock)
        try started.workspace.makeAgentRepository(branch: started.row.baseBranch, commit: started.row.baseCommit,
                                                  author: (started.author.name, started.author.email))
        let number = try database.startTurn(sessionID: id, prompt: prompt, command: command, startOperation: started.row.headOperationID,
                                            runner: ProcessIdentity.current, at: Timestamp.now())
        if let onStart, let turn = try database.turns(sessionID: id).first(where: { $0.number == number }) { onStart(turn) }
        var reply = ""
        var state = Turn.State.done
        var exitStatus: Int32?
        if let command {
            var options = ChildProcess.Options()
            (options.directory, options.timeout, options.outputLimit, options.mergeErrorOutput) = (started.files.workdir, timeout, Self.replyLimit, true)
            options.stopper = stopper
            options.started = { group in
                if let identity = ProcessIdentity.of(group) {
                    try database.setTurnProcessGroup(sessionID: id, number: number, processGroup: identity)
                }
            }
            var outcome: ChildProcess.Outcome?
            do {
                outcome = try ChildProcess.run(command[0], Array(command.dropFirst()),
                                               environment: AgentEnvironment.build(session: id, files: started.files, passing: variables,
                                                                                   prompt: prompt, turn: number),
                                               options: options)
            } catch let interruption as InterruptedBySignal {
                // The server is stopping: the agent was stopped, and what it wrote and left is
                // recorded below.
                reply = Self.reply(interruption.output, truncated: interruption.truncated)
                    + "[plue: the server stopped during the turn; the agent was stopped]\n"
                state = .interrupted
            } catch {
                // The command never ran (or its group could not be recorded, and it was stopped):
                // the turn is closed, not left running until this process is gone.
                try? database.finishTurn(sessionID: id, number: number, reply: "[plue: the command did not run: \(error)]\n",
                                         state: .failed, exitStatus: nil, endOperation: started.row.headOperationID,
                                         changedFiles: [], at: Timestamp.now())
                throw error
            }
            if let outcome {
                reply = Self.reply(outcome.output, truncated: outcome.truncated)
                exitStatus = outcome.exitStatus
                let aborted = try current(id).status == .aborted
                state = aborted ? .aborted : outcome.timedOut ? .timeout : outcome.exitStatus == 0 ? .done : .failed
            }
        }
        // Whatever the agent wrote is recorded, even after an abort; whatever it did to its working
        // directory, the turn is closed rather than left running.
        do {
            try reclaimWorkdir(started.files, session: id, turn: number)
            let context = try self.context(id, lock: lock, allowInactive: true)
            let found = try context.workspace.snapshotTree(maxNewFileSize: newFileLimit(context.row))
            let workingCopy = found.tree == context.current.tree ? context.current.commit
                : try context.write(tree: found.tree, parents: context.current.parents, message: context.current.message,
                                    changeID: context.current.changeID ?? ChangeID.random())
            let summary = prompt.split(separator: "\n").first.map(String.init) ?? ""
            let operation = try record(context, NewOperation(kind: "turn", description: "turn \(number): \(summary)",
                                                             workingCopy: workingCopy, modes: found.modes),
                                       visibleTurns: context.row.visibleTurns + [number])
            let changed = try context.workspace.repository.changedFiles(from: started.current.tree, to: found.tree)
            // What the agent made and the record leaves out is said where the turn is read, in
            // its reply: a client reading only the turn would take those files as recorded.
            let leftOut = found.skipped.filter { file in !before.skipped.contains { $0.path == file.path } }
            reply += leftOut.map { "[plue: \(TerminalText.line($0.path)) is left out of the turn's record: \($0.explanation)]\n" }.joined()
            try database.finishTurn(sessionID: id, number: number, reply: reply, state: state, exitStatus: exitStatus,
                                    endOperation: operation.id, changedFiles: changed, at: Timestamp.now())
            let turn = try database.turns(sessionID: id).first { $0.number == number }!
            // A file left out before and after the turn is reported once.
            var skipped = before.skipped
            for file in found.skipped where !skipped.contains(where: { $0.path == file.path }) { skipped.append(file) }
            return TurnResult(turn: turn, session: try current(id), operation: operation, skipped: skipped)
        } catch let error as PlueError {
            try database.finishTurn(sessionID: id, number: number,
                                    reply: reply + "[plue: the turn's files could not be recorded: \(error.messageWithHint)]\n",
                                    state: .failed, exitStatus: exitStatus, endOperation: started.row.headOperationID,
                                    changedFiles: [], at: Timestamp.now())
            throw error
        }
    }

    /// A turn that runs the agent `name` the operator registered (`plue agent add`), with its
    /// command, its time limit and the variables it was registered to get: the one kind of turn
    /// a request over HTTP may start. Needs write on the session.
    public func turn(_ id: String, prompt: String, agent name: String, as principal: Principal,
                     started: ((Turn) -> Void)? = nil, stopper: ChildStopper? = nil) throws -> TurnResult {
        _ = try authorizer.session(id, as: principal, needs: .write)
        guard let agent = try database.agent(named: AgentName.validated(name)) else { throw AgentService.noAgent(name) }
        return try turn(id, prompt: prompt, command: agent.command, timeout: Double(agent.timeoutSeconds), passing: agent.environment,
                        as: principal, started: started, stopper: stopper)
    }

    /// After an agent ran: a working directory it deleted comes back empty (so the snapshot records
    /// the deletion, which undo takes back), and one it replaced with a link or a file gets that
    /// moved to the trash first. A session folder replaced by a link is refused, as everywhere.
    private func reclaimWorkdir(_ files: SessionFiles, session id: String, turn number: Int64) throws {
        var info = stat()
        if lstat(files.directory, &info) != 0 || info.st_mode & S_IFMT != S_IFDIR { try files.verify(id: id) }
        if lstat(files.workdir, &info) == 0 && info.st_mode & S_IFMT != S_IFDIR {
            let location = files.directory + "/trash/turn-\(number)-work"
            try FileSystem.createDirectory(files.directory + "/trash", mode: 0o700)
            try FileSystem.rename(files.workdir, to: location)
            WarningSink().emit("plue: the agent replaced its working directory with a link or a file; moved to \(location)")
        }
        if lstat(files.workdir, &info) != 0 { try FileSystem.createDirectory(files.workdir, mode: 0o755) }
        try files.verify(id: id)
    }

    /// Every turn of the session, shown or not, running or finished.
    public func turns(_ id: String, as principal: Principal) throws -> [Turn] {
        try database.turns(sessionID: authorizer.session(id, as: principal, needs: .read).id).map(\.asOfNow)
    }

    /// The turns the current view shows, in order.
    public func messages(_ id: String, as principal: Principal) throws -> [Turn] {
        let visible = try authorizer.session(id, as: principal, needs: .read).visibleTurns
        let turns = Dictionary(uniqueKeysWithValues: try database.turns(sessionID: id).map { ($0.number, $0.asOfNow) })
        return visible.compactMap { turns[$0] }
    }

    /// Brings files and visible messages back to the end of turn `number`.
    public func revert(_ id: String, toTurn number: Int64, as principal: Principal) throws -> SnapshotResult {
        _ = try authorizer.session(id, as: principal, needs: .write)
        let lock = try lockSession(id)
        let pending = try snapshot(try context(id, lock: lock), message: "snapshot before revert")
        let context = try context(id, lock: lock)
        guard let position = context.row.visibleTurns.firstIndex(of: number),
              let turn = try database.turns(sessionID: id).first(where: { $0.number == number }),
              let end = turn.endOperation, let view = try operation(end, of: id) else {
            throw PlueError.notFound("session \(id) shows no finished turn \(number)", hint: "list them with `plue session messages \(id)`")
        }
        let operation = try bring(context, view: view, kind: "revert", description: "revert to the end of turn \(number)", target: end,
                                  visibleTurns: Array(context.row.visibleTurns[...position]))
        return SnapshotResult(session: try current(id), operation: operation, skipped: pending.skipped, trashed: context.report.trashed)
    }

    /// Takes back the last revert: files and messages as they were just before it.
    public func unrevert(_ id: String, as principal: Principal) throws -> SnapshotResult {
        _ = try authorizer.session(id, as: principal, needs: .write)
        let lock = try lockSession(id)
        let pending = try snapshot(try context(id, lock: lock), message: "snapshot before unrevert")
        let context = try context(id, lock: lock)
        let log = try database.operations(sessionID: id)
        let unreverted = Set(log.filter { $0.kind == "unrevert" }.compactMap(\.target))
        guard let revert = log.first(where: { $0.kind == "revert" && !unreverted.contains($0.id) }),
              let parent = revert.parent, let view = log.first(where: { $0.id == parent }) else {
            throw PlueError.failed("nothing to unrevert in session \(id)")
        }
        // As redo does after new work: taking the revert back now would also hide what came since.
        if let later = log.first(where: { $0.id > revert.id && $0.kind != "snapshot" }) {
            throw PlueError.failed("operation \(later.id) (\(later.kind)) came after revert \(revert.id), so it cannot be taken back alone; "
                                   + "use `plue session undo \(id)` or `plue session restore \(id) \(parent)`")
        }
        let operation = try bring(context, view: view, kind: "unrevert", description: "take back operation \(revert.id) (\(revert.description))",
                                  target: revert.id)
        return SnapshotResult(session: try current(id), operation: operation, skipped: pending.skipped, trashed: context.report.trashed)
    }

    /// Removes the last `count` turns: their files and their messages, in one operation (which
    /// `plue session undo` takes back like any other).
    public func undoTurns(_ id: String, count: Int = 1, as principal: Principal) throws -> SnapshotResult {
        _ = try authorizer.session(id, as: principal, needs: .write)
        let lock = try lockSession(id)
        let pending = try snapshot(try context(id, lock: lock), message: "snapshot before undo-turns")
        let context = try context(id, lock: lock)
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
        return SnapshotResult(session: try current(id), operation: operation, skipped: pending.skipped, trashed: context.report.trashed)
    }

    /// Stops a running turn's whole process group and marks the session aborted; everything is kept.
    public func abort(_ id: String, as principal: Principal) throws -> Session {
        _ = try authorizer.session(id, as: principal, needs: .write)
        let session = try current(id)
        guard session.status == .active else { throw PlueError.failed("session \(id) is \(session.status.rawValue) already") }
        // Only a group whose leader is still the process the turn started, never a reused pid.
        for group in try database.abortSession(id: id) where group.pid > 1 && ProcessIdentity.of(group.pid, includingZombies: true) == group {
            kill(-group.pid, SIGKILL)
        }
        return try current(id)
    }

    private func operation(_ operationID: Int64, of id: String) throws -> SessionOperation? {
        try database.operations(sessionID: id).first { $0.id == operationID }
    }
}
