import Foundation

/// The workflow machinery of one process: the trigger (push events into queued runs, checked
/// every 100 ms) and `concurrency` runner threads. `plue runner` runs one; `plue serve` runs one
/// beside the HTTP server. Returns when `stop` is set, or with `once` when no job is left to run.
public struct RunnerPool: Sendable {
    public let plue: Plue
    /// nil: only the trigger runs (a server with no runner account).
    public let account: RunnerAccount?
    public let concurrency: Int
    public let leaseSeconds: Double
    public let stop: RunnerStop

    public init(plue: Plue, account: RunnerAccount?, concurrency: Int, leaseSeconds: Double, stop: RunnerStop) {
        (self.plue, self.account, self.concurrency, self.leaseSeconds, self.stop) = (plue, account, concurrency, leaseSeconds, stop)
    }

    public func run(once: Bool, report: @escaping @Sendable (String) -> Void) {
        let wakeup = NSCondition()
        let trigger: @Sendable () -> Int = {
            do {
                return try plue.workflows.triggerPushedWorkflows()
            } catch {
                report("the workflow trigger: \(error)")
                return 0
            }
        }
        if once { _ = trigger() }
        let group = DispatchGroup()
        if !once {
            group.enter()
            Thread {
                defer { wakeup.broadcast(); group.leave() }
                while !stop.isStopped {
                    if trigger() > 0 { wakeup.broadcast() }
                    usleep(100_000)
                }
            }.start()
        }
        if let account {
            for index in 0..<concurrency {
                let runner = plue.runner(account: account, index: index, leaseSeconds: leaseSeconds, stop: stop)
                group.enter()
                Thread {
                    defer { group.leave() }
                    while !stop.isStopped {
                        let ran: Bool
                        do {
                            ran = try plue.workflows.database.hasClaimableJob(at: Date()) ? try runner.runNext(report: report) : false
                        } catch {
                            report("runner \(runner.id): \(error)")
                            ran = false
                        }
                        if ran { continue }
                        if once {
                            // Jobs still running elsewhere may free others that need them.
                            if (try? plue.workflows.database.queuedJobCount()) ?? 0 == 0 { return }
                        }
                        wakeup.lock()
                        _ = wakeup.wait(until: Date().addingTimeInterval(0.1))
                        wakeup.unlock()
                    }
                }.start()
            }
        }
        group.wait()
    }
}
