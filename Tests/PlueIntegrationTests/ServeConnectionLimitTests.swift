import Foundation
import Glibc
import PlueTestSupport
import Testing

/// One address opening connections and holding them: past its quarter of `--max-connections` a new
/// connection is closed as it comes, the rest of the server goes on answering, and a place freed
/// is taken again.
@Suite struct ServeConnectionLimitTests {
    let directory = TemporaryDirectory("plue-connections")

    @Test func oneAddressHoldsAQuarterOfTheConnectionsAndNoMore() throws {
        // 8 in all, 2 from one address: every connection here comes from 127.0.0.1.
        let forge = try APIForge(directory, serveArguments: ["--max-connections", "8"])
        let held = try (0..<2).map { _ in try RawConnection(url: forge.server.url) }
        // Both are counted once the server has accepted them: each answers a request.
        for connection in held {
            try connection.send("GET /healthz HTTP/1.1\r\nHost: plue\r\n\r\n")
            #expect(connection.readAll().hasPrefix("HTTP/1.1 200"))
        }
        let refused = try RawConnection(url: forge.server.url)
        #expect(waitUntil { refused.isClosedByPeer() }, "a third connection from one address stayed open")
        #expect(forge.server.log.contains("closed 1 new connection(s) past the cap of 8 open, 2 from one address"), "\(forge.server.log)")
        // Nothing of it was read: no request line for it in the log.
        #expect(forge.server.log.components(separatedBy: "GET /healthz").count == 3, "\(forge.server.log)")
        // A connection that closes gives its place back.
        held[0].close()
        // Until the server has seen that close, a new connection is refused as well, and counted.
        var answer = try forge.curl("/metrics")
        var refusedMeanwhile = 0
        for _ in 0..<50 where answer.status != 200 {
            refusedMeanwhile += 1
            Thread.sleep(forTimeInterval: 0.1)
            answer = try forge.curl("/metrics")
        }
        #expect(answer.status == 200)
        #expect(answer.body.contains("\nplue_http_connections_refused_total \(1 + refusedMeanwhile)\n"), "\(answer.body)")
        // The metrics connection itself and the one still held.
        #expect(answer.body.contains("\nplue_http_connections 2\n"), "\(answer.body)")
        held[1].close()
    }

    @Test func aCapOfNothingIsRefusedAtStart() throws {
        let plue = try PlueRunner(home: directory.child("home"))
        try plue.ok(["init"])
        let result = try plue.run(["serve", "--max-connections", "0"])
        #expect(result.status != 0 && result.errorOutput.contains("--max-connections must be a positive number"), "\(result.errorOutput)")
    }

    @Test func theOpenFileLimitIsRaisedToTheHardOneAndAShortOneIsToldOf() throws {
        let plue = try PlueRunner(home: directory.child("home"))
        try plue.ok(["init"])
        // Started with a soft limit of 64 and a hard one of 600, below the 896 the default caps
        // may use (512 connections, 16 git requests of 8, 256 more).
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
        process.arguments = ["--nofile=64:600", plue.binary, "serve", "--listen", "127.0.0.1:0", "--home", plue.home]
        process.environment = Command.environment([:])
        let output = Pipe()
        process.standardOutput = output
        let logPath = directory.child("limit.log")
        FileManager.default.createFile(atPath: logPath, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        #expect(line.contains("listening on"), "\(line)")
        // prlimit and plue exec in turn, so the server is the process started.
        let limits = try String(contentsOfFile: "/proc/\(process.processIdentifier)/limits", encoding: .utf8)
        let openFiles = limits.split(separator: "\n").first { $0.hasPrefix("Max open files") }.map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        #expect(openFiles.map { Array($0[3...4]) } == ["600", "600"], "\(limits)")
        let log = try String(contentsOfFile: logPath, encoding: .utf8)
        #expect(log.contains("the open-file limit is 600, below the 896 that --max-connections 512"), "\(log)")
    }

    private func waitUntil(_ condition: () -> Bool) -> Bool {
        for _ in 0..<50 {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }
}
