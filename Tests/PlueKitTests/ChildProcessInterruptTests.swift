import Dispatch
import Foundation
@testable import PlueKit
import Testing

/// Several children run with `stopOnInterrupt` at once in one process (a server's imports, the
/// test runner): none may close a descriptor another owns, and the signal handlers go back to what
/// they were once the last ends.
@Suite struct ChildProcessInterruptTests {
    @Test func concurrentWatchesShareNoDescriptorAndRestoreTheHandlers() throws {
        var before = sigaction()
        sigaction(SIGTERM, nil, &before)
        let failures = LockedList()
        let group = DispatchGroup()
        for index in 0..<32 {
            group.enter()
            DispatchQueue.global().async {
                defer { group.leave() }
                var options = ChildProcess.Options()
                options.stopOnInterrupt = true
                options.ownGroup = true
                do {
                    let outcome = try ChildProcess.run("/bin/sh", ["-c", "sleep 0.0\(index % 10); echo \(index)"],
                                                       environment: ["PATH=/usr/bin:/bin"], options: options)
                    if outcome.status != 0 || String(decoding: outcome.output, as: UTF8.self) != "\(index)\n" {
                        failures.append("child \(index): status \(outcome.status)")
                    }
                } catch {
                    failures.append("child \(index): \(error)")
                }
            }
        }
        // Meanwhile another thread opens, reads and closes its own files; a stray close of one of
        // its descriptors by a watch would show as EBADF here.
        group.enter()
        DispatchQueue.global().async {
            defer { group.leave() }
            for _ in 0..<2_000 {
                let descriptor = open("/dev/zero", O_RDONLY | O_CLOEXEC)
                var byte: UInt8 = 1
                if descriptor < 0 || read(descriptor, &byte, 1) != 1 { failures.append("read: errno \(errno)") }
                close(descriptor)
            }
        }
        #expect(group.wait(timeout: .now() + 60) == .success)
        #expect(failures.items.isEmpty, "\(failures.items)")
        var after = sigaction()
        sigaction(SIGTERM, nil, &after)
        #expect(after.__sigaction_handler.sa_handler.map { unsafeBitCast($0, to: Int.self) }
                == before.__sigaction_handler.sa_handler.map { unsafeBitCast($0, to: Int.self) })
    }
}

private final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func append(_ item: String) { lock.lock(); list.append(item); lock.unlock() }
    var items: [String] { lock.lock(); defer { lock.unlock() }; return list }
}
