import NIOCore
@testable import PlueServer
import Testing

/// The fetch cache's bounds: the least recently used answer goes first, an answer over a quarter
/// of the capacity is never kept, and a capacity of 0 keeps nothing.
@Suite struct FetchCacheTests {
    private func answer(_ size: Int, _ byte: UInt8 = 1) -> ByteBuffer {
        ByteBuffer(bytes: [UInt8](repeating: byte, count: size))
    }

    @Test func theLeastRecentlyUsedAnswerGoesFirst() {
        let cache = FetchCache(capacity: 100)
        cache.keep(answer(25, 1), for: "a")
        cache.keep(answer(25, 2), for: "b")
        cache.keep(answer(25, 3), for: "c")
        cache.keep(answer(25, 4), for: "d")
        #expect(cache.answer(for: "a") == answer(25, 1))
        cache.keep(answer(25, 5), for: "e")
        #expect(cache.answer(for: "b") == nil, "b was used least recently")
        #expect(cache.answer(for: "a") != nil && cache.answer(for: "c") != nil && cache.answer(for: "e") != nil)
        let figures = cache.figures
        #expect(figures.answers == 4 && figures.bytes == 100 && figures.hits == 4 && figures.misses == 1)
    }

    @Test func anAnswerOverAQuarterIsNotKept() {
        let cache = FetchCache(capacity: 100)
        cache.keep(answer(26), for: "large")
        cache.keep(answer(0), for: "empty")
        #expect(cache.answer(for: "large") == nil && cache.answer(for: "empty") == nil)
        cache.keep(answer(10, 1), for: "same")
        cache.keep(answer(20, 2), for: "same")
        #expect(cache.answer(for: "same") == answer(20, 2) && cache.figures.bytes == 20)
        let none = FetchCache(capacity: 0)
        none.keep(answer(1), for: "a")
        #expect(none.answer(for: "a") == nil && none.figures.bytes == 0)
    }
}
