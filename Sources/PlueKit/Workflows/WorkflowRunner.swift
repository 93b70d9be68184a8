import Foundation

/// Takes jobs from the queue and runs them, one at a time per call of `runNext`; `plue runner`
/// and `plue serve` run several on threads of their own. A claimed job's lease is renewed every
/// second on a thread of its own, which also brings the run's cancellation to the running step.
public struct WorkflowRunner: Sendable {
    let home: PlueHome
    let database: AppDatabase
    let repositories: RepositoryService
    public let account: RunnerAccount
    /// Unique among runners of this home: host, process and worker.
    public let id: String
    public let leaseSeconds: Double
    public let stop: RunnerStop
    /// A job whose runner died this many times is failed rather than tried again.
    static let maxAttempts = 3

    /// Claims the oldest ready job and runs it to its end; false when none was ready.
    public func runNext(onlyRuns: [Int64]? = nil, report: (String) -> Void = { _ in }) throws -> Bool {
        let lease = Int64(leaseSeconds * 1000)
        JobWorkspace.removeStale(in: home.jobsPath) { id, attempt in try database.jobIsRunning(id: id, attempt: attempt) }
        guard !stop.isStopped,
              let job = try database.claimJob(runner: id, leaseMilliseconds: lease, maxAttempts: Self.maxAttempts, onlyRuns: onlyRuns, at: Date())
        else { return false }
        report("job \(job.id) (\(job.key) of run \(job.runID), \(job.repository) at \(job.commit.prefix(12))): started, attempt \(job.attempt)")
        let control = JobControl(runner: stop)
        let renewer = Thread { renewLease(job, control: control, lease: lease) }
        renewer.start()
        defer { control.finish() }
        let (status, reason) = execute(job, control: control)
        if control.leaseLost {
            report("job \(job.id): its lease was lost; another runner has it")
        } else if stop.isStopped && status == .cancelled && !control.cancelled {
            // Stopping, not cancelled: the job goes back to the queue for the next runner.
            try database.releaseJob(jobID: job.id, runner: id)
            report("job \(job.id): handed back to the queue (this runner is stopping)")
        } else {
            try database.finishJob(jobID: job.id, runner: id, status: status, reason: reason, at: Date())
            report("job \(job.id): \(status.rawValue)\(reason.isEmpty ? "" : " (\(reason))")")
        }
        return true
    }

    private func renewLease(_ job: ClaimedJob, control: JobControl, lease: Int64) {
        while !control.finished {
            usleep(useconds_t(min(1.0, leaseSeconds / 3) * 1_000_000))
            if control.finished { return }
            let held: Bool?
            do {
                held = try database.renewLease(jobID: job.id, runner: id, leaseMilliseconds: lease, at: Date())
            } catch {
                // A busy database: try again at the next tick; the lease has room for several.
                continue
            }
            // nil: the lease expired and the job was taken back.
            guard let cancelled = held else { control.loseLease(); return }
            if cancelled { control.cancel() }
        }
    }

