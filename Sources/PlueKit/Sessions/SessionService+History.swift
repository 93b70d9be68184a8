/// Undo, redo and restore, after Jujutsu's rules (0.33 and later): each is a new operation that
/// brings back an earlier view, so each can itself be undone, and nothing recorded is ever dropped.
/// Undo and redo record which operation's view they brought back (`restored`); following that
/// instead of walking the log makes repeated undo and redo act as an editor's undo and redo stacks.
extension SessionService {
    /// Brings back the view before the last operation; undoing again goes one step further back.
    public func undo(_ id: String, as principal: Principal) throws -> SnapshotResult {
        _ = try authorizer.session(id, as: principal, needs: .write)
        return try moveView(id, kind: "undo") { head, operations in
            // After an undo, the next one undoes the operation that undo went back to, so undos walk
            // back one step each instead of undoing one another.
            let undone = head.kind == "undo" ? try restored(by: head, in: operations) : head
            guard let parent = undone.parent.flatMap({ operations[$0] }) else {
                throw PlueError.failed("nothing to undo in session \(id): operation \(undone.id) started it")
            }
            // Going back to an undo is going back to the view it brought back. Naming that operation
            // keeps `restored` off undos, so an undo later jumps over the older undos in between.
            let view = parent.kind == "undo" ? try restored(by: parent, in: operations) : parent
            return (view, undone.id, view.id, "undo operation \(undone.id) (\(undone.kind): \(Self.brief(undone.description)))")
        }
    }

    /// Takes back the last undo; redoing again takes back the undos before it, as far as they go.
    public func redo(_ id: String, as principal: Principal) throws -> SnapshotResult {
        _ = try authorizer.session(id, as: principal, needs: .write)
        return try moveView(id, kind: "redo") { head, operations in
            // After a redo, the next one redoes the undo before the one it took back, which is the
            // operation that redo went back to when it is an undo.
            let redone = head.kind == "redo" ? try restored(by: head, in: operations) : head
            guard redone.kind == "undo", let parent = redone.parent.flatMap({ operations[$0] }) else {
                throw PlueError.failed("nothing to redo in session \(id): no undo is left to take back")
            }
            // As for undo: going back to a redo is going back to the view it brought back.
            let view = parent.kind == "redo" ? try restored(by: parent, in: operations) : parent
            return (view, redone.id, view.id, "redo operation \(redone.id) (\(redone.kind): \(Self.brief(redone.description)))")
        }
    }

    /// An operation's description inside another's: cut at 80 characters, so that undo after redo
    /// after undo does not nest the whole chain (forty pairs made one description of 2 KB).
    static func brief(_ description: String) -> String {
        description.count <= 80 ? description : String(description.prefix(79)) + "…"
    }

    /// Brings back the view operation `operationID` left. An ordinary operation: undo takes it back.
    public func restore(_ id: String, operation operationID: Int64, as principal: Principal) throws -> SnapshotResult {
        _ = try authorizer.session(id, as: principal, needs: .write)
        return try moveView(id, kind: "restore") { _, operations in
            guard let target = operations[operationID] else {
                throw PlueError.notFound("session \(id) has no operation \(operationID)", hint: "list them with `plue session ops \(id)`")
            }
            return (target, target.id, nil, "restore operation \(target.id) (\(target.kind): \(target.description))")
        }
    }

    /// The operation whose view undo or redo operation `operation` brought back.
    private func restored(by operation: SessionOperation, in operations: [Int64: SessionOperation]) throws -> SessionOperation {
        guard let restored = operation.restored.flatMap({ operations[$0] }) else {
            throw PlueError.internalError("\(operation.kind) operation \(operation.id) does not name the operation it brought back")
        }
        return restored
    }

    /// Snapshots the working directory (an operation of its own when it changed, so those edits are
    /// kept), works out the view to bring back from the log, makes the working directory that view,
    /// and records the operation.
    private func moveView(_ id: String, kind: String,
                          choose: (SessionOperation, [Int64: SessionOperation]) throws
                              -> (view: SessionOperation, target: Int64, restored: Int64?, description: String))
        throws -> SnapshotResult {
        let lock = try lockSession(id)
        let pending = try snapshot(try context(id, lock: lock), message: "snapshot before \(kind)")
        let context = try context(id, lock: lock)
        let operations = Dictionary(uniqueKeysWithValues: try database.operations(sessionID: id).map { ($0.id, $0) })
        guard let head = operations[context.row.headOperationID] else {
            throw PlueError.internalError("session \(id) has no head operation")
        }
        let (view, target, restored, description) = try choose(head, operations)
        let operation = try bring(context, view: view, kind: kind, description: description, target: target, restored: restored)
        return SnapshotResult(session: try current(id), operation: operation, skipped: pending.skipped, trashed: context.report.trashed)
    }
}
