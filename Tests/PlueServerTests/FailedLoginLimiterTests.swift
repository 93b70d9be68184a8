@testable import PlueServer
import Testing

@Suite struct FailedLoginLimiterTests {
    @Test func anAddressIsRefusedAfterTheLimitUntilItsWindowEnds() {
        let limiter = FailedLoginLimiter(limit: 3, window: 60)
        for second in 0..<3 {
            #expect(limiter.retryAfter("10.0.0.1", now: Double(second)) == nil)
            limiter.recordFailure("10.0.0.1", now: Double(second))
        }
        #expect(limiter.retryAfter("10.0.0.1", now: 3) == 57)
        #expect(limiter.retryAfter("10.0.0.1", now: 59.5) == 1)
        // Another address is not affected.
        #expect(limiter.retryAfter("10.0.0.2", now: 3) == nil)
        // The window began with the first failure; once it ends, the address starts over.
        #expect(limiter.retryAfter("10.0.0.1", now: 60) == nil)
        limiter.recordFailure("10.0.0.1", now: 60)
        #expect(limiter.retryAfter("10.0.0.1", now: 61) == nil)
    }

    @Test func memoryStaysBoundedUnderManyAddresses() {
        let limiter = FailedLoginLimiter(limit: 1, window: 60, capacity: 100)
        for index in 0..<1_000 { limiter.recordFailure("10.0.\(index / 256).\(index % 256)", now: Double(index) / 1_000) }
        // The newest addresses are still limited; the oldest were dropped to make room.
        #expect(limiter.retryAfter("10.0.3.231", now: 1) != nil)
        #expect(limiter.retryAfter("10.0.0.0", now: 1) == nil)
    }

    @Test func anIPv6HostIsCountedByItsNetworkAndAMappedIPv4AsItself() {
        let limiter = FailedLoginLimiter(limit: 2, window: 60)
        // Two addresses of one /64, as one host rotating through its own addresses would use.
        limiter.recordFailure("2001:db8:1:2::1", now: 0)
        limiter.recordFailure("2001:db8:1:2:aaaa:bbbb:cccc:dddd", now: 1)
        #expect(limiter.retryAfter("2001:0db8:0001:0002::ffff", now: 2) != nil)
        #expect(limiter.retryAfter("2001:db8:1:3::1", now: 2) == nil)
        limiter.recordFailure("::ffff:192.0.2.1", now: 0)
        limiter.recordFailure("192.0.2.1", now: 1)
        #expect(limiter.retryAfter("192.0.2.1", now: 2) != nil)
        #expect(FailedLoginLimiter.key("2001:db8:1:2::1") == "2001:db8:1:2::/64")
        #expect(FailedLoginLimiter.key("not an address") == "not an address")
    }
}
