import Foundation

/// Moving a session's working directory between views, and finishing what a killed command left:
/// a move is recorded as begun before its first file is touched, so the next command completes it
/// instead of taking a half-moved directory for the user's edits.
extension SessionService {
    /// Makes the working directory the view `view` left (files, permission bits and visible turns)
    /// and records the operation. Callers snapshot first, so every file the move removes or
    /// replaces is stored; anything else in its way goes to the trash and is reported.
    func bring(_ context: Context, view: SessionOperation, kind: String, description: String, target: Int64?,
               restored: Int64? = nil, visibleTurns: [Int64]? = nil) throws -> SessionOperation {
        try bring(context, NewOperation(kind: kind, description: description, workingCopy: view.workingCopy, target: target,
                                        restored: restored, visibleTurns: visibleTurns ?? view.visibleTurns, modes: view.modes))
    }

    /// Makes the working directory the state `new` records (a commit written for it, or an earlier
    /// view's) and records the operation, through the same pending move as undo.
    func bring(_ context: Context, _ new: NewOperation) throws -> SessionOperation {
        try context.workspace.checkHoldable(from: context.current.tree, to: try context.workspace.repository.changeCommit(new.workingCopy).tree)
        try database.beginCheckout(sessionID: context.row.id, parent: context.row.headOperationID, from: context.row.workingCopy,
                                   new, at: Timestamp.now())
        return try finishMove(context, from: context.current.tree, oldModes: context.row.modes, new)
    }

    /// Moves the files, then records the operation and clears the pending move in one transaction.
    private func finishMove(_ context: Context, from tree: String, oldModes: FileModes, _ new: NewOperation) throws -> SessionOperation {
        let target = try context.workspace.repository.changeCommit(new.workingCopy).tree
        context.report.trashed += try context.workspace.move(
            from: tree, to: target, oldModes: oldModes, newModes: new.modes ?? FileModes(), scratch: context.files.scratch,
            trash: context.files.trash(operation: context.row.headOperationID), afterWrite: pauses.afterFileWritten)
        let operation = try database.appendOperation(sessionID: context.row.id, parent: context.row.headOperationID, new,
                                                     at: Timestamp.now(), finishingCheckout: true)
        try context.workspace.repository.moveReference(context.session.bookmark, to: new.workingCopy,
                                                       expecting: context.session.workingCopy, message: "plue: \(new.kind)")
        try maintain(context)
        return operation
    }

    /// Under the session's lock, before anything else: a move of the working directory a killed
    /// command began is finished, and a turn whose `plue` died is closed as interrupted.
    func finishInterruptedWork(_ id: String, lock: SessionLock) throws {
        if let pending = try database.pendingCheckout(sessionID: id) {
            let context = try context(id, lock: lock, allowInactive: true)
            guard pending.parent == context.row.headOperationID else {
                // Recorded already (the transaction that records a move also clears it).
                try database.dropPendingCheckout(sessionID: id)
                return try finishInterruptedWork(id, lock: lock)
            }
            let from = try context.workspace.repository.changeCommit(pending.fromCommit).tree
            let operation = try finishMove(context, from: from, oldModes: context.row.modes, pending.operation)
            WarningSink().emit("plue: finished the interrupted \(pending.operation.kind) of session \(id) (operation \(operation.id))"
                               + context.report.trashedSummary)
        }
        for turn in try database.turns(sessionID: id, state: .running) {
            // The lock is not proof enough: an agent can delete the lock file under its own turn.
            if let runner = turn.runner, runner.isRunning {
                throw busyError(id)
            }
            // This process holds the lock the turn's runner held until it died; its agent may still run.
            if let group = turn.processGroup, let start = turn.groupStart, ProcessIdentity.of(group, includingZombies: true)?.start == start {
                kill(-group, SIGKILL)
            }
            try closeInterruptedTurn(turn, of: id, lock: lock)
        }
    }

