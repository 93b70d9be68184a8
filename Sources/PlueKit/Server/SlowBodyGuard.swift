import Hummingbird
import Logging
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request body arrives too slowly.
///
/// Hummingbird's idle timeout closes a connection only after a whole `idleTimeout` without a byte,
/// so a client sending one byte a little more often than that holds a connection, a request and
/// (for a push) a git process forever, and keeps SIGTERM's graceful stop waiting for it. Here the
/// time the server spends waiting for a body's bytes may be at most `grace` plus one second for
/// every `minimumBytesPerSecond` bytes received (Apache's `mod_reqtimeout` works the same way).
///
/// Only time spent waiting counts: from the moment the server asks for more bytes until they
/// come. While the server itself holds off reading (a git process busy with what it was given
/// already, and NIO's back-pressure holding the read), the client is not to blame and no time
/// counts. Between requests Hummingbird's idle timeout applies.
final class SlowBodyGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let grace: TimeAmount
    private let minimumBytesPerSecond: Int64
    private let logger: Logger
    private var readingBody = false
    private var received: Int64 = 0
    /// Time spent waiting for this body's bytes so far, not counting the wait in progress.
    private var waited: TimeAmount = .zero
    /// When the server last asked for bytes that have not come yet.
    private var waitingSince: NIODeadline?
    private var check: Scheduled<Void>?

    init(grace: TimeAmount, minimumBytesPerSecond: Int64, logger: Logger) {
        self.grace = grace
        self.minimumBytesPerSecond = minimumBytesPerSecond
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let now = NIODeadline.now()
        if let since = waitingSince {
            waited = waited + (now - since)
            waitingSince = nil
        }
        switch unwrapInboundIn(data) {
        case .head:
            readingBody = true
            received = 0
            waited = .zero
        case .body(let buffer):
            received += Int64(buffer.readableBytes)
        case .end:
            readingBody = false
            cancelCheck()
        }
        context.fireChannelRead(data)
    }

    func read(context: ChannelHandlerContext) {
        if readingBody && waitingSince == nil {
            waitingSince = .now()
            scheduleCheck(context: context)
        }
        context.read()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelCheck()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelCheck()
        context.fireChannelInactive()
    }

    /// How long the server may wait in all for the body received so far. Whole seconds of bytes
    /// first: `received` times 10^9 would overflow past 9 GB, and `--max-pack-size` allows more.
    private var allowance: TimeAmount {
        grace + .milliseconds(received / minimumBytesPerSecond * 1000 + received % minimumBytesPerSecond * 1000 / minimumBytesPerSecond)
    }

    private func scheduleCheck(context: ChannelHandlerContext) {
        guard check == nil, let since = waitingSince else { return }
        let deadline = since + (allowance - waited)
        check = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: deadline) { [self] in
            check = nil
            guard readingBody, let since = waitingSince else { return }
            if waited + (NIODeadline.now() - since) >= allowance {
                logger.warning("closed a connection whose request body came too slowly",
                               metadata: ["received": .stringConvertible(received), "from": .string(context.remoteAddress?.description ?? "?")])
                readingBody = false
                context.close(promise: nil)
            } else {
                scheduleCheck(context: context)
            }
        }
    }

    private func cancelCheck() {
        check?.cancel()
        check = nil
    }
}
