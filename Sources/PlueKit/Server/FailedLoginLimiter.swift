import NIOConcurrencyHelpers

/// Counts failed token authentications per peer address: after `limit` failures within `window`
/// seconds, that address is refused (429) until the window that began with its first failure
/// ends. Guessing tokens is hopeless at 160 bits, but each guess costs a database read, and a
/// flood of them is worth stopping early. Memory stays bounded: past `capacity` addresses the
/// ended windows are dropped, and if none has ended, the oldest.
final class FailedLoginLimiter: @unchecked Sendable {
    private struct Window { var start: Double; var failures: Int }

    let limit: Int
    let window: Double
    let capacity: Int
    private let lock = NIOLock()
    private var windows: [String: Window] = [:]

    init(limit: Int = 20, window: Double = 60, capacity: Int = 10_000) {
        self.limit = limit
        self.window = window
        self.capacity = capacity
    }

    /// Seconds until `address` may try again, or nil when it may try now.
    func retryAfter(_ address: String, now: Double) -> Int? {
        lock.withLock {
            guard let entry = windows[address], now - entry.start < window, entry.failures >= limit else { return nil }
            return max(1, Int((entry.start + window - now).rounded(.up)))
        }
    }

    /// Records one failed authentication from `address`.
    func recordFailure(_ address: String, now: Double) {
        lock.withLock {
            if var entry = windows[address], now - entry.start < window {
                entry.failures += 1
                windows[address] = entry
                return
            }
            if windows.count >= capacity {
                windows = windows.filter { now - $0.value.start < window }
                if windows.count >= capacity, let oldest = windows.min(by: { $0.value.start < $1.value.start }) {
                    windows.removeValue(forKey: oldest.key)
                }
            }
            windows[address] = Window(start: now, failures: 1)
        }
    }
}
