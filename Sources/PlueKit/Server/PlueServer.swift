import Dispatch
import Glibc
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import PlueKit

/// `plue serve`: one process that answers the HTTP API over a home opened in server mode.
public struct PlueServer: Sendable {
    let plue: Plue
    let settings: ServerSettings
    let logger: Logger
    let connections: ConnectionLimit

    public init(plue: Plue, settings: ServerSettings, logger: Logger) {
        self.plue = plue
        self.settings = settings
        self.logger = logger
        connections = ConnectionLimit(total: settings.maxConnections, logger: logger)
    }

    /// Serves until SIGTERM or SIGINT, then finishes the requests in flight and returns.
    /// `onListening` gets the address actually bound (port 0 takes a free one).
    public func run(onListening: @escaping @Sendable (String) -> Void) throws {
        let router = makeRouter()
        let logger = self.logger
        let connections = self.connections
        OpenFileLimit.raise(toServe: settings, logger: logger)
        // Turns a server killed outright left marked running: their agents may still be writing.
        let abandoned = plue.sessions.closeAbandonedTurns()
        if abandoned > 0 { logger.warning("closed the turns of \(abandoned) session(s) left running by a server that was killed") }
        let app = Application(
            router: router,
            server: .http1(configuration: .init(
                additionalChannelHandlers: [connections.makeGuard(),
                                            SlowBodyGuard(grace: .seconds(settings.idleTimeoutSeconds),
                                                          minimumBytesPerSecond: ServerSettings.minimumBodyBytesPerSecond, logger: logger)],
                idleTimeout: .seconds(settings.idleTimeoutSeconds))),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "plue"),
            services: [LandingQueueService(plue: plue, interval: .milliseconds(settings.landIntervalMilliseconds), logger: logger),
                       WorkflowRunnerService(plue: plue, settings: settings, logger: logger),
                       TurnStopService(turns: TurnLauncher.running)],
            onServerRunning: { channel in
                let address = channel.localAddress
                let host = address?.ipAddress ?? "?"
                let shown = host.contains(":") ? "[\(host)]" : host
                onListening("http://\(shown):\(address?.port ?? 0)")
            },
            logger: logger
        )
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let deadline = StopDeadline(seconds: settings.stopTimeoutSeconds, logger: logger)
        defer { withExtendedLifetime(deadline) {} }
        Task {
            do {
                try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
            } catch {
                outcome.error = error
            }
            done.signal()
        }
        done.wait()
        if let error = outcome.error {
            if let error = error as? PlueError { throw error }
            throw PlueError(.unavailable, "plue serve stopped: \(error); check that \(settings.host):\(settings.port) is free and this account may listen on it")
        }
    }
}

extension PlueServer {
    /// The request log and every route of `Routes`' table, registered from it: what `run` serves,
    /// and what a test holds against the OpenAPI document.
    func makeRouter() -> Router<PlueRequestContext> {
        // HEAD wherever GET: the same answer without its body, as HTTP servers give.
        let router = Router(context: PlueRequestContext.self, options: .autoGenerateHeadEndpoints)
        let fetchCache = FetchCache(capacity: settings.fetchCacheBytes)
        let metrics = Metrics(connections: connections, fetchCache: fetchCache)
        router.add(middleware: RequestLogMiddleware(logger: logger, metrics: metrics, home: plue.home.root))
        let gate = Gate(plue: plue, limiter: FailedLoginLimiter(limit: settings.maxFailedAuthPerMinute), clock: { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 })
        let slots = GitRequestSlots(total: settings.maxGitRequests)
        Routes(plue: plue, settings: settings, metrics: metrics, logger: logger, slots: slots).register(on: router, gate: gate)
        // git's own protocol, outside the API's table and document (the git routes answer git).
        GitHTTPRoutes(plue: plue, gate: gate, settings: settings, logger: logger, slots: slots, fetchCache: fetchCache).register(on: router)
        // Last, so that it wraps the router's "no route" only.
        router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes))
        return router
    }
}

/// How the server's task ended, handed back to the waiting thread.
private final class Outcome: @unchecked Sendable {
    private let lock = NIOLock()
    private var stored: (any Error)?
    var error: (any Error)? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// Once SIGTERM or SIGINT came, the server has `seconds` to finish the requests in flight (the
/// graceful stop waits for each), then exits 1 with those cut off. The service group handles the
/// signal too; this only watches the clock.
private final class StopDeadline: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    init(seconds: Int64, logger: Logger) {
        let fired = NIOLockedValueBox(false)
        sources = [SIGTERM, SIGINT].map { signal in
            let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
            source.setEventHandler {
                guard fired.withLockedValue({ let first = !$0; $0 = true; return first }) else { return }
                DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(Int(seconds))) {
                    logger.warning("stopping now: requests still in flight \(seconds) seconds after the signal are cut off")
                    exit(1)
                }
            }
            source.resume()
            return source
        }
    }

    deinit { sources.forEach { $0.cancel() } }
}
