import NIOConcurrencyHelpers
import PlueKit

/// How many git processes the server runs at once, in all and for one address: each clone of a
/// large repository is a `pack-objects` that may take hundreds of megabytes, and without a cap
/// anyone, with no token, could start as many as the memory holds (a slow reader keeps each
/// one alive). A request past either cap gets 503 with Retry-After; git prints the message.
/// An IPv6 peer counts by its /64, as for failed authentications.
final class GitRequestSlots: @unchecked Sendable {
    let total: Int
    let perAddress: Int
    private let lock = NIOLock()
    private var running = 0
    private var byAddress: [String: Int] = [:]

    init(total: Int) {
        self.total = total
        perAddress = max(1, total / 4)
    }

    /// A slot for `address`, or nil when the server or that address runs as many as it may.
    func take(for address: String) -> Slot? {
        let key = FailedLoginLimiter.key(address)
        return lock.withLock {
            guard running < total, byAddress[key, default: 0] < perAddress else { return nil }
            running += 1
            byAddress[key, default: 0] += 1
            return Slot(slots: self, key: key)
        }
    }

    fileprivate func give(_ key: String) {
        lock.withLock {
            running -= 1
            byAddress[key, default: 1] -= 1
            if byAddress[key] == 0 { byAddress.removeValue(forKey: key) }
        }
    }

    /// One running git request's place: given back once, by `release` or when it goes away.
    final class Slot: @unchecked Sendable {
        private let slots: GitRequestSlots
        private let key: String
        private let lock = NIOLock()
        private var held = true

        fileprivate init(slots: GitRequestSlots, key: String) {
            self.slots = slots
            self.key = key
        }

        func release() {
            let wasHeld = lock.withLock { () -> Bool in
                defer { held = false }
                return held
            }
            if wasHeld { slots.give(key) }
        }

        deinit { release() }
    }
}