    /// The job's steps in order, and its outcome.
    private func execute(_ job: ClaimedJob, control: JobControl) -> (WorkflowStatus, String) {
        let log = JobLog(database: database, jobID: job.id, attempt: job.attempt)
        defer { log.flush() }
        let workspace: JobWorkspace
        do {
            let repository = try repositories.lookup(job.repository)
            log.note(0, "[plue] checking out \(job.commit) of \(job.repository) as \(account.name)")
            workspace = try JobWorkspace.create(in: home.jobsPath, for: job, gitDirectory: repository.path, account: account)
        } catch {
            log.note(0, "[plue] \(error)")
            return (.failure, "the job could not start: \((error as? PlueError)?.message ?? String(describing: error))")
        }
        defer { workspace.remove() }
        let definition = job.definition
        let deadline = Date().addingTimeInterval(definition.job.timeoutMinutes * 60)
        let hidden = hiddenHome()
        var failedStep: Int?
        for (index, step) in definition.job.steps.enumerated() {
            let position = index + 1
            try? database.startStep(jobID: job.id, runner: id, position: position, at: Date())
            log.note(position, "[plue] step \(position): \(step.name)")
            let stepDeadline = step.timeoutMinutes.map { min(deadline, Date().addingTimeInterval($0 * 60)) } ?? deadline
            let environment = self.environment(job, workspace: workspace, step: step)
            let (program, arguments, spawnEnvironment) = workspace.command(
                position: position, directory: step.workingDirectory, environment: environment, hiding: hidden)
            let end: StepEnd
            do {
                end = try StepProcess.run(program, arguments, environment: spawnEnvironment, deadline: stepDeadline,
                                          control: control, log: log, step: position)
            } catch {
                log.note(position, "[plue] \(error)")
                end = .exited(127)
            }
            switch end {
            case .exited(let code):
                let ok = code == 0
                try? database.finishStep(jobID: job.id, runner: id, position: position, status: ok ? .success : .failure,
                                         exitCode: code, at: Date())
                log.note(position, "[plue] step \(position) exited with \(code)" + (ok || !step.continueOnError ? "" : "; continue-on-error"))
                if !ok && !step.continueOnError {
                    failedStep = position
                }
            case .timedOut:
                try? database.finishStep(jobID: job.id, runner: id, position: position, status: .timedOut, exitCode: nil, at: Date())
                let limit = step.timeoutMinutes != nil && stepDeadline < deadline ? "the step's" : "the job's"
                log.note(position, "[plue] step \(position) stopped: \(limit) time limit passed")
                return (.timedOut, "step \(position) (\(step.name)) ran past \(limit) time limit")
            case .cancelled, .stopping:
                try? database.finishStep(jobID: job.id, runner: id, position: position, status: .cancelled, exitCode: nil, at: Date())
                log.note(position, "[plue] step \(position) stopped: " + (end == .cancelled ? "the run was cancelled" : "the runner is stopping"))
                return (.cancelled, end == .cancelled ? "cancelled while step \(position) ran" : "the runner stopped")
            case .leaseLost:
                return (.failure, "the lease was lost")
            }
            if failedStep != nil { break }
        }
        if let failedStep {
            return (.failure, "step \(failedStep) (\(definition.job.steps[failedStep - 1].name)) failed")
        }
        return (.success, "")
    }

    /// What a step sees: an allow-list of the runner's (PATH, language, time zone), its own HOME
    /// and TMPDIR, CI and PLUE_* describing the run, then the workflow's, job's and step's `env`.
    private func environment(_ job: ClaimedJob, workspace: JobWorkspace, step: Workflow.Step) -> [String] {
        var entries: [(String, String)] = [
            ("HOME", workspace.home), ("TMPDIR", workspace.temporary), ("USER", account.name), ("LOGNAME", account.name),
            ("CI", "true"), ("PLUE_REPOSITORY", job.repository), ("PLUE_SHA", job.commit), ("PLUE_REF", job.ref),
            ("PLUE_EVENT", job.event.rawValue), ("PLUE_RUN_ID", String(job.runID)), ("PLUE_JOB", job.key),
            ("PLUE_WORKSPACE", workspace.checkout),
        ]
        for entry in job.definition.workflowEnv + job.definition.job.env + step.env {
            entries.removeAll { $0.0 == entry.name }
            entries.append((entry.name, entry.value))
        }
        let inherited = ChildEnvironment.build(allowing: ["PATH", "LANG", "LANGUAGE", "TZ"])
            .filter { entry in !entries.contains { entry.hasPrefix($0.0 + "=") } }
        return inherited + entries.map { $0.0 + "=" + $0.1 }
    }

    /// The home's real path, to be covered in a step's sandbox; nil when the sandbox's own /tmp
    /// and /var/tmp cover it already (a home under either).
    private func hiddenHome() -> String? {
        guard account.sandboxed else { return nil }
        let real = realpath(home.root, nil).map { pointer in defer { free(pointer) }; return String(cString: pointer) } ?? home.root
        for covered in ["/tmp", "/var/tmp"] where real == covered || real.hasPrefix(covered + "/") { return nil }
        return real
    }
}

extension PlueHome {
    /// Where runners make each job's folder.
    public var jobsPath: String { root + "/jobs" }
}
