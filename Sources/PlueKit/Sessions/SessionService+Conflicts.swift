/// Would this session land cleanly on the current tip of its base branch?
public struct ConflictReport: Sendable, Equatable, JSONRepresentable {
    public typealias Conflict = MergeConflict

    public let hasConflicts: Bool
    public let target: String
    public let targetCommit: String
    public let source: String
    public let conflicts: [Conflict]

    public var json: JSON {
        .object([("hasConflicts", .bool(hasConflicts)), ("target", .string(target)), ("targetCommit", .string(targetCommit)),
                 ("source", .string(source)),
                 ("conflicts", .array(conflicts.map(\.json)))])
    }
}

extension SessionService {
    /// Merges the working copy (snapshotted first) with the base branch's tip as git merge-tree does.
    public func conflicts(_ id: String, as principal: Principal) throws -> ConflictReport {
        _ = try authorizer.session(id, as: principal, needs: .read)
        let session = try current(id)
        if session.status == .active { try snapshotForReading(id) }
        let current = try self.current(id)
        let repository = try repositories.lookup(current.repository)
        let git = try repositories.openGit(repository)
        guard let tip = try git.referenceTarget("refs/heads/" + current.baseBranch) else {
            throw PlueError.notFound("the base branch \(current.baseBranch) of session \(id) no longer exists in \(repository.fullName)")
        }
        let merge = try GitMergeTree.merge(tip, current.workingCopy, in: repository.path)
        return ConflictReport(hasConflicts: !merge.conflicts.isEmpty, target: current.baseBranch, targetCommit: tip,
                              source: current.workingCopy,
                              conflicts: merge.conflicts)
    }
}
