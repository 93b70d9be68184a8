import CZlib
import NIOCore
import PlueKit

/// Inflates a gzip-encoded request body as it arrives (git sends fetch requests over 1 KiB that
/// way), handing on at most `pieceSize` bytes at a time: a small body that inflates to gigabytes
/// never sits in memory, it only flows on, as far as the caller's limit lets it.
final class GzipDecoder {
    static let pieceSize = 64 * 1024
    private var stream = z_stream()
    private var ended = false

    init() throws {
        // 15 + 16: the largest window, with a gzip header and trailer (not zlib's, not raw deflate).
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw PlueError.internalError("cannot set up zlib to inflate a request body")
        }
    }

    deinit { inflateEnd(&stream) }

    /// Inflates `input`, giving each piece of output to `emit` before inflating the next.
    func decode(_ input: ByteBuffer, emit: (ByteBuffer) async throws -> Void) async throws {
        guard input.readableBytes > 0 else { return }
        guard !ended else { throw Self.invalid("it goes on after the end of its gzip stream") }
        // Copied into memory this decoder owns, so zlib's pointer into it stays valid across the
        // awaits between pieces.
        let pending = UnsafeMutableRawBufferPointer.allocate(byteCount: input.readableBytes, alignment: 1)
        defer {
            stream.next_in = nil
            stream.avail_in = 0
            pending.deallocate()
        }
        input.withUnsafeReadableBytes { pending.copyMemory(from: $0) }
        stream.next_in = pending.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.avail_in = UInt32(pending.count)
        var outputFull = false
        while (stream.avail_in > 0 || outputFull) && !ended {
            let before = stream.avail_in
            let piece = try step()
            // zlib took nothing and gave nothing: it cannot go on (never seen; guards the loop).
            if piece.readableBytes == 0 && stream.avail_in == before && !ended { throw Self.invalid("zlib could not read it") }
            outputFull = piece.readableBytes == Self.pieceSize
            if piece.readableBytes > 0 { try await emit(piece) }
        }
        if ended && stream.avail_in > 0 { throw Self.invalid("it goes on after the end of its gzip stream") }
    }

    /// The whole of a small gzip body, inflated; nil when it is not valid gzip or inflates to
    /// more than `limit` bytes.
    static func inflated(_ body: ByteBuffer, limit: Int) async -> [UInt8]? {
        guard let decoder = try? GzipDecoder() else { return nil }
        var result: [UInt8] = []
        do {
            try await decoder.decode(body) { piece in
                guard result.count + piece.readableBytes <= limit else { throw PlueError.usage("over the limit") }
                result += piece.readableBytesView
            }
            try decoder.finish()
        } catch {
            return nil
        }
        return result
    }

    /// Checks that the body held a whole gzip stream.
    func finish() throws {
        guard ended else { throw Self.invalid("it ends before its gzip stream does") }
    }

    /// One call of inflate into a fresh piece.
    private func step() throws -> ByteBuffer {
        var piece = ByteBufferAllocator().buffer(capacity: Self.pieceSize)
        var status = Z_OK
        piece.writeWithUnsafeMutableBytes(minimumWritableBytes: Self.pieceSize) { space in
            stream.next_out = space.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = UInt32(Self.pieceSize)
            status = inflate(&stream, Z_NO_FLUSH)
            let written = Self.pieceSize - Int(stream.avail_out)
            stream.next_out = nil
            stream.avail_out = 0
            return written
        }
        switch status {
        case Z_OK, Z_BUF_ERROR: break
        case Z_STREAM_END: ended = true
        default: throw Self.invalid("it is not valid gzip")
        }
        return piece
    }

    private static func invalid(_ reason: String) -> PlueError {
        PlueError.usage("the request body says Content-Encoding: gzip, but \(reason)")
    }
}
