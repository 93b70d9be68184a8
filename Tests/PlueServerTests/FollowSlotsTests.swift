import Foundation
@testable import PlueServer
import Testing

/// The server's cap on log streams (`GET .../runs/{run}/logs?follow=true`): each polls the
/// database twice a second, so past the limit a follow gets 503 rather than slow every request.
@Suite struct FollowSlotsTests {
    @Test func slotsRunOutAtTheLimitAndComeBack() {
        let slots = FollowSlots()
        for _ in 0..<FollowSlots.limit { #expect(slots.take()) }
        #expect(!slots.take(), "one past the limit is refused")
        slots.release()
        #expect(slots.take(), "a stream that ended gives its slot back")
        #expect(!slots.stopping)
        slots.stop()
        #expect(slots.stopping, "a stopping server ends its streams")
    }
}
