import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import PlueKit

/// Outermost: turns every error into the API's JSON error body, then writes one log line per
/// request (method, path without its query, status, duration, token id). The query is left out
/// because a client may put a secret there; the path alone names the route.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = PlueRequestContext
    let logger: Logger
    let metrics: Metrics
    /// The home's folder, which no error message shows a client.
    let home: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        // The router's "no route" (an HTTPError 404, where routes throw PlueErrors) is counted
        // under one label, whatever path was asked for.
        var unmatched = false
        do {
            response = try await next(request, context)
        } catch {
            if let error = error as? HTTPError, error.status == .notFound { unmatched = true }
            response = APIError.response(for: error, method: request.method.rawValue, path: request.uri.path, home: home)
            if APIError.isUnexpected(error) {
                logger.error("request failed: \(String(describing: error))", metadata: ["path": .string(TerminalText.line(Redaction.requestPath(request.uri.path)))])
            }
        }
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        metrics.record(method: request.method.rawValue, route: unmatched ? "unmatched" : context.endpointPath ?? "unmatched",
                       status: Int(response.status.code), seconds: milliseconds / 1000)
        let token = context.tokenID.value.map(String.init) ?? "-"
        logger.info("\(request.method) \(TerminalText.line(Redaction.requestPath(request.uri.path))) \(response.status.code) \(Self.tenths(milliseconds))ms token=\(token) from=\(context.remoteAddress)")
        return response
    }

    /// `milliseconds` to the nearest tenth, as `%.1f` writes it (but for ties), without Foundation.
    static func tenths(_ milliseconds: Double) -> String {
        let tenths = Int((max(0, milliseconds) * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}

extension APIError {
    /// An error that is neither Plue's nor an HTTP status: a bug or an unexpected state, worth a log line.
    static func isUnexpected(_ error: any Error) -> Bool {
        if let error = error as? PlueError { return error.code == .damaged || error.code == .internalError }
        return !(error is PlueError) && !(error is HTTPError) && !(error is NIOTooManyBytesError) && !(error is HTTPParserError)
    }
}
