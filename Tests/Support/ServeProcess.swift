import Foundation

/// A running `plue serve` on a free port of 127.0.0.1, driven with the real `curl`.
public final class ServeProcess: @unchecked Sendable {
    public let url: String
    public let process: Process
    /// Where the server's standard error (its request log) goes.
    public let logPath: String

    /// Starts `plue serve --listen 127.0.0.1:0` with `arguments` (and `environment` added to the
    /// tests' own) and waits for its "listening on" line.
    public init(plue: PlueRunner, arguments: [String] = [], logPath: String, environment: [String: String] = [:]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: plue.binary)
        process.arguments = ["serve", "--listen", "127.0.0.1:0"] + arguments + ["--home", plue.home]
        process.environment = Command.environment(environment)
        let output = Pipe()
        process.standardOutput = output
        FileManager.default.createFile(atPath: logPath, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: logPath)
        self.logPath = logPath
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while !text.contains("\n") && Date() < deadline {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let range = text.range(of: "listening on ") else {
            process.terminate()
            process.waitUntilExit()
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw CommandFailure(description: "plue serve did not start (exit \(process.terminationStatus)): \(text) \(log)")
        }
        url = String(text[range.upperBound...].prefix { !$0.isNewline })
    }

    /// `curl` to `path`: the status, the body and the response's header lines (lower-cased names).
    /// `arguments` go before the URL (`-X`, `-H`, `--data-binary`).
    public func curl(_ path: String, _ arguments: [String] = []) throws -> (status: Int, body: String, headers: [String: String]) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("curl-\(UUID().uuidString)").path
        defer {
            try? FileManager.default.removeItem(atPath: base + ".body")
            try? FileManager.default.removeItem(atPath: base + ".headers")
        }
        let result = try Command.run("/usr/bin/curl", ["-s", "-o", base + ".body", "-D", base + ".headers", "-w", "%{http_code}",
                                                       "--max-time", "30"] + arguments + [url + path])
        let text = (try? String(contentsOfFile: base + ".body", encoding: .utf8)) ?? ""
        var headers: [String: String] = [:]
        for line in ((try? String(contentsOfFile: base + ".headers", encoding: .utf8)) ?? "").split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (Int(result.trimmed) ?? 0, text, headers)
    }

    /// The request log so far.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Sends `signal` and waits for the process to end; returns its exit status.
    @discardableResult
    public func stop(_ signal: Int32 = SIGTERM) -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate(); process.waitUntilExit() } }
}
