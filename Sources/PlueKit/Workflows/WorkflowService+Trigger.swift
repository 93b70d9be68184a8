import Foundation

extension WorkflowService {
    /// Turns the push events recorded since the last call into queued runs: for each ref a push
    /// created or moved, every workflow file at the new commit whose `push` filters match (and a
    /// failed run for each file that does not parse). The runs and the trigger's cursor move in one
    /// transaction, so a trigger killed at any point starts each push's runs exactly once, and two
    /// triggers on one home (a server and a runner) never both do. Returns how many runs it created.
    @discardableResult
    public func triggerPushedWorkflows(batch: Int = 100) throws -> Int {
        var created = 0
        while true {
            let (cursor, events) = try database.pushEventsForWorkflows(limit: batch)
            guard let last = events.last else { return created }
            var runs: [NewWorkflowRun] = []
            for event in events {
                do {
                    runs += try pushRuns(event.id, repositoryID: event.repositoryID, event.update)
                } catch {
                    // A repository deleted since, or one git cannot read: its push starts nothing,
                    // and the others go on.
                    warnings.emit("warning: workflows of push event \(event.id): \(error)")
                }
            }
            guard try database.recordTriggeredRuns(runs, from: cursor, through: last.id, at: Date()) else {
                // Another trigger took these events; read on from where it left the cursor.
                continue
            }
            created += runs.count
            if events.count < batch { return created }
        }
    }

    private func pushRuns(_ eventID: Int64, repositoryID: Int64, _ update: RefUpdate) throws -> [NewWorkflowRun] {
        guard !update.isDelete, update.ref.hasPrefix("refs/heads/") || update.ref.hasPrefix("refs/tags/") else { return [] }
        guard let fullName = try database.repositoryFullName(id: repositoryID) else { return [] }
        let repository = try repositories.lookup(fullName)
        let git = try repositories.openGit(repository)
        // An annotated tag's commit.
        let commit = try git.commitID(of: update.newCommit)
        let files = try Self.files(in: git, at: commit)
        guard !files.isEmpty else { return [] }
        guard let head = try git.log(from: commit, limit: 1).first else { return [] }
        if Self.asksToSkip(head.message) { return [] }
        var changed: [String]??
        var runs: [NewWorkflowRun] = []
        for file in files {
            if let workflow = file.workflow {
                guard let filter = workflow.on.push else { continue }
                // Changed paths matter only to a paths filter on a branch; nil (not known, as after
                // a force push from a commit git no longer has) filters nothing.
                var paths: [String]?
                if filter.filtersPaths && update.ref.hasPrefix("refs/heads/") {
                    if changed == nil {
                        // Trees compared: a new branch's files all count as changed; an old commit
                        // git no longer has (a force push over it) leaves the changes unknown.
                        let oldTree: String?? = update.isCreate ? .some(nil) : (try? git.log(from: update.oldCommit, limit: 1).first?.tree).map { .some($0) }
                        if case .some(let from) = oldTree {
                            changed = .some(try? git.diffFiles(from: from, to: head.tree).flatMap { [$0.path] + ($0.oldPath.map { [$0] } ?? []) })
                        } else {
                            changed = .some(nil)
                        }
                    }
                    paths = changed ?? nil
                }
                guard filter.matches(ref: update.ref, changedPaths: paths) else { continue }
            }
            var run = Self.newRun(file, event: .push, ref: update.ref, commit: commit)
            run.pushEventID = eventID
            runs.append(run)
        }
        return runs
    }

    /// `[skip ci]` (or `[ci skip]`) in the head commit's message, as on GitHub and GitLab.
    static func asksToSkip(_ message: String) -> Bool {
        let lowered = message.lowercased()
        return lowered.contains("[skip ci]") || lowered.contains("[ci skip]")
    }

    /// Creates the `land` runs of the required workflows on a land's result; returns their ids.
    /// A required workflow missing from the result gets a failed run that says so.
    func startLandRuns(_ repository: Repository, git: GitRepository, entryID: Int64, target: String, result: String,
                       required: [String]) throws -> [Int64] {
        let files = try Self.files(in: git, at: result)
        var ids: [Int64] = []
        for name in required {
            let ref = "refs/plue/land/\(entryID)"
            var run: NewWorkflowRun
            switch Self.named(name, in: files) {
            case .found(let file):
                run = Self.newRun(file, event: .land, ref: ref, commit: result)
            case .missing, .ambiguous:
                // Missing or ambiguous: the requirement cannot be met, so the land fails rather
                // than pass on a file that only shares the name.
                run = NewWorkflowRun(workflowPath: "\(Workflow.directory)/\(name).yml", workflowName: name, event: .land, ref: ref,
                                     commit: result)
                if case .ambiguous(let reason) = Self.named(name, in: files) {
                    run.error = "\(target) requires workflow '\(name)': \(reason)"
                } else {
                    run.error = "\(target) requires workflow '\(name)', but the land's result has no workflow of that name in \(Workflow.directory)"
                }
            }
            run.landEntryID = entryID
            ids.append(try database.createRun(repositoryID: repository.id, run, at: Date()))
        }
        return ids
    }
}
