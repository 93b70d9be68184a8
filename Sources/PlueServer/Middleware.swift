import Hummingbird
import Logging
import PlueKit

/// Outermost: turns every error into the API's JSON error body, then writes one log line per
/// request (method, path without its query, status, duration, token id). The query is left out
/// because a client may put a secret there; the path alone names the route.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = PlueRequestContext
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = APIError.response(for: error, method: request.method.rawValue, path: request.uri.path)
            if APIError.isUnexpected(error) {
                logger.error("request failed: \(String(describing: error))", metadata: ["path": .string(request.uri.path)])
            }
        }
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let token = context.tokenID.value.map(String.init) ?? "-"
        logger.info("\(request.method) \(TerminalText.line(request.uri.path)) \(response.status.code) \(String(format: "%.1f", milliseconds))ms token=\(token) from=\(context.remoteAddress)")
        return response
    }
}

extension APIError {
    /// An error that is neither Plue's nor an HTTP status: a bug or an unexpected state, worth a log line.
    static func isUnexpected(_ error: any Error) -> Bool {
        !(error is PlueError) && !(error is HTTPError)
    }
}
