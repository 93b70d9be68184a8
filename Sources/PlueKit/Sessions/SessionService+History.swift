/// Undo, redo and restore, after Jujutsu's rules: each is a new operation that brings back an
/// earlier view, so each can itself be undone, and nothing recorded is ever dropped.
extension SessionService {
    /// Brings back the view before the last operation; undoing again goes one step further back.
    public func undo(_ id: String) throws -> SnapshotResult {
        try moveView(id, kind: "undo") { head, operations in
            let undone: SessionOperation
            switch head.kind {
            case "undo":
                // Undo after undo walks back: undo what came before the operation last undone.
                guard let last = head.target.flatMap({ operations[$0] }), let previous = last.parent.flatMap({ operations[$0] }) else {
                    throw PlueError.failed("nothing more to undo in session \(id)")
                }
                undone = previous
            case "redo":
                guard let redone = head.target.flatMap({ operations[$0] }) else { throw PlueError.failed("nothing to undo") }
                undone = redone
            default:
                undone = head
            }
            guard let parent = undone.parent.flatMap({ operations[$0] }) else {
                throw PlueError.failed("nothing to undo: operation \(undone.id) started session \(id)")
            }
            return (parent, undone.id, "undo operation \(undone.id) (\(undone.kind): \(undone.description))")
        }
    }

    /// Takes back the last undo; redoing again walks forward through earlier undos.
    public func redo(_ id: String) throws -> SnapshotResult {
        try moveView(id, kind: "redo") { head, operations in
            let redone: SessionOperation?
            switch head.kind {
            case "undo":
                redone = head.target.flatMap { operations[$0] }
            case "redo":
                // The next operation forward is the one an earlier undo in this run undid, whose
                // parent is the operation just redone.
                redone = operations.values.sorted { $0.id > $1.id }
                    .filter { $0.kind == "undo" }
                    .compactMap { $0.target.flatMap { operations[$0] } }
                    .first { $0.parent == head.target }
            default:
                redone = nil
            }
            guard let redone else {
                throw PlueError.failed("nothing to redo in session \(id): the last operation was not an undo or redo")
            }
            return (redone, redone.id, "redo operation \(redone.id) (\(redone.kind): \(redone.description))")
        }
    }

    /// Brings back the view operation `operationID` left.
    public func restore(_ id: String, operation operationID: Int64) throws -> SnapshotResult {
        try moveView(id, kind: "restore") { _, operations in
            guard let target = operations[operationID] else {
                throw PlueError.notFound("session \(id) has no operation \(operationID); list them with `plue session ops \(id)`")
            }
            return (target, target.id, "restore operation \(target.id) (\(target.kind): \(target.description))")
        }
    }

    /// Makes the working directory the view `view` left (files and visible turns) and records it.
    func bring(_ context: Context, view: SessionOperation, kind: String, description: String, target: Int64?,
               visibleTurns: [Int64]? = nil) throws -> SessionOperation {
        try context.workspace.checkout(tree: try context.workspace.repository.changeCommit(view.workingCopy).tree)
        return try record(context, NewOperation(kind: kind, description: description, workingCopy: view.workingCopy, target: target),
                          visibleTurns: visibleTurns ?? view.visibleTurns)
    }

    /// Snapshots the working directory (an operation of its own when it changed, so those edits are
    /// kept), works out the view to bring back from the log, makes the working directory that view,
    /// and records the operation.
    private func moveView(_ id: String, kind: String,
                          choose: (SessionOperation, [Int64: SessionOperation]) throws -> (view: SessionOperation, target: Int64, description: String))
        throws -> SnapshotResult {
        let pending = try snapshot(id, message: "snapshot before \(kind)")
        let context = try activeContext(id)
        let operations = Dictionary(uniqueKeysWithValues: try database.operations(sessionID: id).map { ($0.id, $0) })
        guard let head = operations[context.row.headOperationID] else {
            throw PlueError.internalError("session \(id) has no head operation")
        }
        let (view, target, description) = try choose(head, operations)
        let operation = try bring(context, view: view, kind: kind, description: description, target: target)
        return SnapshotResult(session: try show(id), operation: operation, skipped: pending.skipped)
    }
}
