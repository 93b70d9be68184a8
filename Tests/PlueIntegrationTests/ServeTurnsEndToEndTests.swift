import Foundation
import PlueTestSupport
import Testing

/// Turns started over HTTP: only a registered agent runs, the request is answered with 202 while
/// the agent runs off the server's loops, and a session runs one turn at a time.
@Suite struct ServeTurnsEndToEndTests {
    let directory = TemporaryDirectory("plue-turns-api")

    /// Follows a turn at its `Location` until it is no longer running.
    func finished(_ forge: SessionAPIForge, _ location: String) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let turn = try SessionAPIForge.object(try forge.call("GET", location).body)
            if turn["state"] as? String != "running" { return turn }
            usleep(100_000)
        }
        throw CommandFailure(description: "the turn at \(location) still runs after 60 seconds")
    }

    /// Whether process `pid` runs: not gone, and not a zombie no one has reaped yet (its parent
    /// gone, it waits for init).
    static func runs(_ pid: Int) -> Bool {
        let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        guard let state = stat?.split(separator: ")").last?.split(separator: " ").first else { return false }
        return state != "Z"
    }

    /// Registers `script` as the agent `long`, starts a turn of it, and waits until the agent has
    /// written something into `file` of the working directory.
    func startTurn(_ forge: SessionAPIForge, _ script: String, until file: String) throws {
        #expect(try forge.plue.raw(["agent", "add", "long", "--home", forge.plue.home, "--", "sh", "-c", script]).status == 0)
        let started = try forge.call("POST", SessionAPIForge.base + "/sessions/\(forge.session)/turns", body: #"{"agent": "long", "prompt": "work"}"#)
        #expect(started.status == 202, "\(started.body)")
        let deadline = Date().addingTimeInterval(30)
        while forge.read(file).map({ !$0.isEmpty }) != true && Date() < deadline { usleep(50_000) }
    }

    @Test func onlyARegisteredAgentRunsAndASessionRunsOneTurnAtATime() throws {
        let forge = try SessionAPIForge(directory)
        let gate = directory.child("gate")
        #expect(try forge.plue.raw(["agent", "add", "slow", "--home", forge.plue.home, "--", "sh", "-c",
                                    "while [ ! -e \(gate) ]; do sleep 0.05; done; printf '%s' \"$PLUE_PROMPT\" > prompt.txt; echo replied"]).status == 0)
        #expect(try forge.plue.raw(["agent", "add", "quick", "--home", forge.plue.home, "--", "sh", "-c", "echo quick >> quick.txt"]).status == 0)
        let turns = SessionAPIForge.base + "/sessions/\(forge.session)/turns"

        let started = try forge.call("POST", turns, body: #"{"agent": "slow", "prompt": "fix the tests\nplease"}"#)
        #expect(started.status == 202, "\(started.body)")
        let turn = try SessionAPIForge.object(started.body)
        #expect(turn["number"] as? Int == 1 && turn["state"] as? String == "running" && turn["prompt"] as? String == "fix the tests\nplease")
        let location = try #require(started.headers["location"])
        #expect(location == turns + "/1")

        // While it runs: a second turn and any change are refused, reads and other routes answer.
        let second = try forge.call("POST", turns, body: #"{"agent": "quick", "prompt": "me too"}"#)
        #expect(second.status == 503 && SessionAPIForge.errorCode(second.body) == "unavailable" && second.body.contains("turn 1"), "\(second.body)")
        #expect(try forge.call("PUT", SessionAPIForge.base + "/sessions/\(forge.session)/files/x.txt", body: "x").status == 503)
        #expect(try forge.call("GET", "/api/v1/version", as: nil).status == 200)
        #expect(try forge.array(turns).first?["state"] as? String == "running")
        #expect(try forge.call("GET", SessionAPIForge.base + "/sessions/\(forge.session)/diff").status == 200)
        #expect(forge.read("quick.txt") == nil && forge.read("x.txt") == nil)

        #expect(FileManager.default.createFile(atPath: gate, contents: nil))
        let done = try finished(forge, location)
        #expect(done["state"] as? String == "done" && done["reply"] as? String == "replied\n" && done["exit_status"] as? Int == 0)
        #expect((done["changed_files"] as? [[String: Any]])?.compactMap { $0["path"] as? String } == ["prompt.txt"])
        #expect(forge.read("prompt.txt") == Data("fix the tests\nplease".utf8))
        let listed = try #require(try forge.plue.json(["session", "turns", forge.session]) as? [[String: Any]])
        #expect(listed.count == 1, "the refused turn never started")

        let next = try forge.call("POST", turns, body: #"{"agent": "quick", "prompt": "now"}"#)
        #expect(next.status == 202)
        let nextDone = try finished(forge, try #require(next.headers["location"]))
        #expect(nextDone["number"] as? Int == 2 && nextDone["state"] as? String == "done" && forge.read("quick.txt") == Data("quick\n".utf8))
        #expect((nextDone["started_at"] as? String ?? "") >= (done["finished_at"] as? String ?? "~"))
        #expect(try forge.array(SessionAPIForge.base + "/sessions/\(forge.session)/messages").compactMap { $0["prompt"] as? String }
                == ["fix the tests\nplease", "now"])
    }

    @Test func aTurnNamesARegisteredAgentAndNothingElse() throws {
        let forge = try SessionAPIForge(directory)
        let marker = directory.child("ran")
        #expect(try forge.plue.raw(["agent", "add", "ok", "--home", forge.plue.home, "--", "true"]).status == 0)
        let turns = SessionAPIForge.base + "/sessions/\(forge.session)/turns"
        // A registered command that is not there: the reply says so without the server's folders.
        #expect(try forge.plue.raw(["agent", "add", "gone", "--home", forge.plue.home, "--", "/nonexistent/agent"]).status == 0)
        let gone = try forge.call("POST", turns, body: #"{"agent": "gone", "prompt": "x"}"#)
        let goneTurn = try finished(forge, try #require(gone.headers["location"]))
        let goneReply = goneTurn["reply"] as? String ?? ""
        #expect(goneTurn["state"] as? String == "failed" && goneReply.contains("not found") && !goneReply.contains(forge.plue.home), "\(goneReply)")
        let refused: [(String, Int, String)] = [
            (#"{"agent": "unknown", "prompt": "x"}"#, 422, "unregistered"),
            (#"{"agent": "../ok", "prompt": "x"}"#, 422, "odd name"),
            (#"{"agent": "touch \#(marker)", "prompt": "x"}"#, 422, "a command line"),
            (#"{"agent": ["touch", "\#(marker)"], "prompt": "x"}"#, 400, "an array"),
            (#"{"command": ["touch", "\#(marker)"], "prompt": "x"}"#, 400, "a command instead"),
            (#"{"agent": "ok"}"#, 400, "no prompt"),
            (#"{"agent": "ok", "prompt": "bell\u0007"}"#, 422, "control character"),
            ("{\"agent\": \"ok\"", 400, "malformed"),
            (#"{"agent": "ok", "prompt": ""# + String(repeating: "p", count: 5000) + #""}"#, 413, "too large"),
        ]
        for (body, status, label) in refused {
            let answer = try forge.call("POST", turns, body: body)
            #expect(answer.status == status && SessionAPIForge.errorCode(answer.body) != nil, "\(label): \(answer.status) \(answer.body)")
        }
        let readOnly = try forge.call("POST", turns, as: "alice-read", body: #"{"agent": "ok", "prompt": "x"}"#)
        #expect(readOnly.status == 403 && SessionAPIForge.errorCode(readOnly.body) == "insufficient_scope")
        let bob = try forge.call("POST", turns, as: "bob", body: #"{"agent": "ok", "prompt": "x"}"#)
        #expect(bob.status == 404, "not bob's session")
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(try forge.array(turns).count == 1, "only the turn of the missing command")

        // The session's own token may start one.
        let own = try forge.call("POST", turns, as: "alice-session", body: #"{"agent": "ok", "prompt": "go"}"#)
        #expect(own.status == 202, "\(own.body)")
        #expect(try finished(forge, try #require(own.headers["location"]))["state"] as? String == "done")
    }

    /// An agent's command gets its three standard streams and nothing of the server's: with the
    /// listening socket it could accept other clients' requests and read their tokens.
    @Test func anAgentInheritsNoDescriptorOfTheServer() throws {
        let forge = try SessionAPIForge(directory)
        #expect(try forge.plue.raw(["agent", "add", "fds", "--home", forge.plue.home, "--", "sh", "-c",
                                    "ls -l /proc/$$/fd /proc/self/fd > fds.txt 2>&1"]).status == 0)
        let started = try forge.call("POST", SessionAPIForge.base + "/sessions/\(forge.session)/turns",
                                     body: #"{"agent": "fds", "prompt": "list"}"#)
        #expect(started.status == 202, "\(started.body)")
        #expect(try finished(forge, try #require(started.headers["location"]))["state"] as? String == "done")
        let listing = String(decoding: try #require(forge.read("fds.txt")), as: UTF8.self)
        #expect(listing.contains("/proc/"), "\(listing)")
        for inherited in ["socket:", "anon_inode:", "plue.sqlite"] {
            #expect(!listing.contains(inherited), "\(inherited) in the agent's descriptors:\n\(listing)")
        }
    }

    /// A server that stops during a turn stops the agent's whole group and records the turn as
    /// interrupted with what the agent printed and the files it left, rather than leave it running with no one to record it.
    @Test func aServerThatStopsEndsItsTurnsAndRecordsThem() throws {
        let forge = try SessionAPIForge(directory)
        try startTurn(forge, "echo partial > partial.txt; echo working on it; sleep 300 & echo $! > sleeper.txt; wait", until: "sleeper.txt")
        let pidFile = try #require(forge.read("sleeper.txt"))
        let sleeper = try #require(Int32(String(decoding: pidFile, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))

        let stopping = Date()
        #expect(forge.server.stop(SIGTERM) == 0, "\(forge.server.log)")
        #expect(Date().timeIntervalSince(stopping) < 20)
        #expect(!Self.runs(Int(sleeper)), "the agent's group is gone with the server")
        let turns = try #require(try forge.plue.json(["session", "turns", forge.session]) as? [[String: Any]])
        let turn = try #require(turns.first)
        #expect(turn["state"] as? String == "interrupted", "\(turn)")
        #expect((turn["reply"] as? String)?.contains("the server stopped") == true, "\(turn)")
        #expect((turn["reply"] as? String)?.hasPrefix("working on it\n") == true, "what the agent printed before is kept: \(turn)")
        let changed = (turn["changed_files"] as? [[String: Any]] ?? turn["changedFiles"] as? [[String: Any]])?.compactMap { $0["path"] as? String }
        #expect(changed?.contains("partial.txt") == true, "\(turn)")
    }

    /// A server killed outright records nothing; reading the turn then says it was interrupted
    /// (not running, which a client following it would wait on for ever), and the next command
    /// stops what the agent left running and records the turn.
    @Test func aTurnWhoseServerWasKilledReadsAsInterrupted() throws {
        let forge = try SessionAPIForge(directory)
        try startTurn(forge, "echo partial > partial.txt; sleep 300", until: "partial.txt")
        _ = forge.server.stop(SIGKILL)

        let read = try #require(try forge.plue.json(["session", "turns", forge.session]) as? [[String: Any]])
        #expect(read.first?["state"] as? String == "interrupted", "\(read)")
        // A new server stops the agent (still running) before it serves, and records the turn.
        let agent = try #require(read.first?["processGroup"] as? Int)
        #expect(Self.runs(agent), "the agent outlived the killed server")
        let next = try ServeProcess(plue: forge.plue, logPath: directory.child("serve2.log"))
        defer { _ = next.stop() }
        #expect(!Self.runs(agent), "the new server stopped it")
        #expect(next.log.contains("closed the turns of 1 session(s)"), "\(next.log)")
        let recorded = try #require(try forge.plue.json(["session", "turns", forge.session]) as? [[String: Any]])
        #expect(recorded.first?["state"] as? String == "interrupted" && recorded.first?["endOperation"] as? Int != nil, "\(recorded)")
    }

    /// A file the agent made that the record leaves out (a new file over the session's limit) is
    /// named in the turn's reply, where a client reads the turn.
    @Test func aFileLeftOutOfTheTurnIsNamedInItsReply() throws {
        let forge = try SessionAPIForge(directory)
        #expect(try forge.plue.raw(["agent", "add", "big", "--home", forge.plue.home, "--", "sh", "-c",
                                    "head -c 2000000 /dev/zero > model.bin; echo small > notes.txt; echo made"]).status == 0)
        let started = try forge.call("POST", SessionAPIForge.base + "/sessions/\(forge.session)/turns", body: #"{"agent": "big", "prompt": "x"}"#)
        #expect(started.status == 202, "\(started.body)")
        let turn = try finished(forge, try #require(started.headers["location"]))
        let reply = turn["reply"] as? String ?? ""
        #expect(turn["state"] as? String == "done" && reply.hasPrefix("made\n"), "\(turn)")
        #expect(reply.contains("model.bin is left out of the turn's record") && !reply.contains("notes.txt"), "\(reply)")
        #expect((turn["changed_files"] as? [[String: Any]])?.compactMap { $0["path"] as? String } == ["notes.txt"])
    }
}