    /// Closes every turn whose plue is gone (a server killed outright), as the session's next
    /// command would: its agent's group, if it still runs, is stopped first, so it changes no
    /// working directory after a new server has started. A session another process holds is left
    /// to it. Returns how many sessions were closed so.
    @discardableResult
    public func closeAbandonedTurns() -> Int {
        var closed = 0
        for id in (try? database.sessionsWithRunningTurns()) ?? [] {
            guard let turns = try? database.turns(sessionID: id, state: .running),
                  turns.contains(where: { !($0.runner?.isRunning ?? false) }) else { continue }
            if (try? waiting(0).lockSession(id)) != nil { closed += 1 }
        }
        return closed
    }

    /// Records what an interrupted turn left as its end and marks it interrupted. When its files
    /// cannot be recorded (a folder nested too deep), it is still closed, so the session is not
    /// held by a turn nothing runs; the snapshot's own error then says what to fix.
    private func closeInterruptedTurn(_ turn: Turn, of id: String, lock: SessionLock) throws {
        let context = try context(id, lock: lock, allowInactive: true)
        do {
            let found = try context.workspace.snapshotTree(maxNewFileSize: newFileLimit(context.row))
            let workingCopy = found.tree == context.current.tree ? context.current.commit
                : try context.write(tree: found.tree, parents: context.current.parents, message: context.current.message,
                                    changeID: context.current.changeID ?? ChangeID.random())
            let operation = try record(context, NewOperation(kind: "turn", description: "turn \(turn.number) (interrupted)",
                                                             workingCopy: workingCopy, modes: found.modes),
                                       visibleTurns: context.row.visibleTurns + [turn.number])
            let changed = try context.workspace.repository.changedFiles(from: context.current.tree, to: found.tree)
            try database.finishTurn(sessionID: id, number: turn.number, reply: "[plue: the command running this turn was killed]\n",
                                    state: .interrupted, exitStatus: nil, endOperation: operation.id, changedFiles: changed,
                                    at: Timestamp.now())
            WarningSink().emit("plue: turn \(turn.number) of session \(id) was interrupted; its files are recorded in operation \(operation.id)")
        } catch let error as PlueError {
            try database.finishTurn(sessionID: id, number: turn.number,
                                    reply: "[plue: the command running this turn was killed, and its files could not be recorded: \(error.messageWithHint)]\n",
                                    state: .interrupted, exitStatus: nil, endOperation: context.row.headOperationID, changedFiles: [],
                                    at: Timestamp.now())
            WarningSink().emit("plue: turn \(turn.number) of session \(id) was interrupted and its files could not be recorded: \(error.messageWithHint)")
        }
    }
}

/// What a command's moves of the working directory did, collected for its report.
final class MoveReport {
    var trashed: [TrashedFile] = []

    var trashedSummary: String {
        trashed.isEmpty ? "" : "; moved out of the way: " + trashed.map { "\($0.path) -> \($0.location)" }.joined(separator: ", ")
    }
}

extension SessionService {
    /// Snapshots before a read of `@`, unless another command holds the session (a running turn):
    /// then the read shows the last recorded state rather than wait or snapshot under the agent.
    func snapshotForReading(_ id: String) throws {
        guard snapshotsReads else { return }
        let lock: SessionLock
        do {
            lock = try waiting(0).lockSession(id)
        } catch let error as PlueError where error.code == .unavailable {
            return
        }
        _ = try snapshot(try context(id, lock: lock))
    }
}

/// The environment an agent's command runs with: an allow-list of the caller's variables, the ones
/// a turn names, and git kept inside the working directory (no GIT_DIR, GIT_INDEX_FILE... from the
/// caller; discovery stops at the session's folder).
enum AgentEnvironment {
    /// `ChildEnvironment.basic`, the variables named with `--env` (never git's own), where it is,
    /// and the turn: its number and the user's message (`PLUE_PROMPT`), which a registered agent
    /// reads since its command line is fixed.
    static func build(session id: String, files: SessionFiles, passing names: [String], prompt: String, turn: Int64) -> [String] {
        ChildEnvironment.build(allowing: ChildEnvironment.basic.union(names.filter { !$0.hasPrefix("GIT_") }),
                               setting: [("GIT_CEILING_DIRECTORIES", files.directory), ("PWD", files.workdir), ("PLUE_SESSION", id),
                                         ("PLUE_TURN", String(turn)), ("PLUE_PROMPT", prompt)])
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 256 && name.first.map { !$0.isNumber } == true
            && name.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "_" }
    }
}
