import Foundation
@testable import PlueServer
import Testing

@Suite struct RequestLogTests {
    @Test func aDurationIsWrittenToTheNearestTenth() {
        for milliseconds in [0, 0.04, 0.06, 0.96, 1, 12.34, 12.36, 999.96, 123_456.7] {
            #expect(RequestLogMiddleware.tenths(milliseconds) == String(format: "%.1f", milliseconds), "\(milliseconds)")
        }
    }

    @Test func theTimeIsWrittenInTheMachinesZoneWithItsOffset() {
        let stamp = ServerLogHandler.timestamp()
        #expect(stamp.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}/) != nil, "\(stamp)")
    }
}
