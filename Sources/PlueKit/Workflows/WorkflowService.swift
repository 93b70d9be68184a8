import Foundation

/// Workflows of a repository: their definitions at a commit, their runs, logs and cancellation,
/// manual dispatch, and the branch rules that make the landing queue wait for them. Reads need
/// read access to the repository, dispatch and cancel need write, protection rules admin; a run
/// of a repository the caller may not see is "not found".
public struct WorkflowService: Sendable {
    let home: PlueHome
    let database: AppDatabase
    let repositories: RepositoryService
    let authorizer: Authorizer
    let warnings: WarningSink

    /// The workflow files at `ref` (the default branch when nil), parse errors included.
    public func list(_ fullName: String, ref: String? = nil, as principal: Principal) throws -> [WorkflowFile] {
        let repository = try authorizer.repository(fullName, as: principal, needs: .read)
        let (git, commit) = try repositories.visibleCommit(repository, ref)
        return try Self.files(in: git, at: commit)
    }

    /// The files of `.plue/workflows/` ending in .yml or .yaml, by name. A symlink or a folder
    /// there is reported as a file that does not parse.
    static func files(in git: GitRepository, at commit: String) throws -> [WorkflowFile] {
        let entries: [GitTreeEntry]
        do {
            entries = try git.treeEntries(at: commit, path: Workflow.directory)
        } catch let error as PlueError where error.code == .notFound || error.code == .invalidInput {
            return []
        }
        return entries.filter { $0.name.hasSuffix(".yml") || $0.name.hasSuffix(".yaml") }
            .sorted { $0.name < $1.name }
            .map { entry in
                guard entry.type == "blob", entry.mode == "100644" || entry.mode == "100755" else {
                    return WorkflowFile(path: entry.path, result: .failure(WorkflowError(
                        path: entry.path, line: nil, reason: "not a regular file (a \(entry.mode == "120000" ? "symlink" : entry.type)); a workflow must be a file")))
                }
                if let size = entry.size, size > Int64(WorkflowParser.maxBytes) {
                    return WorkflowFile(path: entry.path, result: .failure(WorkflowError(
                        path: entry.path, line: nil, reason: "the file is \(size) bytes; a workflow may have at most \(WorkflowParser.maxBytes)")))
                }
                // One file git cannot hand back (a name that is not UTF-8) is that file's failure,
                // not the push's: the other workflows still run.
                do {
                    return WorkflowFile(path: entry.path, result: WorkflowParser.parse(try git.blob(at: commit, path: entry.path), path: entry.path))
                } catch {
                    return WorkflowFile(path: entry.path, result: .failure(WorkflowError(
                        path: entry.path, line: nil, reason: "cannot read the file: \((error as? PlueError)?.message ?? String(describing: error))")))
                }
            }
    }

    /// Starts `workflow` (a name or a file), or every workflow with a `manual` trigger when nil, at
    /// `ref` (the default branch when nil). Needs write.
    public func dispatch(_ fullName: String, workflow: String?, ref: String? = nil, as principal: Principal) throws -> [WorkflowRun] {
        let repository = try authorizer.repository(fullName, as: principal, needs: .write)
        let (git, commit) = try repositories.visibleCommit(repository, ref)
        let refName = try Self.refName(ref, repository: repository, git: git)
        let files = try Self.files(in: git, at: commit)
        let chosen: [WorkflowFile]
        if let workflow {
            let file: WorkflowFile
            switch Self.named(workflow, in: files) {
            case .found(let named): file = named
            case .missing:
                throw PlueError.notFound("no workflow named '\(workflow)' in \(Workflow.directory) at \(ref ?? repository.defaultBranch)",
                                         hint: "list them with `plue workflow list \(fullName)`")
            case .ambiguous(let reason):
                throw PlueError.invalidInput(reason, hint: "name the workflow by its file, as `plue workflow list \(fullName)` shows it")
            }
            if let parsed = file.workflow, !parsed.on.manual {
                throw PlueError.invalidInput("workflow '\(parsed.name)' cannot be started by hand: its 'on' has no 'manual'",
                                             hint: "add `manual: {}` under `on:` in \(file.path)")
            }
            chosen = [file]
        } else {
            chosen = files.filter { $0.workflow?.on.manual ?? false }
            guard !chosen.isEmpty else {
                throw PlueError.notFound("no workflow at \(ref ?? repository.defaultBranch) has a 'manual' trigger")
            }
        }
        let requester: Int64? = if case .user(let user) = principal { user.id } else { nil }
        var runs: [WorkflowRun] = []
        for file in chosen {
            var run = Self.newRun(file, event: .manual, ref: refName, commit: commit)
            run.requestedBy = requester
            let id = try database.createRun(repositoryID: repository.id, run, at: Date())
            if let created = try database.workflowRun(id: id)?.run { runs.append(created) }
        }
        return runs
    }

    enum Lookup { case found(WorkflowFile), missing, ambiguous(String) }

    /// The one file `name` names: its `name:`, its file name with or without the extension, or
    /// its path; or why not (none does, or two files answer to it).
    static func named(_ name: String, in files: [WorkflowFile]) -> Lookup {
        let found = files.filter {
            $0.name == name || WorkflowFile.stem(of: $0.path) == name || $0.path == name || $0.path == Workflow.directory + "/" + name
        }
        guard found.count <= 1 else {
            return .ambiguous("\(found.count) workflow files answer to '\(name)' (\(found.map(\.path).joined(separator: ", "))); give each its own name")
        }
        return found.first.map { .found($0) } ?? .missing
    }

