import Dispatch
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// How many connections the server holds open at once, in all and from one address. Each open
/// connection holds a file descriptor until the idle timeout ends it, so without a cap one
/// address, with no token, could open connections until the process runs out of descriptors and
/// every git process, database read and log write fails with it. A connection past either cap is
/// closed as it is accepted, before anything of it is read. An IPv6 peer counts by its /64, as
/// for failed authentications and git requests.
final class ConnectionLimit: @unchecked Sendable {
    let total: Int
    let perAddress: Int
    private let logger: Logger
    private let lock = NIOLock()
    private var open = 0
    private var byAddress: [String: Int] = [:]
    private var refused = 0
    /// Refusals not yet reported, and when the last report was written: a flood of connections
    /// writes a line every ten seconds at most, not one per connection.
    private var unreported = 0
    private var lastReport: UInt64 = 0

    init(total: Int, logger: Logger) {
        self.total = total
        perAddress = max(1, total / 4)
        self.logger = logger
    }

    /// Connections open now, and those refused since the server started.
    var figures: (open: Int, refused: Int) { lock.withLock { (open, refused) } }

    /// A new guard for one connection (the pipeline takes a handler of its own per connection).
    func makeGuard() -> ConnectionGuard { ConnectionGuard(limit: self) }

    /// Counts a connection from `address` in, or nil when the server or that address holds as
    /// many as it may.
    fileprivate func take(from address: String) -> String? {
        let key = FailedLoginLimiter.key(address)
        let (admitted, report) = lock.withLock { () -> (Bool, Int?) in
            if open < total && byAddress[key, default: 0] < perAddress {
                open += 1
                byAddress[key, default: 0] += 1
                return (true, nil)
            }
            refused += 1
            unreported += 1
            let now = DispatchTime.now().uptimeNanoseconds
            guard lastReport == 0 || now - lastReport >= 10_000_000_000 else { return (false, nil) }
            lastReport = now
            defer { unreported = 0 }
            return (false, unreported)
        }
        if let report {
            logger.warning("closed \(report) new connection(s) past the cap of \(total) open, \(perAddress) from one address (--max-connections)",
                           metadata: ["from": .string(key)])
        }
        return admitted ? key : nil
    }

    fileprivate func give(_ key: String) {
        lock.withLock {
            open -= 1
            byAddress[key, default: 1] -= 1
            if byAddress[key] == 0 { byAddress.removeValue(forKey: key) }
        }
    }
}

/// The first handler of a connection's pipeline: counts it in when it opens (closing it at once
/// when the limit says no) and out when it closes.
final class ConnectionGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let limit: ConnectionLimit
    private var key: String?
    private var decided = false

    fileprivate init(limit: ConnectionLimit) {
        self.limit = limit
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // Added to a connection already open: decide now, since channelActive will not come.
        if context.channel.isActive { admit(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        admit(context: context)
        if key != nil { context.fireChannelActive() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        release()
    }

    private func admit(context: ChannelHandlerContext) {
        guard !decided else { return }
        decided = true
        key = limit.take(from: context.remoteAddress?.ipAddress ?? "unknown")
        if key == nil { context.channel.close(promise: nil) }
    }

    private func release() {
        if let key { limit.give(key) }
        key = nil
    }
}
