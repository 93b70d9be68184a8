import Hummingbird
import NIOCore
import NIOHTTP1
import PlueKit

/// The one error body of the API: `{"error": {"code": "not_found", "message": "..."}}`.
enum APIError {
    /// The response for a failure of any kind. Plue's own errors keep their code and message;
    /// Hummingbird's (no route, a body too large) are named by their status; anything else is an
    /// internal error whose detail goes to the log, not to the client. A message that names a
    /// file of the home names it from the home (`sessions/ID/work`): where the server keeps its
    /// data is not the client's to know.
    static func response(for error: any Error, method: String, path: String, home: String) -> Response {
        var response: Response
        switch error {
        case let error as PlueError where error.code == .damaged || error.code == .internalError:
            // Its message names the server's files (a database, a git directory): for the log and
            // the administrator, not for the client.
            response = body(status: error.code.httpStatus, code: apiCode(error.code),
                            message: "the server's data for this request is damaged or unreadable; its administrator finds why in the server's log")
        case let error as PlueError:
            response = body(status: error.code.httpStatus, code: apiCode(error.code), message: hiding(home, in: error.message))
        case let error as HTTPError:
            let status = Int(error.status.code)
            // The router's own answer when no route matches carries no text.
            let message = error.body ?? (status == 404 ? "no route for \(method) \(Redaction.requestPath(path))" : error.status.reasonPhrase)
            response = body(status: status, code: httpCode(status), message: message)
            for field in error.headers { response.headers.append(field) }
        case is NIOTooManyBytesError:
            response = body(status: 413, code: "body_too_large", message: "the request body is larger than this server takes")
        case let error as HTTPParserError:
            // A malformed chunk size, or a connection closed before the body's last byte: the
            // client's fault, and the handler saw a body it must not act on.
            response = body(status: 400, code: "bad_request", message: "the request is not valid HTTP (\(error)); send a whole, well-formed body")
        default:
            response = body(status: 500, code: "internal_error", message: "the server failed to answer this request; its log says why")
        }
        // A client that sent no usable token is told how to send one; one turned away because
        // something is busy (a session's turn, a land under way), when to come back.
        if response.status.code == 401 { response.headers[.wwwAuthenticate] = TokenCredential.bearerChallenge }
        if response.status.code == 503 && response.headers[.retryAfter] == nil { response.headers[.retryAfter] = "5" }
        return response
    }

    static func hiding(_ home: String, in message: String) -> String {
        guard home.count > 1, message.contains(home) else { return message }
        return message.replacingOccurrences(of: home + "/", with: "").replacingOccurrences(of: home, with: "the server's home")
    }

    static func body(status: Int, code: String, message: String) -> Response {
        let json = JSON.object([("error", .object([("code", .string(code)), ("message", .string(message))]))])
        return JSONResponse.make(json, status: status)
    }

    /// `notFound` → `not_found`: the API spells codes as Gitea and most HTTP APIs do.
    static func apiCode(_ code: PlueError.Code) -> String {
        APIJSON.snakeCase(code.rawValue)
    }

    private static func httpCode(_ status: Int) -> String {
        switch status {
        case 400: "bad_request"
        case 401: "unauthenticated"
        case 403: "forbidden"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 408: "request_timeout"
        case 413: "body_too_large"
        case 415: "unsupported_media_type"
        case 429: "too_many_requests"
        case 503: "unavailable"
        case 500..<600: "internal_error"
        default: "http_\(status)"
        }
    }
}

/// JSON responses written with Plue's own JSON writer (exact strings, no Foundation encoder).
enum JSONResponse {
    static func make(_ json: JSON, status: Int = 200) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        let text = json.rendered() + "\n"
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
