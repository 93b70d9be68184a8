import Logging
import PlueKit
import ServiceLifecycle

/// The landing queue inside the server: every `interval`, one pass over each queue with waiting
/// entries (`LandingService.runWaiting`), as the operator, so that a single `plue serve` is the
/// whole forge. At shutdown it stops waiting; a land under way finishes first.
struct LandingQueueService: Service {
    let plue: Plue
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let plue = plue, logger = logger
                    try await blocking {
                        try plue.landing.runWaiting(as: .operator) { entry in
                            logger.info("land entry \(entry.id) of \(entry.repository): \(entry.state.rawValue)")
                        }
                    }
                } catch {
                    logger.error("the landing queue: \(String(describing: error))")
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
