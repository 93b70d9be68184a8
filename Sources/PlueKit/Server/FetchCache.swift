import NIOConcurrencyHelpers
import NIOCore

/// Answers of `git upload-pack` to fetches, kept in memory for the next identical request: a CI
/// fleet or a team cloning the same commit gets the pack without git packing it again, which is
/// most of a clone's work on the server. Each answer is filed under `Plan.fetchAnswerKey` (the
/// repository, the request's bytes and every visible ref), so a push, a land or a deleted branch
/// makes the next fetch go to git; access is checked before every lookup, as for any request, and
/// an answer is looked up only while the request's wants are ones a visible ref reaches
/// (`FetchAnswerKey.servable`). A lookup and the answer's sending hold a git slot, as git would.
///
/// At most `capacity` bytes in all, the least recently used answer dropped first; an answer over a
/// quarter of that is never kept, so one large clone cannot empty the cache. A capacity of 0 keeps
/// nothing (`plue serve --fetch-cache-size 0`).
final class FetchCache: @unchecked Sendable {
    let capacity: Int
    /// The largest request kept: a clone's or a fetch's wants and haves, not a negotiation of
    /// thousands of haves.
    static let maxRequestBytes = 64 << 10
    /// The most answers kept, however small (a fetch of a commit the client nearly has is a few
    /// hundred bytes), so that dropping the oldest never scans a long list.
    static let maxAnswers = 4096

    private struct Entry { let answer: ByteBuffer; var lastUse: UInt64 }
    private let lock = NIOLock()
    private var entries: [String: Entry] = [:]
    private var stored = 0
    private var uses: UInt64 = 0
    private var hitCount = 0
    private var missCount = 0

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    var maxAnswerBytes: Int { capacity / 4 }

    /// The answer filed under `key`, counted as a hit or a miss.
    func answer(for key: String) -> ByteBuffer? {
        lock.withLock {
            uses += 1
            guard var entry = entries[key] else {
                missCount += 1
                return nil
            }
            hitCount += 1
            entry.lastUse = uses
            entries[key] = entry
            return entry.answer
        }
    }

    /// Files `answer` under `key`, dropping the least recently used answers until it fits.
    func keep(_ answer: ByteBuffer, for key: String) {
        let size = answer.readableBytes
        guard size > 0, size <= maxAnswerBytes else { return }
        lock.withLock {
            uses += 1
            if let old = entries.removeValue(forKey: key) { stored -= old.answer.readableBytes }
            while stored + size > capacity || entries.count >= Self.maxAnswers, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                entries.removeValue(forKey: oldest.key)
                stored -= oldest.value.answer.readableBytes
            }
            entries[key] = Entry(answer: answer, lastUse: uses)
            stored += size
        }
    }

    /// Hits, misses, the answers kept and their bytes, for `/metrics`.
    var figures: (hits: Int, misses: Int, answers: Int, bytes: Int) {
        lock.withLock { (hitCount, missCount, entries.count, stored) }
    }
}
