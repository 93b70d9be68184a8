import Foundation

/// Stops a child `ChildProcess.run` waits for, from another thread: a server that is stopping
/// ends an agent's turn this way, and the turn records what the agent left. `stop` writes to a
/// pipe the wait loop polls; the child's group gets SIGTERM, then SIGKILL two seconds later, and
/// `run` throws `InterruptedBySignal`.
public final class ChildStopper: @unchecked Sendable {
    // @unchecked: the descriptors are set once and closed only in deinit.
    let read: Int32
    private let write: Int32

    public init() throws {
        var ends: [Int32] = [0, 0]
        try ChildPipe.create(&ends, flags: O_NONBLOCK)
        (read, write) = (ends[0], ends[1])
    }

    public func stop() {
        var signal = UInt8(SIGTERM)
        _ = Glibc.write(write, &signal, 1)
    }

    deinit {
        close(read)
        close(write)
    }
}
