import Foundation
import Glibc
import PlueTestSupport
import Testing

/// Clients that break HTTP on purpose, over a raw socket: a body sent a byte at a time (closed, as
/// the grace and the minimum rate say, and nothing made), a malformed chunk and a body cut short
/// (400, never 500, and nothing made).
@Suite struct ServeSlowClientTests {
    let directory = TemporaryDirectory("plue-slow")

    @Test func aBodyTrickledAByteAtATimeIsCutOffAndChangesNothing() throws {
        let forge = try APIForge(directory, serveArguments: ["--idle-timeout", "2"])
        let token = try #require(forge.tokens["alice"])
        let body = #"{"name": "trickled", "description": "one byte at a time, for ever"}"#
        let connection = try RawConnection(url: forge.server.url)
        try connection.send("POST /api/v1/user/repos HTTP/1.1\r\nHost: plue\r\nAuthorization: Bearer \(token)\r\n"
                            + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n")
        // Each byte comes well inside the idle timeout, so only the rate can end this.
        let start = Date()
        var closedAfter: TimeInterval?
        for byte in body.utf8.dropLast() {
            guard (try? connection.send(String(UnicodeScalar(byte)))) != nil, !connection.isClosedByPeer() else {
                closedAfter = Date().timeIntervalSince(start)
                break
            }
            Thread.sleep(forTimeInterval: 0.5)
        }
        let after = try #require(closedAfter, "the server kept reading a trickled body for \(Date().timeIntervalSince(start)) s")
        #expect(after >= 1.5 && after < 10, "closed after \(after) s")
        #expect(forge.server.log.contains("came too slowly"), "\(forge.server.log)")
        // Nothing was made, and the server still answers.
        #expect(try forge.curl("/api/v1/repos/alice/trickled", token: "alice").status == 404)
        #expect(try forge.curl("/api/v1/version").status == 200)
    }

    @Test func aClientJustFastEnoughCannotHoldOffTheServersStop() throws {
        let forge = try APIForge(directory, serveArguments: ["--stop-timeout", "2", "--max-body-size", "10000000"])
        let token = try #require(forge.tokens["alice"])
        let connection = try RawConnection(url: forge.server.url)
        try connection.send("POST /api/v1/user/repos HTTP/1.1\r\nHost: plue\r\nAuthorization: Bearer \(token)\r\n"
                            + "Content-Type: application/json\r\nContent-Length: 5000000\r\n\r\n{\"name\": \"held\", \"description\": \"")
        let sender = Thread {
            // 4 KB a second: above the slowest rate a body may come at, so only the stop's
            // deadline ends it.
            for _ in 0..<60 {
                guard (try? connection.send(String(repeating: "x", count: 2048))) != nil else { return }
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
        sender.start()
        Thread.sleep(forTimeInterval: 1)
        let signalled = Date()
        let status = forge.server.stop(SIGTERM)
        let took = Date().timeIntervalSince(signalled)
        #expect(took >= 1.5 && took < 10, "stopped after \(took) s")
        #expect(status == 1 && forge.server.log.contains("cut off"), "exit \(status): \(forge.server.log)")
        #expect(try forge.plue.run(["repo", "show", "alice/held"]).status != 0)
    }

    @Test func gitRequestsPastTheCapWaitWith503() throws {
        // One git process in all: a second request, anonymous or not, waits until it ends.
        let forge = try GitHTTPForge(serveArguments: ["--max-git-requests", "1"])
        let held = try RawConnection(url: forge.server.url)
        // A fetch whose body never ends keeps its git upload-pack running. (One of at most 64 KiB
        // is read whole before git starts, for the fetch cache, and holds no git meanwhile.)
        try held.send("POST /alice/demo.git/git-upload-pack HTTP/1.1\r\nHost: plue\r\n"
                      + "Content-Type: application/x-git-upload-pack-request\r\nContent-Length: 100000\r\n\r\n0032want ")
        Thread.sleep(forTimeInterval: 0.5)
        let refused = try forge.server.curl("/alice/demo.git/info/refs?service=git-upload-pack")
        #expect(refused.status == 503 && refused.headers["retry-after"] == "5" && refused.body.contains("git requests"), "\(refused)")
        let clone = try Command.run("/usr/bin/git", ["clone", "-q", forge.url("alice/demo.git"), forge.directory.child("refused")])
        #expect(clone.status != 0 && clone.errorOutput.contains("503"), "\(clone.errorOutput)")
        // Once the first request is gone, its place is free again.
        held.close()
        var status = 0
        for _ in 0..<50 where status != 200 {
            status = try forge.server.curl("/alice/demo.git/info/refs?service=git-upload-pack").status
            if status != 200 { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(status == 200)
        let again = try Command.run("/usr/bin/git", ["clone", "-q", forge.url("alice/demo.git"), forge.directory.child("cloned")])
        #expect(again.status == 0, "\(again.errorOutput)")
    }

    @Test func aMalformedChunkAndABodyCutShortAre400AndChangeNothing() throws {
        let forge = try APIForge(directory)
        let token = try #require(forge.tokens["alice"])
        let head = "POST /api/v1/user/repos HTTP/1.1\r\nHost: plue\r\nAuthorization: Bearer \(token)\r\nContent-Type: application/json\r\n"

        let chunked = try RawConnection(url: forge.server.url)
        try chunked.send(head + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{\"name\": \"chunky\"}\r\n0\r\n\r\n")
        let chunkedAnswer = chunked.readAll()
        #expect(chunkedAnswer.hasPrefix("HTTP/1.1 400"), "\(chunkedAnswer)")
        #expect(chunkedAnswer.contains("bad_request"), "\(chunkedAnswer)")

        // The client says 100 bytes, sends 16 that would make a whole JSON object, and stops.
        let short = try RawConnection(url: forge.server.url)
        try short.send(head + "Content-Length: 100\r\n\r\n" + #"{"name": "cut"} "#)
        short.finishSending()
        let shortAnswer = short.readAll()
        #expect(shortAnswer.hasPrefix("HTTP/1.1 400"), "\(shortAnswer)")

        #expect(try forge.curl("/api/v1/repos/alice/chunky", token: "alice").status == 404)
        #expect(try forge.curl("/api/v1/repos/alice/cut", token: "alice").status == 404)
        #expect(!forge.server.log.contains(" 500 "), "\(forge.server.log)")
        #expect(!forge.server.log.contains("request failed"), "\(forge.server.log)")
    }
}

/// One TCP connection to a server's `http://HOST:PORT`, for requests curl will not send.
final class RawConnection: @unchecked Sendable {
    private let descriptor: Int32

    init(url: String) throws {
        let hostPort = url.replacingOccurrences(of: "http://", with: "")
        guard let colon = hostPort.lastIndex(of: ":"), let port = UInt16(hostPort[hostPort.index(after: colon)...]) else {
            throw CommandFailure(description: "not an http://HOST:PORT address: \(url)")
        }
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, String(hostPort[..<colon]), &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw CommandFailure(description: "could not connect to \(url): errno \(errno)") }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    private var closed = false

    deinit { close() }

    func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(descriptor)
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        let sent = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw CommandFailure(description: "send failed: errno \(errno)") }
    }

    /// No more bytes from this side; the server still may answer.
    func finishSending() {
        shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Whether the server has closed its side (a read that would not block finds the end).
    func isClosedByPeer() -> Bool {
        var byte: UInt8 = 0
        let count = recv(descriptor, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        return count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    }

    /// One response: its head and as much body as its Content-Length says, or what came before
    /// the server closed (or 20 seconds passed).
    func readAll() -> String {
        var text = ""
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !Self.isWhole(text) {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { break }
            text += String(decoding: buffer[0..<count], as: UTF8.self)
        }
        return text
    }

    private static func isWhole(_ response: String) -> Bool {
        guard let end = response.range(of: "\r\n\r\n") else { return false }
        let head = response[..<end.lowerBound].lowercased()
        guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
              let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) else { return false }
        return response[end.upperBound...].utf8.count >= length
    }
}
