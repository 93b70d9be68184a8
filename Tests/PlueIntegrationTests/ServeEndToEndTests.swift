import Foundation
import PlueTestSupport
import Testing

/// `plue serve` run as an operator would: it listens, answers with JSON over a real socket (read
/// with the real curl), logs one line per request without query strings, stops on SIGTERM, and
/// refuses to start without a private secret file.
@Suite struct ServeEndToEndTests {
    let directory = TemporaryDirectory("plue-serve")

    func home() throws -> PlueRunner {
        let plue = try PlueRunner(home: directory.child("home"))
        try plue.setUpDemo()
        return plue
    }

    @Test func answersJSONLogsEachRequestAndStopsOnSIGTERM() throws {
        let plue = try home()
        let server = try ServeProcess(plue: plue, logPath: directory.child("serve.log"))
        #expect(server.url.hasPrefix("http://127.0.0.1:"))

        let health = try server.curl("/healthz")
        #expect(health.status == 200)
        #expect(try object(health.body)["status"] as? String == "ok")
        let version = try server.curl("/api/v1/version")
        #expect(version.status == 200)
        #expect(try object(version.body)["version"] as? String == (try plue.ok(["--version"])).trimmingCharacters(in: .whitespacesAndNewlines))

        // An unknown route is the API's one error body, not Hummingbird's empty answer.
        let missing = try server.curl("/api/v1/nothing-here?access_token=plue_0123456789")
        #expect(missing.status == 404)
        let error = try #require(try object(missing.body)["error"] as? [String: Any])
        #expect(error["code"] as? String == "not_found")
        #expect(error["message"] as? String == "no route for GET /api/v1/nothing-here")

        // A token put in the path itself is neither echoed nor logged.
        let leaked = "plue_" + String(repeating: "ab", count: 20)
        let inPath = try server.curl("/api/v1/\(leaked)/x")
        #expect(inPath.status == 404 && !inPath.body.contains(leaked) && inPath.body.contains("plue_***"), "\(inPath.body)")
        // Percent-encoded too: whoever reads the log can decode it.
        let encoded = try server.curl("/api/v1/plue%5f\(leaked.dropFirst(5))/y")
        #expect(encoded.status == 404 && !encoded.body.contains(leaked.dropFirst(5)), "\(encoded.body)")

        #expect(server.stop(SIGTERM) == 0)
        let log = server.log
        #expect(!log.contains(leaked.dropFirst(5)) && log.contains("/api/v1/plue_***/x 404") && log.contains("/api/v1/plue_***/y 404"), "\(log)")
        #expect(log.contains("GET /healthz 200"), "\(log)")
        // Each line as swift-log's stream handler lays it out: time with its zone, level, label,
        // source, then the request.
        let line = try #require(log.split(separator: "\n").first { $0.contains("GET /healthz 200") })
        #expect(line.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} info plue\.serve: \[PlueServer\] GET \/healthz 200 \d+\.\dms token=- from=127\.0\.0\.1/) != nil,
                "\(line)")
        #expect(log.contains("GET /api/v1/nothing-here 404"), "\(log)")
        // The query, which may hold a secret, is never written to the log.
        #expect(!log.contains("access_token"), "\(log)")
        #expect(!log.contains("plue_0123456789"), "\(log)")
    }

    @Test func metricsCountRequestsByRoutePatternAndTheForgeByState() throws {
        let plue = try PlueRunner(home: directory.child("home"))
        try plue.setUpDemo(seed: directory.child("seed"))
        _ = try plue.json(["session", "new", "alice/demo"])
        _ = try plue.json(["session", "new", "alice/demo"])
        try Command.git(["checkout", "-q", "-b", "topic"], in: directory.child("seed"))
        try Command.git(["commit", "-q", "--allow-empty", "-m", "topic"], in: directory.child("seed"))
        try Command.git(["push", "-q", plue.home + "/repos/alice/demo.git", "topic"], in: directory.child("seed"))
        try plue.ok(["land", "enqueue", "alice/demo", "--branch", "topic"])
        let server = try ServeProcess(plue: plue, arguments: ["--land-interval", "0.1"], logPath: directory.child("serve.log"))
        defer { server.stop() }
        // The server lands the entry itself; the counts are read once it has.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !server.log.contains(": landed") { usleep(50_000) }
        _ = try server.curl("/healthz")
        _ = try server.curl("/healthz")
        _ = try server.curl("/no/such/path")
        _ = try server.curl("/another/unknown")

        let metrics = try server.curl("/metrics")
        #expect(metrics.status == 200)
        let lines = Set(metrics.body.split(separator: "\n").map(String.init))
        #expect(lines.contains(#"plue_http_requests_total{method="GET",route="/healthz",status="200"} 2"#), "\(metrics.body)")
        // Unknown paths share one label, whatever they were.
        #expect(lines.contains(#"plue_http_requests_total{method="GET",route="unmatched",status="404"} 2"#), "\(metrics.body)")
        #expect(!metrics.body.contains("/no/such/path"))
        #expect(lines.contains(#"plue_http_request_duration_seconds_count{route="/healthz"} 2"#), "\(metrics.body)")
        #expect(lines.contains(#"plue_sessions{status="active"} 2"#), "\(metrics.body)")
        #expect(lines.contains(#"plue_land_entries{state="landed"} 1"#), "\(metrics.body)")
        #expect(lines.contains(#"plue_land_entries{state="queued"} 0"#), "\(metrics.body)")
        #expect(lines.contains("plue_land_queue_depth 0"), "\(metrics.body)")
        #expect(lines.contains("plue_workflow_jobs{status=\"queued\"} 0"), "\(metrics.body)")
    }

    @Test func theCommandLineGivesItsHintApartFromTheMessageInJSON() throws {
        let plue = try home()
        let result = try plue.run(["repo", "show", "alice/nothing", "--json"])
        #expect(result.status == 66)
        let error = try #require(try object(result.errorOutput)["error"] as? [String: Any])
        #expect(error["message"] as? String == "no repository alice/nothing")
        #expect(error["hint"] as? String == "list repositories with `plue repo list`")
        let text = try plue.run(["repo", "show", "alice/nothing"])
        #expect(text.errorOutput == "error: no repository alice/nothing; list repositories with `plue repo list`\n")
    }

    @Test func theServerRunsTheLandingQueue() throws {
        let plue = try PlueRunner(home: directory.child("home"))
        let seed = directory.child("seed")
        try plue.setUpDemo(seed: seed, files: ["a.txt": "a\n"])
        try Command.git(["checkout", "-q", "-b", "topic"], in: seed)
        try "b\n".write(toFile: seed + "/b.txt", atomically: true, encoding: .utf8)
        try Command.git(["add", "b.txt"], in: seed)
        try Command.git(["commit", "-q", "-m", "topic"], in: seed)
        try Command.git(["push", "-q", plue.home + "/repos/alice/demo.git", "topic"], in: seed)
        let server = try ServeProcess(plue: plue, arguments: ["--land-interval", "0.2"], logPath: directory.child("serve.log"))
        defer { server.stop() }
        let entry = try #require(try plue.json(["land", "enqueue", "alice/demo", "--branch", "topic", "--strategy", "merge"]) as? [String: Any])
        let id = try #require(entry["id"] as? Int)
        var state = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            state = (try plue.json(["land", "show", String(id)]) as? [String: Any])?["state"] as? String ?? ""
            if state != "queued" && state != "checking" { break }
            usleep(100_000)
        }
        #expect(state == "landed", "\(server.log)")
        // git itself sees the branch's commit on main, with no `plue land run` started.
        let topic = try Command.git(["rev-parse", "topic"], in: seed).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(throws: Never.self) {
            try Command.git(["merge-base", "--is-ancestor", topic, "main"], in: plue.home + "/repos/alice/demo.git")
        }
        #expect(server.log.contains("land entry \(id) of alice/demo: landed"), "\(server.log)")
    }

    @Test func refusesASecretOthersCanReadALinkedOneOrNone() throws {
        let plue = try home()
        let secret = plue.home + "/secret"

        chmod(secret, 0o644)
        var result = try plue.run(["serve", "--listen", "127.0.0.1:0"])
        #expect(result.status == 1)
        #expect(result.errorOutput.contains("chmod 600"), "\(result.errorOutput)")

        chmod(secret, 0o600)
        try FileManager.default.moveItem(atPath: secret, toPath: secret + ".real")
        try FileManager.default.createSymbolicLink(atPath: secret, withDestinationPath: secret + ".real")
        result = try plue.run(["serve", "--listen", "127.0.0.1:0"])
        #expect(result.status == 1)
        #expect(result.errorOutput.contains("not a regular file"), "\(result.errorOutput)")

        try FileManager.default.removeItem(atPath: secret)
        result = try plue.run(["serve", "--listen", "127.0.0.1:0"])
        #expect(result.status == 1)
        #expect(result.errorOutput.contains("missing"), "\(result.errorOutput)")
    }

    /// A second server on a port already taken ends at once with an error saying so, whatever
    /// the services beside the HTTP server (the landing queue, the workflow runners) are doing.
    @Test func endsWhenItsPortIsTaken() throws {
        let plue = try home()
        let first = try ServeProcess(plue: plue, logPath: directory.child("first.log"))
        defer { _ = first.stop() }
        let port = String(try #require(first.url.split(separator: ":").last))
        let start = Date()
        let second = try Command.run("/usr/bin/timeout", ["30", plue.binary, "serve", "--listen", "127.0.0.1:" + port,
                                                          "--home", plue.home, "--runner-same-account"])
        #expect(second.status != 0 && second.status != 124, "\(second.status) \(second.errorOutput)")
        #expect(second.errorOutput.contains("check that 127.0.0.1:\(port) is free"), "\(second.errorOutput)")
        #expect(Date().timeIntervalSince(start) < 20)
        #expect(try first.curl("/healthz").status == 200)
    }

    @Test func refusesAnAddressItCannotRead() throws {
        let plue = try home()
        for address in ["", "localhost:", "127.0.0.1:99999", "127.0.0.1:-1", "[::1", "host name:80", "127.0.0.1:3\u{1b}[0m"] {
            let result = try plue.run(["serve", "--listen", address])
            #expect(result.status == 65, "\(address): \(result.status) \(result.errorOutput)")
            #expect(!result.errorOutput.contains("\u{1b}"), "\(address)")
        }
    }

    private func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }
}
