import Glibc
import NIOConcurrencyHelpers

/// Counts failed token authentications per peer address: after `limit` failures within `window`
/// seconds, that address is refused (429) until the window that began with its first failure
/// ends. Guessing tokens is hopeless at 160 bits, but each guess costs a database read, and a
/// flood of them is worth stopping early. Memory stays bounded: past `capacity` addresses the
/// ended windows are dropped, and if none has ended, the oldest. An IPv6 peer is counted by its
/// /64 network, the least one host is given, or it would have 2^64 addresses to take turns from.
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
        let address = Self.key(address)
        return lock.withLock {
            guard let entry = windows[address], now - entry.start < window, entry.failures >= limit else { return nil }
            return max(1, Int((entry.start + window - now).rounded(.up)))
        }
    }

    /// Records one failed authentication from `address`.
    func recordFailure(_ address: String, now: Double) {
        let address = Self.key(address)
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

    /// What failures are counted under: an IPv4 address as it is (also when it comes IPv4-mapped,
    /// `::ffff:192.0.2.1`), an IPv6 address by its first 64 bits.
    static func key(_ address: String) -> String {
        var v6 = in6_addr()
        guard address.contains(":"), inet_pton(AF_INET6, address, &v6) == 1 else { return address }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
            return bytes[12...].map(String.init).joined(separator: ".")
        }
        let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
        return groups.joined(separator: ":") + "::/64"
    }
}
