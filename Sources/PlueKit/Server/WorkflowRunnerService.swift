import Foundation
import Logging
import PlueKit
import ServiceLifecycle

/// Workflows inside the server: the trigger that turns push events into runs, and `--runners`
/// runner threads when an account for steps was given (`--runner-account`, or
/// `--runner-same-account`); without one, jobs wait for a `plue runner`. At shutdown the runners
/// hand their running jobs back to the queue.
struct WorkflowRunnerService: Service {
    let plue: Plue
    let settings: ServerSettings
    let logger: Logger

    func run() async throws {
        var account: RunnerAccount?
        if settings.runners > 0 && (settings.runnerAccount != nil || settings.runnerSameAccount) {
            let (resolved, warnings) = try RunnerAccount.resolve(as: settings.runnerAccount, sameAccount: settings.runnerSameAccount, home: plue.home)
            for warning in warnings { logger.warning("\(warning)") }
            account = resolved
        } else {
            logger.info("no runner account: workflow jobs wait for `plue runner` (or start plue serve with --runner-account)")
        }
        let stop = RunnerStop()
        let pool = RunnerPool(plue: plue, account: account, concurrency: max(settings.runners, 1), leaseSeconds: 30, stop: stop)
        let logger = self.logger
        // A thread of its own, not NIO's pool: the runners hold it for the server's whole life.
        // Stopped on a graceful stop and on cancellation too: when the HTTP server cannot bind,
        // the service group cancels its services, and a pool still running would hold the
        // process up forever with nothing listening.
        await withTaskCancellationOrGracefulShutdownHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                Thread {
                    pool.run(once: false) { line in logger.info("\(line)") }
                    done.resume()
                }.start()
            }
        } onCancelOrGracefulShutdown: {
            stop.stop()
            // Log streams too: they would hold the server's stop until --stop-timeout.
            WorkflowRoutes.follows.stop()
        }
    }
}
