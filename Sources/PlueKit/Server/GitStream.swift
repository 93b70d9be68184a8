import Hummingbird
import Logging
import NIOCore
import PlueKit

/// One git child serving one HTTP request, streamed both ways: the request body (inflated when
/// gzip-encoded) goes to git's standard input as it arrives, and git's standard output goes to the
/// client as git writes it, each with backpressure, so no pack is ever held here. git's standard
/// error goes to the server's log, never to the client.
///
/// When the client goes away, a fetch's git is stopped at once (it changes nothing). A push's git
/// is left to finish: its input simply ends, so a pack that did not arrive whole is refused by git
/// itself, which removes what it had received, and a pack that did arrive goes through the hooks
/// and is recorded as any other. Either way the child is reaped before the response ends.
struct GitStream: Sendable {
    /// Starts git, its three standard streams left to the stream.
    let start: @Sendable () throws -> StreamingChild
    /// What runs, for the log: `git-upload-pack for alice/demo`.
    let label: String
    /// Whether git is stopped at once when the client goes away: for what changes nothing.
    let stopsWhenClientGoes: Bool
    /// Written before git's output (the advertisement's `# service=` line).
    let preamble: ByteBuffer?
    /// What git reads; nil for nothing (an advertisement).
    let input: RequestBody?
    let gzip: Bool
    /// The most bytes git is given, after inflating.
    let inputLimit: Int
    let logger: Logger
    /// git's whole answer is also copied aside, when it is at most this many bytes, and returned
    /// by `run` when git succeeded (for `FetchCache`); 0 copies nothing.
    var keepUpTo = 0

    /// How feeding git its input ended.
    private enum Feed: Sendable {
        case complete
        /// git stopped reading (it refused the request, or ended).
        case gitStopped
        /// The client's body ended early: the client went away.
        case clientStopped(String)
        /// The server stopped feeding: a body over the limit, or gzip that is not.
        case refused(String)

        var note: String? {
            switch self {
            case .complete: nil
            case .gitStopped: "git stopped reading its input"
            case .clientStopped(let reason): "the request body ended early (\(reason))"
            case .refused(let reason): reason
            }
        }
    }

    /// What one of the helper tasks found.
    private enum Part: Sendable {
        case fed(Feed)
        case errorOutput([UInt8])
    }

    /// Runs git to the end and returns its answer when `keepUpTo` asked for it, git exited 0 after
    /// reading the whole request, the client read it all, and it was not longer than that.
    @discardableResult
    func run(_ writer: inout any ResponseBodyWriter) async throws -> ByteBuffer? {
        let child: StreamingChild, pipes: GitPipes
        do {
            child = try start()
            pipes = try await GitPipes.open(child)
        } catch {
            // The 200 is sent already: the client sees the connection end; the reason is here.
            logger.error("cannot run \(label): \(error)")
            throw error
        }
        let fetch = stopsWhenClientGoes
        var clientGone = false
        var failure: (any Error)?
        var fed = Feed.complete
        var errorText: [UInt8] = []
        var status: Int32 = 0
        var kept: ByteBuffer? = keepUpTo > 0 ? ByteBuffer() : nil
        let keepUpTo = keepUpTo
        await withTaskGroup(of: Part.self) { group in
            group.addTask { [input, gzip, inputLimit] in
                .fed(await Self.feed(input, into: pipes.input, gzip: gzip, limit: inputLimit))
            }
            group.addTask { .errorOutput(await Self.collect(pipes.errorOutput)) }
            do {
                if let preamble { try await writer.write(preamble) }
            } catch {
                clientGone = true
            }
            do {
                try await pipes.output.executeThenClose { inbound, _ in
                    for try await chunk in inbound {
                        if clientGone && fetch { break }
                        if clientGone { continue }
                        if kept != nil {
                            if kept!.readableBytes + chunk.readableBytes > keepUpTo { kept = nil } else { kept!.writeImmutableBuffer(chunk) }
                        }
                        do {
                            try await writer.write(chunk)
                        } catch {
                            clientGone = true
                        }
                    }
                }
            } catch {
                failure = error
            }
            status = await Self.waitForExit(child, stopNow: (clientGone && fetch) || failure != nil)
            pipes.input.close(promise: nil)
            // Once git's error output has ended, a feeder still waiting for the client's body is
            // no longer needed.
            while let part = await group.next() {
                switch part {
                case .fed(let outcome): fed = outcome
                case .errorOutput(let bytes):
                    errorText = bytes
                    group.cancelAll()
                }
            }
        }
        if status != 0 || fed.note != nil {
            let detail = TerminalText.line(String(decoding: errorText, as: UTF8.self))
            logger.warning("\(label) exited \(status)\(fed.note.map { "; \($0)" } ?? ""): \(detail)")
        }
        if let failure { throw failure }
        if clientGone { throw CancellationError() }
        // A request the server stopped feeding is not answered as if it had gone through: the
        // response ends without its last chunk, and the client sees a broken transfer.
        if case .refused(let reason) = fed { throw PlueError.usage(reason) }
        try await writer.finish(nil)
        guard status == 0, case .complete = fed else { return nil }
        return kept
    }

