import Foundation

/// Rows against folders, and turns against processes: what the database says against what is
/// on disk and running.
extension HomeDoctor {
    /// Repository folders no row records and rows whose folder is missing; reported only, since
    /// which half to keep is the administrator's decision.
    func checkRepositoryRecords(_ database: AppDatabase) throws -> [DoctorFinding] {
        // Folders first, then rows: a repository is moved into place before its row commits, so a
        // folder being created when it was listed has its row by the time the rows are read.
        let folders = repositoryFolders()
        let rows = try database.repositories(owner: nil)
        let recorded = Set(rows.map { home.repositoryPath(owner: $0.owner, name: $0.name) })
        var findings: [DoctorFinding] = []
        // Listed again: a delete moves the folder away in the transaction that removes its row.
        for folder in folders where !recorded.contains(folder.path) && FileSystem.exists(folder.path) {
            findings.append(DoctorFinding(
                .repositoryWithoutRow, path: folder.path, name: folder.name,
                message: "a repository folder no repository row records (left by an interrupted command, or copied in by hand)",
                remedy: "move it out of \(home.repositoriesPath); to keep it as a repository, then run "
                    + "`plue repo import \(folder.name) --from MOVED-PATH`"))
        }
        for row in rows {
            let path = home.repositoryPath(owner: row.owner, name: row.name)
            if FileSystem.exists(path) {
                // The folder is there: git must read it (HEAD, objects, refs) as every command will.
                if let problem = GitRepository.problem(at: path) {
                    findings.append(DoctorFinding(
                        .repositoryDamaged, path: path, name: "\(row.owner)/\(row.name)",
                        message: "the repository \(row.owner)/\(row.name) cannot be read: \(problem)",
                        remedy: "restore its folder from a backup, or run `git fsck` in it to see what is missing"))
                }
                continue
            }
            guard try database.repository(owner: row.owner, name: row.name) != nil else { continue }
            let name = "\(row.owner)/\(row.name)"
            findings.append(DoctorFinding(
                .rowWithoutRepository, path: path, name: name, message: "the repository \(name) is recorded but its folder is missing",
                remedy: "restore the folder from a backup, or remove the record with `plue repo delete \(name) --yes`"))
        }
        return findings
    }

    /// Session folders no row records and rows whose folder is missing; reported only.
    func checkSessionRecords(_ database: AppDatabase) throws -> [DoctorFinding] {
        let folders = FileSystem.sortedEntries(home.sessionsPath).filter(SessionID.isValid)
        let rows = try database.sessions(repositoryID: nil, includeInactive: true)
        let recorded = Set(rows.map(\.id))
        var findings: [DoctorFinding] = []
        for id in folders where !recorded.contains(id) {
            let path = home.sessionPath(id)
            guard FileSystem.exists(path) else { continue }
            findings.append(DoctorFinding(
                .sessionWithoutRow, path: path, name: id,
                message: "a session folder no session row records (left by a killed `session new` or `fork`, or by a repository delete)",
                remedy: "copy out of \(path)/work anything you need; `plue session gc` removes such a folder once it is an hour old"))
        }
        for row in rows {
            let path = home.sessionPath(row.id)
            guard !FileSystem.exists(path), try database.session(id: row.id) != nil else { continue }
            findings.append(DoctorFinding(
                .rowWithoutSession, path: path, name: row.id,
                message: "session \(row.id) of \(row.repositoryOwner)/\(row.repositoryName) is recorded but its folder is missing",
                remedy: "its history is kept: `plue session fork \(row.id)` starts a new working directory from it, "
                    + "`plue session delete \(row.id) --yes` removes the record"))
        }
        return findings
    }

    /// Turns marked running whose `plue` is gone. Fixing takes the session's lock, as its next
    /// command would, which closes them the one way Plue does (`finishInterruptedWork`): the
    /// agent's process group is stopped if it still runs, the files are recorded, the turn is
    /// marked interrupted.
    func checkTurns(_ sessions: SessionService, database: AppDatabase, fix: Bool) throws -> [DoctorFinding] {
        var findings: [DoctorFinding] = []
        for id in try database.sessionIDsWithRunningTurns() {
            let stuck = try database.turns(sessionID: id, state: .running).filter { !($0.runner?.isRunning ?? false) }
            guard !stuck.isEmpty else { continue }
            var stillRunning = Set(stuck.map(\.number))
            var failure: String?
            if fix {
                do {
                    _ = try sessions.waiting(0).lockSession(id)
                    stillRunning = Set(try database.turns(sessionID: id, state: .running).map(\.number))
                } catch {
                    failure = Self.describe(error)
                }
            }
            for turn in stuck {
                let fixed = fix && !stillRunning.contains(turn.number)
                let remedy = fixed ? "closed as interrupted: its agent's process group was stopped if it still ran, and its files were recorded"
                    : fix ? "could not close it: \(failure ?? "it is still marked running")"
                    : "`plue doctor --fix` closes it as interrupted, as the session's next command would: it stops the agent's process group "
                        + "if it still runs and records the turn's files"
                let runner = turn.runner.map { "pid \($0.pid)" } ?? "unrecorded"
                findings.append(DoctorFinding(
                    .stuckTurn, path: home.sessionPath(id), name: "\(id)/turn \(turn.number)",
                    message: "turn \(turn.number) of session \(id) is marked running since \(Timestamp.iso8601(turn.startedAt)), "
                        + "but the plue that ran it (\(runner)) is gone; until it is closed, `session delete` and `session gc` leave the session",
                    remedy: remedy, fixable: true, fixed: fixed))
            }
        }
        return findings
    }
}
