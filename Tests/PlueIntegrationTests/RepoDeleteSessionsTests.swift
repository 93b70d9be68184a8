import Foundation
import PlueTestSupport
import Testing

/// Deleting a repository takes its sessions with it, so it is refused, from the CLI and over HTTP,
/// while one is open or an ended one holds files no operation stores; --force (`force=true`)
/// deletes anyway. A refused delete changes nothing.
@Suite struct RepoDeleteSessionsTests {
    let directory = TemporaryDirectory("plue-repo-delete")

    @Test func theCommandLineRefusesToDeleteAnAgentsUnfinishedWork() throws {
        let plue = try PlueRunner(home: directory.child("home"))
        try plue.setUpDemo(seed: directory.child("seed"), files: ["README": "hello\n"])
        let id = try #require((try plue.json(["session", "new", "alice/demo"]) as? [String: Any])?["id"] as? String)
        let work = plue.home + "/sessions/\(id)/work"
        try Data(repeating: 7, count: 2 << 20).write(to: URL(fileURLWithPath: work + "/model.bin"))

        let open = try plue.run(["repo", "delete", "alice/demo", "--yes"])
        #expect(open.status == 1 && open.errorOutput.contains(id) && open.errorOutput.contains("still open"), "\(open.errorOutput)")
        #expect(try plue.run(["repo", "show", "alice/demo"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: work + "/model.bin"))
        #expect(try plue.run(["session", "show", id]).status == 0)

        // Aborted, it keeps its working directory, and the 2 MB file no snapshot took (over the
        // session's limit for new files) is still only there.
        try plue.ok(["session", "abort", id])
        let ended = try plue.run(["repo", "delete", "alice/demo", "--yes", "--json"])
        #expect(ended.status == 1 && ended.errorOutput.contains("model.bin"), "\(ended.errorOutput)")
        #expect(FileManager.default.fileExists(atPath: work + "/model.bin"))

        let forced = try plue.run(["repo", "delete", "alice/demo", "--yes", "--force"])
        #expect(forced.status == 0, "\(forced.errorOutput)")
        #expect(!FileManager.default.fileExists(atPath: work))
        #expect(!FileManager.default.fileExists(atPath: plue.home + "/repos/alice/demo.git"))
    }

    @Test func aRepositoryWhoseSessionsAreEndedAndStoredIsDeleted() throws {
        let plue = try PlueRunner(home: directory.child("home"))
        try plue.setUpDemo(seed: directory.child("seed"), files: ["README": "hello\n"])
        let id = try #require((try plue.json(["session", "new", "alice/demo"]) as? [String: Any])?["id"] as? String)
        try "notes\n".write(toFile: plue.home + "/sessions/\(id)/work/notes.txt", atomically: true, encoding: .utf8)
        try plue.ok(["session", "snapshot", id])
        try plue.ok(["session", "abort", id])
        let deleted = try plue.run(["repo", "delete", "alice/demo", "--yes"])
        #expect(deleted.status == 0, "\(deleted.errorOutput)")
        #expect(!FileManager.default.fileExists(atPath: plue.home + "/sessions/\(id)"))
    }

    @Test func aForcedDeleteStopsATurnStillRunning() throws {
        let setup = try SessionTrustEndToEndTests.Setup()
        let pidFile = setup.directory.child("agent.pid")
        let running = try SessionTrustEndToEndTests.start(setup, ["session", "turn", setup.id, "-m", "forever", "--", "sh", "-c",
                                                                  "echo $$ > \(pidFile); sleep 60"])
        var pid: pid_t = 0
        for _ in 0..<200 where pid == 0 {
            pid = pid_t((try? String(contentsOfFile: pidFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
            if pid == 0 { usleep(20_000) }
        }
        #expect(pid > 0)
        let refused = try setup.plue.run(["repo", "delete", "alice/demo", "--yes"])
        #expect(refused.status == 1 && refused.errorOutput.contains("still open"), "\(refused.errorOutput)")
        try setup.plue.ok(["repo", "delete", "alice/demo", "--yes", "--force"])
        _ = running.wait()
        var gone = false
        for _ in 0..<100 where !gone {
            gone = kill(pid, 0) != 0
            if !gone { usleep(20_000) }
        }
        #expect(gone, "the agent still runs after its repository was deleted")
    }

    @Test func overHTTPAnOpenSessionIs409UntilForced() throws {
        let forge = try APIForge(directory)
        let created = try forge.send("POST", "/api/v1/repos/alice/demo/sessions", token: "alice", json: #"{"title": "agent"}"#)
        #expect(created.status == 201, "\(created.body)")

        let refused = try forge.curl("/api/v1/repos/alice/demo", token: "alice", ["-X", "DELETE"])
        #expect(refused.status == 409 && refused.body.contains("still open"), "\(refused.body)")
        #expect(!refused.body.contains(forge.plue.home) && !refused.body.contains("`plue"), "\(refused.body)")
        #expect(try forge.curl("/api/v1/repos/alice/demo", token: "alice").status == 200)

        let forced = try forge.curl("/api/v1/repos/alice/demo?force=true", token: "alice", ["-X", "DELETE"])
        #expect(forced.status == 204, "\(forced.body)")
        #expect(try forge.curl("/api/v1/repos/alice/demo", token: "alice").status == 404)
    }
}
