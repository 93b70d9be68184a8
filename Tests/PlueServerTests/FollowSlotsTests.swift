import Foundation
@testable import PlueServer
import Testing

/// The server's cap on log streams (`GET .../runs/{run}/logs?follow=true`): each polls the
/// database twice a second, so past the limit a follow gets 503 rather than slow every request;
/// and one address holds a quarter of them at most, so one client cannot take them all.
@Suite struct FollowSlotsTests {
    @Test func slotsRunOutAtTheLimitAndComeBack() {
        let slots = FollowSlots()
        var taken: [String] = []
        for index in 0..<FollowSlots.limit {
            taken.append(slots.take(for: "10.0.0.\(index % 4)") ?? "refused")
        }
        #expect(!taken.contains("refused"))
        #expect(slots.take(for: "10.0.0.9") == nil, "one past the limit is refused")
        slots.release(taken[0])
        #expect(slots.take(for: "10.0.0.9") != nil, "a stream that ended gives its slot back")
        #expect(!slots.stopping)
        slots.stop()
        #expect(slots.stopping, "a stopping server ends its streams")
    }

    @Test func oneAddressTakesAQuarter() {
        let slots = FollowSlots()
        var mine: [String] = []
        for _ in 0..<FollowSlots.limitPerAddress { mine.append(slots.take(for: "192.0.2.7") ?? "refused") }
        #expect(!mine.contains("refused"))
        #expect(slots.take(for: "192.0.2.7") == nil, "the address has its quarter")
        #expect(slots.take(for: "2001:db8::1") != nil && slots.take(for: "2001:db8::2") != nil)
        for _ in 0..<FollowSlots.limitPerAddress - 2 { #expect(slots.take(for: "2001:db8::\(Int.random(in: 3...999))") != nil) }
        #expect(slots.take(for: "2001:db8::ffff") == nil, "one IPv6 /64 is one address")
        slots.release(mine[0])
        #expect(slots.take(for: "192.0.2.7") != nil)
    }
}
