import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import PlueKit

/// What one request carries through the middleware to its route: the address it came from, and
/// (once a token authenticates it) the token's id for the request's log line.
public struct PlueRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's address as text (`127.0.0.1`, `::1`), or "unknown".
    public let remoteAddress: String
    /// Set by authentication; shared with the log middleware, which runs outside it.
    public let tokenID: TokenIDBox

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
        tokenID = TokenIDBox()
    }
}

/// The id of the token a request used, filled in by authentication and read by the request log.
public final class TokenIDBox: @unchecked Sendable {
    private let lock = NIOLock()
    private var id: Int64?
    public var value: Int64? {
        get { lock.withLock { id } }
        set { lock.withLock { id = newValue } }
    }
}

extension PlueRequestContext {
    /// A path parameter, as the route declared it; 500 for a name the route does not have.
    func parameter(_ name: String) throws -> String {
        guard let value = parameters.get(name) else {
            throw PlueError.internalError("the route has no parameter \(name)")
        }
        return value
    }

    /// `owner/repo` from the path, checked for shape by the service that looks it up.
    func repositoryName() throws -> String {
        "\(try parameter("owner"))/\(try parameter("repo"))"
    }

    /// The rest of the path a `{filepath}` route caught, percent-decoded; 400 when it does not decode.
    func filePath() throws -> String {
        let raw = parameters.get(String(Parameters.recursiveCaptureKey)) ?? ""
        guard let decoded = raw.removingPercentEncoding else {
            throw PlueError.usage("the file path is not valid percent-encoded UTF-8")
        }
        return decoded
    }

    /// A positive whole number from the path (`{id}`); 400 for anything else.
    func identifier(_ name: String) throws -> Int64 {
        let text = try parameter(name)
        guard text.utf8.allSatisfy({ (48...57).contains($0) }), let value = Int64(text), value > 0 else {
            throw PlueError.usage("\(name) must be a positive whole number")
        }
        return value
    }
}
