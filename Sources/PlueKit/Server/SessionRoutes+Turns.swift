import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import PlueKit
import ServiceLifecycle

/// Turns over HTTP. `POST .../turns` with `{"agent": NAME, "prompt": TEXT}` runs only an agent the
/// operator registered (`plue agent add`), never a command line from the request. It answers 202
/// Accepted with the turn as soon as the turn is recorded as running, and the agent runs on a
/// thread of its own (an agent may run for an hour: not on an event loop, nor on the small pool
/// that serves every request's database reads). The client follows it at `Location`
/// (`GET .../turns/{number}`) until its state is no longer `running`. As at the command line, the
/// turn holds its session throughout: a second turn, or any change, is refused with 503 meanwhile.
extension SessionRoutes {
    func registerTurns(on router: RouteList) {
        let limit = settings.maxBodyBytes
        on(router, .get, "/turns", scope: .readRepository) { call in
            JSONResponse.make(APIJSON.of(try await call.run { plue, id, principal in try plue.sessions.turns(id, as: principal) }))
        }
        on(router, .get, "/turns/{number}", scope: .readRepository) { call in
            let text = try call.parameter("number")
            guard let number = Int64(text), number > 0 else {
                throw PlueError.invalidInput("invalid turn number \(TerminalText.line(text)): give a number from 1")
            }
            let turn = try await call.run { plue, id, principal in try plue.sessions.turns(id, as: principal).first { $0.number == number } }
            guard let turn else {
                throw PlueError.notFound("session \(call.id) has no turn \(number); list them at .../sessions/\(call.id)/turns")
            }
            return JSONResponse.make(APIJSON.of(turn))
        }
        on(router, .post, "/turns", scope: .writeRepository) { [logger] call in
            let body = try await JSONBody.read(call.request, limit: limit, fields: ["agent", "prompt"])
            let (agent, prompt) = (try body.requiredString("agent"), try body.requiredString("prompt"))
            let (plue, id, principal) = (call.plue, call.id, call.caller.principal)
            let turn = try await TurnLauncher.start(logger: logger) { started, stopper in
                try plue.sessions.turn(id, prompt: prompt, agent: agent, as: principal, started: started, stopper: stopper)
            }
            var response = JSONResponse.make(APIJSON.of(turn), status: 202)
            response.headers[.location] = "/api/v1/repos/\(call.repository.fullName)/sessions/\(id)/turns/\(turn.number)"
            return response
        }
    }
}

/// Runs a turn on a thread of its own and hands back the turn once it is recorded as running, or
/// the error that kept it from starting (a busy session, an unknown agent). What happens after
/// that is the turn's record: its state, reply and files, which the service writes whatever ends it.
/// Each running turn is in `running`, whose `stopAll` a stopping server calls.
enum TurnLauncher {
    static let running = RunningTurns()

    static func start(logger: Logger,
                      _ run: @escaping @Sendable (_ started: @escaping (Turn) -> Void, _ stopper: ChildStopper) throws -> TurnResult) async throws -> Turn {
        let stopper = try ChildStopper()
        guard running.add(stopper) else {
            throw PlueError(.unavailable, "the server is stopping; start the turn again once it is back")
        }
        return try await withCheckedThrowingContinuation { continuation in
            let answer = Answer(continuation)
            let thread = Thread {
                defer { running.remove(stopper) }
                do {
                    let result = try run({ turn in _ = answer.give(.success(turn)) }, stopper)
                    answer.give(.success(result.turn))
                } catch {
                    if !answer.give(.failure(error)) {
                        logger.error("a turn started over HTTP ended with an error after it started: \(String(describing: error))")
                    }
                }
            }
            // An agent's turn runs Plue's own code around it (snapshots of large trees): room to spare.
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// The continuation, resumed once: by the turn's start, else by how it ended.
    private final class Answer: @unchecked Sendable {
        // @unchecked: `continuation` is read and cleared under `lock` only.
        private let lock = NIOLock()
        private var continuation: CheckedContinuation<Turn, any Error>?

        init(_ continuation: CheckedContinuation<Turn, any Error>) { self.continuation = continuation }

        /// False when the request was answered already.
        @discardableResult
        func give(_ result: Result<Turn, any Error>) -> Bool {
            guard let continuation = lock.withLock({ () -> CheckedContinuation<Turn, any Error>? in
                defer { self.continuation = nil }
                return self.continuation
            }) else { return false }
            continuation.resume(with: result)
            return true
        }
    }
}

/// The turns this server runs. When it stops, each agent is stopped (SIGTERM, then SIGKILL two
/// seconds on) and its turn recorded as interrupted with the files it left, rather than left
/// running with no one to record it; no turn starts after that.
final class RunningTurns: @unchecked Sendable {
    // @unchecked: `stoppers` and `stopping` are read and written under `lock`.
    private let lock = NIOLock()
    private var stoppers: [ObjectIdentifier: ChildStopper] = [:]
    private var stopping = false

    func add(_ stopper: ChildStopper) -> Bool {
        lock.withLock {
            guard !stopping else { return false }
            stoppers[ObjectIdentifier(stopper)] = stopper
            return true
        }
    }

    func remove(_ stopper: ChildStopper) { _ = lock.withLock { stoppers.removeValue(forKey: ObjectIdentifier(stopper)) } }

    var count: Int { lock.withLock { stoppers.count } }

    /// Stops every running turn's agent and waits until each turn is recorded.
    func stopAll() async {
        let all = lock.withLock { stopping = true; return Array(stoppers.values) }
        all.forEach { $0.stop() }
        while count > 0 { try? await Task.sleep(for: .milliseconds(50)) }
    }
}

/// Stops the running turns when the server stops (`RunningTurns.stopAll`).
struct TurnStopService: Service {
    let turns: RunningTurns

    func run() async throws {
        try? await gracefulShutdown()
        await turns.stopAll()
    }
}
