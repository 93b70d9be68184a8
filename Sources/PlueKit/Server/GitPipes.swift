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
            let output = try await readable(child.output, bootstrap)
            opened.append(output.channel)
            let errorOutput = try await readable(child.errorOutput, bootstrap)
            return GitPipes(input: input, output: output, errorOutput: errorOutput)
        } catch {
            for channel in opened { try? await channel.close() }
            _ = try? await blocking { child.stop() }
            throw error
        }
    }

    private static func readable(_ descriptor: Int32, _ bootstrap: NIOPipeBootstrap) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        try await bootstrap.takingOwnershipOfDescriptor(input: descriptor) { channel in
            channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
        }
    }
}
