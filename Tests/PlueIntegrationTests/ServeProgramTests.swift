import Foundation
import PlueKit
import PlueTestSupport
import Testing

/// `plue serve` becomes `plue-serve`, installed beside `plue`, with a line only plue writes.
@Suite struct ServeProgramTests {
    let directory = TemporaryDirectory("plue-serve-program")

    @Test func theLineRoundTripsAndNothingElseIsRead() throws {
        var settings = ServerSettings(host: "::1", port: 0, maxBodyBytes: 123, maxPackBytes: 456, idleTimeoutSeconds: 7,
                                      landIntervalMilliseconds: 250, maxFailedAuthPerMinute: 11, maxGitRequests: 5, stopTimeoutSeconds: 9, version: "9.9")
        settings.maxConnections = 77
        settings.fetchCacheBytes = 0
        let line = ServeCommandLine(home: "/srv/plue", plue: "/usr/bin/plue", settings: settings)
        let read = try #require(ServeCommandLine(line.arguments))
        #expect(read.home == "/srv/plue" && read.plue == "/usr/bin/plue")
        #expect(read.settings.host == "::1" && read.settings.port == 0 && read.settings.maxBodyBytes == 123 && read.settings.maxPackBytes == 456)
        #expect(read.settings.idleTimeoutSeconds == 7 && read.settings.landIntervalMilliseconds == 250 && read.settings.version == "9.9")
        #expect(read.settings.maxFailedAuthPerMinute == 11 && read.settings.maxGitRequests == 5 && read.settings.stopTimeoutSeconds == 9)
        #expect(read.settings.maxConnections == 77 && read.settings.fetchCacheBytes == 0)
        var swapped = line.arguments
        swapped.swapAt(0, 2)
        #expect(ServeCommandLine(swapped) == nil)
        #expect(ServeCommandLine(Array(line.arguments.dropLast())) == nil)
        #expect(ServeCommandLine(line.arguments.map { $0 == "/srv/plue" ? "relative/home" : $0 }) == nil)
    }

    @Test func runByHandItSaysWhoStartsIt() throws {
        let server = FilePath.directory(of: try PlueBinary.path) + "/plue-serve"
        let result = try Command.run(server, ["--listen", "127.0.0.1:0"])
        #expect(result.status == 64)
        #expect(result.errorOutput.contains("plue serve"))
    }

    @Test func plueWithoutItsServerSaysSo() throws {
        let plue = try PlueRunner(home: directory.child("home"))
        try plue.ok(["init"])
        let alone = directory.child("bin/plue")
        try FileManager.default.createDirectory(atPath: directory.child("bin"), withIntermediateDirectories: true)
        try PlueBinary.copy(to: alone)
        let result = try Command.run(alone, ["serve", "--listen", "127.0.0.1:0", "--home", plue.home])
        #expect(result.status == 1, "\(result.errorOutput)")
        #expect(result.errorOutput.contains("plue-serve"), "\(result.errorOutput)")
    }
}
