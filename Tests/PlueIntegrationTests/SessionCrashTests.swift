import Foundation
import PlueTestSupport
import Testing

/// `plue session snapshot` killed with SIGKILL at different moments: the session stays usable, the
/// last recorded operation is intact, and the next snapshot records exactly the files on disk.
@Suite struct SessionCrashTests {
    @Test func killedSnapshotsLeaveTheSessionUsable() throws {
        let directory = TemporaryDirectory("plue-crash")
        let home = directory.child("home")
        let plue = try PlueRunner(home: home)
        try plue.setUpDemo(seed: directory.child("seed"))
        let created = try #require(try plue.json(["session", "new", "alice/demo"]) as? [String: Any])
        let id = try #require(created["id"] as? String)
        let workdir = try #require(created["workdir"] as? String)

        for (round, delay) in [2, 5, 10, 20, 40, 80].enumerated() {
            // Enough new content that a snapshot takes a while.
            for index in 0..<400 {
                try String(repeating: "round \(round) file \(index)\n", count: 50)
                    .write(toFile: workdir + "/r\(round)-\(index).txt", atomically: false, encoding: .utf8)
            }
            let before = try #require(try plue.json(["session", "ops", id]) as? [[String: Any]])
            let process = Process()
            process.executableURL = URL(fileURLWithPath: plue.binary)
            process.arguments = ["session", "snapshot", id, "--home", home]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(useconds_t(delay * 1000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            // Whatever the killed process managed, the log is whole and its newest entry consistent.
            let after = try #require(try plue.json(["session", "ops", id]) as? [[String: Any]])
            #expect(after.count == before.count || after.count == before.count + 1, "round \(round)")
            #expect(Array(after.suffix(before.count)).map { $0["id"] as? Int } == before.map { $0["id"] as? Int })
            let show = try #require(try plue.json(["session", "show", id]) as? [String: Any])
            let bookmark = try Command.git(["-C", home + "/repos/alice/demo.git", "rev-parse", "refs/plue/sessions/\(id)"])
            #expect(show["workingCopy"] as? String == (after.first?["workingCopy"] as? String))

            // The next snapshot works and records the files exactly as they are.
            try plue.ok(["session", "snapshot", id])
            let recorded = try #require(try plue.json(["session", "files", id]) as? [[String: Any]]).compactMap { $0["path"] as? String }
            // The working directory's own .git is the agent's, never recorded.
            let onDisk = try FileManager.default.contentsOfDirectory(atPath: workdir).sorted().filter { $0 != ".git" }
            #expect(recorded == onDisk, "round \(round)")
            let head = try #require(try plue.json(["session", "show", id]) as? [String: Any])
            let newBookmark = try Command.git(["-C", home + "/repos/alice/demo.git", "rev-parse", "refs/plue/sessions/\(id)"])
            #expect(newBookmark == head["workingCopy"] as? String && !bookmark.isEmpty)
        }
    }
}
