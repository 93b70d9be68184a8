import Glibc
import NIOCore
import NIOPosix
import PlueKit

/// A git child's three standard streams as NIO channels on the server's event loops, so its
/// output is read and its input written without holding a thread while git works.
struct GitPipes: Sendable {
    /// git's standard input: each write completes once the pipe took it.
    let input: any Channel
    /// git's standard output, read as it comes, with backpressure: while the client is slow,
    /// reading stops and git waits.
    let output: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    /// git's standard error, for the server's log.
    let errorOutput: NIOAsyncChannel<ByteBuffer, ByteBuffer>

    /// Hands the child's descriptors to NIO. On failure the child is stopped; a descriptor NIO
    /// could not take is then left open rather than risk closing it twice (NIO closes one it took,
    /// and the two cases look alike from here), which cannot happen with pipes this process made.
    static func open(_ child: StreamingChild) async throws -> GitPipes {
        let bootstrap = NIOPipeBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        var opened: [any Channel] = []
        do {
            let input = try await bootstrap.takingOwnershipOfDescriptor(output: child.input).get()
            opened.append(input)
            let output = try await readable(child.output, bootstrap.channelOption(.recvAllocator, value: Self.largeReads), widened: true)
            opened.append(output.channel)
            let errorOutput = try await readable(child.errorOutput, bootstrap)
            return GitPipes(input: input, output: output, errorOutput: errorOutput)
        } catch {
            for channel in opened { try? await channel.close() }
            _ = try? await blocking { child.stop() }
            throw error
        }
    }

    /// git's output is read in pieces of up to 1 MiB rather than NIO's usual 64 KiB at most, out
    /// of a pipe widened to match: a pack is then carried in a few dozen reads, each a hand-off
    /// from the pipe's event loop to the response and on to the client's, not in hundreds.
    private static let largeReads = AdaptiveRecvByteBufferAllocator(minimum: 4096, initial: 65536, maximum: 1 << 20)

    /// fcntl's F_SETPIPE_SZ (Linux's `<fcntl.h>` gives it under _GNU_SOURCE only, which Swift's
    /// Glibc module leaves out).
    private static let setPipeSize: Int32 = 1024 + 7

    private static func readable(_ descriptor: Int32, _ bootstrap: NIOPipeBootstrap,
                                 widened: Bool = false) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        // Linux caps an account's pipe memory (fs.pipe-user-pages-soft) and the size of one pipe
        // (fs.pipe-max-size, 1 MiB by default): when refused, the pipe keeps its 64 KiB.
        if widened { _ = fcntl(descriptor, setPipeSize, Int32(1 << 20)) }
        // Pieces wait for the client two at most (NIO's default is ten): with pieces of up to
        // 1 MiB, a slow client holds a few MiB of a pack here, the rest waits in git.
        let configuration = NIOAsyncChannel<ByteBuffer, ByteBuffer>.Configuration(
            backPressureStrategy: widened ? .init(lowWatermark: 1, highWatermark: 2) : .init(lowWatermark: 2, highWatermark: 10))
        return try await bootstrap.takingOwnershipOfDescriptor(input: descriptor) { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel, configuration: configuration)
            }
        }
    }
}
