import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore

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