    static func newRun(_ file: WorkflowFile, event: WorkflowEvent, ref: String, commit: String) -> NewWorkflowRun {
        var run = NewWorkflowRun(workflowPath: file.path, workflowName: file.name, event: event, ref: ref, commit: commit)
        switch file.result {
        case .success(let workflow):
            run.workflowEnv = workflow.env
            run.jobs = workflow.jobs
        case .failure(let error):
            run.error = error.description
        }
        return run
    }

    private static func refName(_ ref: String?, repository: Repository, git: GitRepository) throws -> String {
        guard let ref, ref != "HEAD" else { return "refs/heads/" + repository.defaultBranch }
        if ref.hasPrefix("refs/") { return ref }
        if try git.referenceTarget("refs/heads/" + ref) != nil { return "refs/heads/" + ref }
        if try git.referenceTarget("refs/tags/" + ref) != nil { return "refs/tags/" + ref }
        return ref
    }

    public func runs(_ fullName: String, page: Page, as principal: Principal) throws -> Paged<WorkflowRun> {
        let repository = try authorizer.repository(fullName, as: principal, needs: .read)
        let (runs, total) = try database.workflowRuns(repositoryID: repository.id, fullName: repository.fullName,
                                                      hiding: try authorizer.hiddenLandEntries(of: repository, as: principal),
                                                      limit: page.size, offset: page.offset)
        return Paged(items: runs, total: total, page: page)
    }

    /// A run the caller may see with `needs`, or not found; `fullName`, when given, must be its repository.
    /// A run checking a session's land is the session's, seen as its land entry is.
    public func show(_ id: Int64, in fullName: String? = nil, as principal: Principal, needs: Permission = .read) throws -> WorkflowRun {
        let missing = PlueError.notFound("no workflow run \(id)", hint: "list runs with `plue workflow runs OWNER/NAME`")
        guard let (run, _) = try database.workflowRun(id: id) else { throw missing }
        if let fullName, fullName.lowercased() != run.repository.lowercased() { throw missing }
        do {
            _ = try authorizer.repository(run.repository, as: principal, needs: needs)
            if let entry = run.landEntryID { _ = try authorizer.landEntry(entry, as: principal) }
        } catch let error as PlueError where error.code == .notFound {
            throw missing
        }
        return run
    }

    /// Up to `limit` log lines after `after`, oldest first.
    public func logs(_ id: Int64, in fullName: String? = nil, job: String? = nil, after: Int64 = 0, limit: Int = 1000,
                     as principal: Principal) throws -> [WorkflowLogLine] {
        let run = try show(id, in: fullName, as: principal)
        if let job, !run.jobs.contains(where: { $0.key == job }) {
            throw PlueError.notFound("run \(id) has no job '\(job)'", hint: "its jobs: \(run.jobs.map(\.key).joined(separator: ", "))")
        }
        return try database.workflowLogs(runID: id, job: job, afterID: after, limit: max(1, min(limit, 1_000_000)))
    }

    /// Cancels a queued or running run: queued jobs at once, running steps within seconds (their
    /// runner sees the request at its next lease renewal and stops them). Needs write.
    public func cancel(_ id: Int64, in fullName: String? = nil, as principal: Principal) throws -> WorkflowRun {
        let run = try show(id, in: fullName, as: principal, needs: .write)
        guard try database.cancelWorkflowRun(id: id, at: Date()) else {
            throw PlueError(.failed, "run \(id) has finished (\(run.status.rawValue)); there is nothing to cancel")
        }
        return try show(id, as: principal)
    }

    // MARK: Branch protection

    /// Makes landing on `branch` wait for `workflows` (names) to succeed on the land's result; an
    /// empty list lifts the rule. Needs admin on the repository.
    public func protect(_ fullName: String, branch: String, require workflows: [String], as principal: Principal) throws -> BranchProtection {
        let repository = try authorizer.repository(fullName, as: principal, needs: .admin)
        let branch = try Validation.branchName(branch)
        for workflow in workflows where workflow.isEmpty || workflow.utf8.count > 255
            || workflow.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw PlueError.invalidInput("'\(workflow)' is not a workflow name")
        }
        try database.setRequiredWorkflows(repositoryID: repository.id, branch: branch, workflows: workflows)
        return BranchProtection(repository: repository.fullName, branch: branch, requiredWorkflows: Array(Set(workflows)).sorted())
    }

    public func protection(_ fullName: String, as principal: Principal) throws -> [BranchProtection] {
        let repository = try authorizer.repository(fullName, as: principal, needs: .read)
        return try database.branchProtection(repositoryID: repository.id).map {
            BranchProtection(repository: repository.fullName, branch: $0.branch, requiredWorkflows: $0.workflows)
        }
    }
}

public struct BranchProtection: Sendable, Equatable, JSONRepresentable {
    public let repository: String
    public let branch: String
    public let requiredWorkflows: [String]

    public var json: JSON {
        .object([("repository", .string(repository)), ("branch", .string(branch)),
                 ("requiredWorkflows", .array(requiredWorkflows.map(JSON.string)))])
    }
}

extension RepositoryService {
    /// The commit `ref` names (the default branch when nil), if a ref outside refs/plue/ reaches it.
    func visibleCommit(_ repository: Repository, _ ref: String?) throws -> (GitRepository, String) {
        try reading(repository, ref) { git, revision in (git, try git.commitID(of: revision)) }
    }
}
