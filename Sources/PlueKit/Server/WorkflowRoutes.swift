import Foundation
import Hummingbird
import PlueKit
import ServiceLifecycle

/// Workflows under `/api/v1/repos/{owner}/{repo}/workflows` and `/runs`: definitions, manual
/// dispatch (`write:repository`), runs, a run, its logs (streamed as JSON lines while it runs with
/// `follow=true`) and cancel (`write:repository`). Reads take `read:repository`, anonymous for a
/// public repository. What the CLI's `plue workflow` does, through the same service.
struct WorkflowRoutes: RouteGroup {
    let plue: Plue
    let settings: ServerSettings

    static let workflows = "/api/v1/repos/{owner}/{repo}/workflows"
    static let runs = "/api/v1/repos/{owner}/{repo}/runs"

    func register(on router: RouteList) {
        router.routes.append(APIRoute.repository(.get, Self.workflows, scope: .readRepository, anonymous: true) { [plue] request, _, caller, repository in
            let ref = request.uri.queryParameters.get("ref")
            let principal = caller.principal
            return JSONResponse.make(APIJSON.of(try await blocking { try plue.workflows.list(repository.fullName, ref: ref, as: principal) }))
        })
        router.routes.append(APIRoute.repository(.post, Self.workflows + "/{workflow}/dispatches", scope: .writeRepository) { [plue, settings] request, context, caller, repository in
            let body = try await JSONBody.read(request, limit: settings.maxBodyBytes, allowingEmpty: true, fields: ["ref"])
            let ref = try body.string("ref")
            let workflow = context.parameters.get("workflow") ?? ""
            let principal = caller.principal
            let runs = try await blocking { try plue.workflows.dispatch(repository.fullName, workflow: workflow, ref: ref, as: principal) }
            return JSONResponse.make(APIJSON.of(runs), status: 201)
        })
        router.routes.append(APIRoute.repository(.get, Self.runs, scope: .readRepository, anonymous: true) { [plue] request, _, caller, repository in
            let page = try Paging.page(request)
            let principal = caller.principal
            let found = try await blocking { try plue.workflows.runs(repository.fullName, page: page, as: principal) }
            return Paging.response(found.items.map(APIJSON.of), of: found, for: request)
        })
        router.routes.append(APIRoute.repository(.get, Self.runs + "/{run}", scope: .readRepository, anonymous: true) { [plue] _, context, caller, repository in
            let id = try Self.runID(context)
            let principal = caller.principal
            return JSONResponse.make(APIJSON.of(try await blocking { try plue.workflows.show(id, in: repository.fullName, as: principal) }))
        })
        router.routes.append(APIRoute.repository(.get, Self.runs + "/{run}/logs", scope: .readRepository, anonymous: true) { [plue] request, context, caller, repository in
            let id = try Self.runID(context)
            let query = request.uri.queryParameters
            let job = query.get("job")
            let after = try Self.number(query.get("after"), "after") ?? 0
            let follow = try QueryFlag.value(request, "follow")
            let principal = caller.principal
            let first = try await blocking { try plue.workflows.logs(id, in: repository.fullName, job: job, after: after, as: principal) }
            guard follow else { return JSONResponse.make(APIJSON.of(first)) }
            guard let slot = Self.follows.take(for: context.remoteAddress) else {
                throw PlueError(.unavailable, "the server streams as many logs as it takes now (\(FollowSlots.limit), \(FollowSlots.limitPerAddress) to one address); "
                                + "read them without follow, or try again later")
            }
            var headers = HTTPFields()
            headers[.contentType] = "application/x-ndjson; charset=utf-8"
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                defer { Self.follows.release(slot) }
                // The server's stop ends the stream at once rather than wait out --stop-timeout.
                let ending = RunnerStop()
                try await withGracefulShutdownHandler {
                    try await Self.stream(&writer, id: id, job: job, after: after, first: first, principal: principal, plue: plue, ending: ending)
                } onGracefulShutdown: {
                    ending.stop()
                }
            })
        })

        router.routes.append(APIRoute.repository(.post, Self.runs + "/{run}/cancel", scope: .writeRepository) { [plue] _, context, caller, repository in
            let id = try Self.runID(context)
            let principal = caller.principal
            return JSONResponse.make(APIJSON.of(try await blocking { try plue.workflows.cancel(id, in: repository.fullName, as: principal) }))
        })
    }

    /// Writes a run's log lines as JSON lines until the run has finished, ten minutes have
    /// passed, or the server stops.
    private static func stream(_ writer: inout any ResponseBodyWriter, id: Int64, job: String?, after: Int64, first: [WorkflowLogLine],
                               principal: Principal, plue: Plue, ending: RunnerStop) async throws {
        // One JSON object a line, as the job writes them, until the run has finished, or
        // for ten minutes at most: a client follows on with `after` (a stream per run left
        // open for ever would hold the server's stop and its pool's time).
        var lines = first
        var last = after
        let deadline = ContinuousClock.now + .seconds(600)
        var lastWrite = ContinuousClock.now
        while ContinuousClock.now < deadline && !Self.follows.stopping && !ending.isStopped {
            if let newest = lines.last { last = newest.id }
            if !lines.isEmpty {
                let text = lines.map { APIJSON.of($0).rendered().replacingOccurrences(of: "\n", with: "") + "\n" }.joined()
                try await writer.write(ByteBuffer(string: text))
                lastWrite = ContinuousClock.now
            } else if ContinuousClock.now - lastWrite > .seconds(5) {
                // A blank line now and then while nothing comes: a client that went away is
                // noticed by the failed write, and its slot freed.
                try await writer.write(ByteBuffer(string: "\n"))
                lastWrite = ContinuousClock.now
            }
            let from = last
            let (finished, next) = try await blocking {
                let finished = try plue.workflows.show(id, as: principal).status.isFinished
                return (finished, try plue.workflows.logs(id, job: job, after: from, as: principal))
            }
            lines = next
            if finished && next.isEmpty { break }
            if next.isEmpty { try await Task.sleep(for: .milliseconds(500)) }
        }
        try await writer.finish(nil)
    }

    /// Log streams open at once, for the whole server: each polls the database twice a second.
    static let follows = FollowSlots()

    private static func runID(_ context: PlueRequestContext) throws -> Int64 {
        let text = context.parameters.get("run") ?? ""
        guard let id = Int64(text), id > 0 else {
            throw PlueError.invalidInput("invalid run id \(TerminalText.line(text)): give the number `workflow runs` shows")
        }
        return id
    }

    private static func number(_ text: String?, _ name: String) throws -> Int64? {
        guard let text else { return nil }
        guard let value = Int64(text), value >= 0 else { throw PlueError.usage("\(name) must be a whole number from 0") }
        return value
    }
}

final class FollowSlots: @unchecked Sendable {
    // @unchecked: `open`, `byAddress` and `stopped` are read and written under `lock`.
    static let limit = 64
    /// From one address (an IPv6 /64): a quarter, so that one client cannot hold them all.
    static let limitPerAddress = limit / 4
    private let lock = NSLock()
    private var open = 0
    private var byAddress: [String: Int] = [:]
    private var stopped = false

    /// The server is stopping: streams end (a client follows on with `after` from another server).
    var stopping: Bool { lock.withLock { stopped } }
    func stop() { lock.withLock { stopped = true } }

    /// A slot for a stream to `address`, or nil when the server's or the address's are all taken.
    func take(for address: String) -> String? {
        let key = FailedLoginLimiter.key(address)
        return lock.withLock {
            guard open < Self.limit, byAddress[key, default: 0] < Self.limitPerAddress else { return nil }
            open += 1
            byAddress[key, default: 0] += 1
            return key
        }
    }

    func release(_ key: String) {
        lock.withLock {
            open -= 1
            byAddress[key, default: 1] -= 1
            if byAddress[key] == 0 { byAddress[key] = nil }
        }
    }
}
