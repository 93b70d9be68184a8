import Foundation
import PlueTestSupport
import Testing

/// What an agent's client relies on besides the operations themselves: a body a route does not
/// take is refused, a busy session says when to come back without command-line advice, lists come
/// a page at a time, a delete names what is missing, and a limited token is told its limit.
@Suite struct ServeSessionConventionsTests {
    let directory = TemporaryDirectory("plue-api-conventions")

    @Test func aRouteWithoutFieldsRefusesABodyWithThem() throws {
        let forge = try SessionAPIForge(directory)
        _ = try forge.call("PUT", SessionAPIForge.base + "/sessions/\(forge.session)/files/a.txt", body: "a")
        _ = try forge.call("PUT", SessionAPIForge.base + "/sessions/\(forge.session)/files/b.txt", body: "b")
        let before = try forge.operationKinds()
        for route in ["undo", "redo", "unrevert", "abort"] {
            let answer = try forge.call("POST", SessionAPIForge.base + "/sessions/\(forge.session)/\(route)", body: #"{"count": 2}"#)
            #expect(answer.status == 400 && answer.body.contains("count"), "\(route): \(answer.status) \(answer.body)")
        }
        #expect(try forge.operationKinds() == before, "nothing was undone")
        #expect(try forge.call("POST", SessionAPIForge.base + "/sessions/\(forge.session)/undo", body: "{}").status == 200)
        #expect(try forge.call("POST", SessionAPIForge.base + "/sessions/\(forge.session)/undo").status == 200)
        #expect(try forge.operationKinds().prefix(2) == ["undo", "undo"])
    }

    @Test func aBusySessionSaysWhenToComeBackInItsOwnWords() throws {
        let forge = try SessionAPIForge(directory)
        let gate = directory.child("gate")
        #expect(try forge.plue.raw(["agent", "add", "wait", "--home", forge.plue.home, "--", "sh", "-c",
                                    "while [ ! -e \(gate) ]; do sleep 0.05; done"]).status == 0)
        let started = try forge.call("POST", SessionAPIForge.base + "/sessions/\(forge.session)/turns", body: #"{"agent": "wait", "prompt": "x"}"#)
        #expect(started.status == 202)
        let busy = try forge.call("PUT", SessionAPIForge.base + "/sessions/\(forge.session)/files/x.txt", body: "x")
        #expect(busy.status == 503 && busy.headers["retry-after"] == "5", "\(busy.status) \(busy.headers)")
        #expect(busy.body.contains("turn 1") && !busy.body.contains("--wait") && !busy.body.contains("plue session"), "\(busy.body)")
        // At the command line the hint stays.
        let cli = try forge.plue.run(["session", "snapshot", forge.session])
        #expect(cli.status == 75 && cli.errorOutput.contains("--wait") && cli.errorOutput.contains("plue session abort"), "\(cli.errorOutput)")
        #expect(FileManager.default.createFile(atPath: gate, contents: nil))
        let deadline = Date().addingTimeInterval(30)
        while try forge.array(SessionAPIForge.base + "/sessions/\(forge.session)/turns").first?["state"] as? String == "running", Date() < deadline {
            usleep(50_000)
        }
    }

    @Test func listsComeAPageAtATime() throws {
        let forge = try SessionAPIForge(directory)
        for index in 0..<3 {
            _ = try forge.call("PUT", SessionAPIForge.base + "/sessions/\(forge.session)/files/f\(index).txt", body: "\(index)")
            #expect(try forge.call("POST", SessionAPIForge.base + "/sessions", body: #"{"title": "more \#(index)"}"#).status == 201)
        }
        let sessions = try forge.call("GET", SessionAPIForge.base + "/sessions?limit=2")
        #expect(sessions.status == 200 && sessions.headers["x-total-count"] == "4", "\(sessions.headers)")
        #expect(try JSONSerialization.jsonObject(with: Data(sessions.body.utf8)) as? [Any] != nil)
        #expect((try JSONSerialization.jsonObject(with: Data(sessions.body.utf8)) as? [Any])?.count == 2)
        #expect(sessions.headers["link"]?.contains("page=2&limit=2") == true, "\(sessions.headers)")
        let operations = try forge.call("GET", SessionAPIForge.base + "/sessions/\(forge.session)/operations?limit=1&page=2")
        #expect(operations.status == 200 && operations.headers["x-total-count"] == "4", "\(operations.headers)")
        let second = try JSONSerialization.jsonObject(with: Data(operations.body.utf8)) as? [[String: Any]]
        #expect(second?.count == 1 && second?.first?["kind"] as? String == "write", "\(operations.body)")
        let land = try forge.call("GET", SessionAPIForge.base + "/land?all=true&limit=50")
        #expect(land.status == 200 && land.headers["x-total-count"] == "0")
        #expect(try forge.call("GET", SessionAPIForge.base + "/land?limit=51").status == 400)
    }

    @Test func aDeleteNamesWhatIsMissingAndALimitedTokenItsLimit() throws {
        let forge = try SessionAPIForge(directory)
        let below = try forge.call("DELETE", SessionAPIForge.base + "/sessions/\(forge.session)/files/README.md/x")
        #expect(below.status == 404 && !below.body.contains("delete it first"), "\(below.status) \(below.body)")
        let folder = try forge.call("DELETE", SessionAPIForge.base + "/sessions/\(forge.session)/files/src")
        #expect(folder.status == 422 && folder.body.contains("patch"), "\(folder.body)")
        let outside = try forge.call("POST", SessionAPIForge.base + "/land", as: "alice-session", body: #"{"branch": "main"}"#)
        #expect(outside.status == 403 && outside.body.contains("reaches only session") && outside.body.contains("acts outside it"), "\(outside.body)")
    }

    /// A read of the working copy snapshots it first, which records an operation: a token that may
    /// not change the session reads the last recorded state instead and records nothing.
    @Test func aReadOnlyTokenRecordsNothing() throws {
        let forge = try SessionAPIForge(directory)
        try "edited on disk\n".write(toFile: forge.workdir + "/disk.txt", atomically: true, encoding: .utf8)
        let before = try forge.operationKinds()
        for path in ["/diff", "/diff?format=json", "/files", "/files/README.md", "/changes/@", "/conflicts"] {
            let answer = try forge.call("GET", SessionAPIForge.base + "/sessions/\(forge.session)" + path, as: "alice-read")
            #expect(answer.status == 200 && !answer.body.contains("disk.txt"), "\(path): \(answer.status) \(answer.body.prefix(300))")
        }
        #expect(try forge.operationKinds() == before, "nothing recorded")
        let full = try forge.call("GET", SessionAPIForge.base + "/sessions/\(forge.session)/diff", as: "alice")
        #expect(full.status == 200 && full.body.contains("disk.txt"))
        #expect(try forge.operationKinds().first == "snapshot")
    }
}
