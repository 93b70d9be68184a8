/// What a session's working directory holds that its last operation does not: the check made
/// before anything removes a working directory (gc, deleting its repository), so that a file
/// an agent wrote and no snapshot took is never removed without being asked to.
enum UnrecordedWork {
    /// Why removing `row`'s working directory would lose bytes no operation stores, or nil when it
    /// would not (or there is no working directory). It names no server path: an API client may
    /// read it. Permission bits count as content, as they do for a snapshot: a chmod 600 is not
    /// lost either. Files .gitignore names are never recorded and do not count.
    static func reason(_ row: SessionRow, home: PlueHome, maxNewFileSize: Int64) throws -> String? {
        let directory = home.sessionPath(row.id)
        let work = directory + "/work"
        guard FileSystem.isDirectory(work) else { return nil }
        let workspace = try GitWorkspace(repositoryPath: home.repositoryPath(owner: row.repositoryOwner, name: row.repositoryName),
                                         workdir: work, indexPath: directory + "/index")
        let found = try workspace.snapshotTree(maxNewFileSize: maxNewFileSize)
        let recorded = try workspace.repository.changeCommit(row.workingCopy).tree
        if workspace.agentRepositoryHoldsWork(branch: row.baseBranch, commit: row.baseCommit) {
            return "the agent's own .git in its working directory holds commits, a stash, staged files or branches Plue does not store"
        }
        if found.tree != recorded || found.modes != row.modes || !found.skipped.isEmpty {
            let unstored = found.skipped.map(\.path).prefix(5).joined(separator: ", ")
            return "its working directory holds files its last operation does not" + (unstored.isEmpty ? "" : " (\(unstored))")
        }
        return nil
    }
}