    /// Writes the request body into git's standard input, then closes it.
    private static func feed(_ body: RequestBody?, into channel: any Channel, gzip: Bool, limit: Int) async -> Feed {
        defer { channel.close(promise: nil) }
        guard let body else { return .complete }
        var total = 0
        var writing = false
        func send(_ piece: ByteBuffer) async throws {
            total += piece.readableBytes
            guard total <= limit else { throw PlueError.usage("the request body is larger than the \(limit) bytes this server takes for it") }
            writing = true
            try await channel.writeAndFlush(piece).get()
            writing = false
        }
        do {
            let decoder = gzip ? try GzipDecoder() : nil
            for try await buffer in body {
                if let decoder { try await decoder.decode(buffer, emit: send) } else { try await send(buffer) }
            }
            try decoder?.finish()
            return .complete
        } catch let error as PlueError {
            return .refused(error.message)
        } catch {
            return writing ? .gitStopped : .clientStopped(String(describing: error))
        }
    }

    /// The first few KiB of git's standard error; the rest is read and dropped.
    private static func collect(_ channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>, limit: Int = 4096) async -> [UInt8] {
        var kept: [UInt8] = []
        try? await channel.executeThenClose { inbound, _ in
            for try await chunk in inbound where kept.count < limit {
                kept += chunk.readableBytesView.prefix(limit - kept.count)
            }
        }
        return kept
    }

    /// git's exit status, once it has ended; reaped either way. git closes its output when it is
    /// done, so it ends soon after: it is stopped when it has not within ten seconds, or at once
    /// when asked to.
    private static func waitForExit(_ child: StreamingChild, stopNow: Bool) async -> Int32 {
        let deadline = ContinuousClock.now + .seconds(10)
        // git exits a fraction of a millisecond after closing its output, and the response's
        // last chunk waits for it: the first pauses are short.
        var pause = Duration.microseconds(100)
        while !stopNow && ContinuousClock.now < deadline && !Task.isCancelled {
            if let status = child.exitStatus() { return status }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(100))
        }
        return (try? await blocking { child.stop() }) ?? child.stop()
    }
}

extension GitStream {
    /// git serving a client's fetch or push.
    init(plan: GitHTTPService.Plan, preamble: ByteBuffer?, input: RequestBody?, gzip: Bool, inputLimit: Int, logger: Logger) {
        self.init(start: { try plan.start() }, label: "\(plan.service.rawValue) for \(plan.repository)",
                  stopsWhenClientGoes: plan.service == .uploadPack, preamble: preamble, input: input, gzip: gzip,
                  inputLimit: inputLimit, logger: logger)
    }

    /// `git cat-file blob` writing a large file's bytes, with the allow-listed environment.
    init(file: RawFile.Large, logger: Logger) {
        self.init(start: { try file.start() },
                  label: "git cat-file for \(file.repository)", stopsWhenClientGoes: true, preamble: nil, input: nil, gzip: false,
                  inputLimit: 0, logger: logger)
    }
}
