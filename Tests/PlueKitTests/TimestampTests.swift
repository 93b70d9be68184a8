import Foundation
import Testing
import PlueKit

@Suite("ISO 8601 times")
struct TimestampTests {
    @Test("known instants, leap days and times before 1970")
    func knownInstants() {
        let cases: [(Double, String)] = [
            (0, "1970-01-01T00:00:00Z"),
            (-1, "1969-12-31T23:59:59Z"),
            (-86_400, "1969-12-31T00:00:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (4_107_542_400, "2100-03-01T00:00:00Z"),
            (1_795_608_000.9, "2026-11-25T12:00:00Z"),
            (253_402_300_799, "9999-12-31T23:59:59Z"),
        ]
        for (seconds, text) in cases {
            #expect(Timestamp.iso8601(Date(timeIntervalSince1970: seconds)) == text, "at \(seconds)")
        }
    }

    @Test("agrees with the C library's gmtime_r across four centuries")
    func agreesWithGmtime() {
        // 1900 to 2300 in steps of three days, an hour, a minute and a second, so every day of the
        // month, leap days and every hour and minute come up.
        var seconds: Int64 = -2_208_988_800
        while seconds < 10_413_792_000 {
            var value = time_t(seconds)
            var parts = tm()
            gmtime_r(&value, &parts)
            let expected = String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", parts.tm_year + 1900, parts.tm_mon + 1,
                                  parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec)
            let actual = Timestamp.iso8601(Date(timeIntervalSince1970: Double(seconds)))
            guard actual == expected else {
                Issue.record("\(seconds): \(actual), gmtime_r says \(expected)")
                return
            }
            seconds += 3 * 86_400 + 3_661
        }
    }
}
