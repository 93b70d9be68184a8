import Foundation
import PlueTestSupport
import Testing

/// The landing routes over a real socket: check, enqueue, list, show and cancel, who may do each,
/// and the queue as `plue land` and git then see it.
@Suite struct ServeLandingEndToEndTests {
    let directory = TemporaryDirectory("plue-land-api")

    @Test func entriesAreCheckedQueuedShownAndCancelledAsTheServiceDecides() throws {
        let forge = try SessionAPIForge(directory)
        let land = SessionAPIForge.base + "/land"
        _ = try forge.object("PUT", "/files/landed.txt", body: "from the session\n")

        let check = try SessionAPIForge.object(try forge.call("GET", land + "/check?session=\(forge.session)").body)
        #expect(check["clean"] as? Bool == true && check["target"] as? String == "main")
        #expect((check["source"] as? [String: Any])?["kind"] as? String == "session")
        #expect(try forge.call("GET", land + "/check?session=\(forge.session)", as: "alice-session").status == 200)
        #expect(try forge.call("GET", land + "/check").status == 400)

        // The session's own token may not publish it: a land moves main, outside the session.
        let agentLand = try forge.call("POST", land, as: "alice-session", body: #"{"session": "\#(forge.session)"}"#)
        #expect(agentLand.status == 403 && SessionAPIForge.errorCode(agentLand.body) == "insufficient_scope", "\(agentLand.body)")
        #expect(try forge.array(land + "?all=true").isEmpty)
        let queued = try forge.call("POST", land, body: #"{"session": "\#(forge.session)", "strategy": "squash", "message": "land it"}"#)
        #expect(queued.status == 201, "\(queued.body)")
        let entry = try SessionAPIForge.object(queued.body)
        let id = try #require(entry["id"] as? Int)
        #expect(entry["state"] as? String == "queued" && entry["requested_by"] as? String == "alice" && entry["strategy"] as? String == "squash")
        let cli = try #require(try forge.plue.json(["land", "show", String(id)]) as? [String: Any])
        #expect(cli["headCommit"] as? String == entry["head_commit"] as? String && cli["state"] as? String == "queued")
        #expect(try forge.array(land).compactMap { $0["id"] as? Int } == [id])
        #expect(try SessionAPIForge.object(try forge.call("GET", land + "/\(id)").body)["id"] as? Int == id)
        #expect(try forge.call("GET", land + "/\(id)", as: "alice-session").status == 200, "its own session's entry")
        #expect(try forge.call("GET", land + "/9999").status == 404 && (try forge.call("GET", land + "/x")).status == 422)

        // bob may write the repository, yet alice's session and so its entry are not his to see:
        // not in his list, not found by id, and not cancelled; a read token cancels nothing.
        let bobCancel = try forge.call("POST", land + "/\(id)/cancel", as: "bob")
        #expect(bobCancel.status == 404 && SessionAPIForge.errorCode(bobCancel.body) == "not_found", "\(bobCancel.body)")
        #expect(try forge.call("GET", land + "/\(id)", as: "bob").status == 404 && (try forge.array(land, as: "bob")).isEmpty)
        let readCancel = try forge.call("POST", land + "/\(id)/cancel", as: "alice-read")
        #expect(readCancel.status == 403 && SessionAPIForge.errorCode(readCancel.body) == "insufficient_scope")
        let readQueue = try forge.call("POST", land, as: "alice-read", body: #"{"session": "\#(forge.session)"}"#)
        #expect(readQueue.status == 403 && SessionAPIForge.errorCode(readQueue.body) == "insufficient_scope")
        let cancelled = try SessionAPIForge.object(try forge.call("POST", land + "/\(id)/cancel").body)
        #expect(cancelled["state"] as? String == "cancelled")
        #expect(try forge.call("POST", land + "/\(id)/cancel").status == 409)
        #expect(try forge.array(land).isEmpty && (try forge.array(land + "?all=true")).count == 1)

        for (body, status) in [(#"{"session": "\#(forge.session)", "branch": "main"}"#, 400), ("{}", 400), ("{nope", 400),
                               (#"{"branch": "feature", "strategy": "octopus"}"#, 422), (#"{"branch": "--force"}"#, 422),
                               (#"{"branch": "missing"}"#, 404)] {
            let answer = try forge.call("POST", land, as: "bob", body: body)
            #expect(answer.status == status, "\(body): \(answer.status) \(answer.body)")
        }
        // bob's own session is his to land; alice's is not even visible to him.
        #expect(try forge.call("POST", land, as: "bob", body: #"{"session": "\#(forge.session)"}"#).status == 404)
    }

    @Test func aBranchQueuedOverHTTPLandsWithTheRunner() throws {
        let forge = try SessionAPIForge(directory)
        let seed = directory.child("seed")
        try Command.git(["checkout", "-q", "-b", "feature"], in: seed)
        try "feature\n".write(toFile: seed + "/feature.txt", atomically: true, encoding: .utf8)
        try Command.git(["add", "-A"], in: seed)
        try Command.git(["commit", "-q", "-m", "a feature"], in: seed)
        try Command.git(["push", "-q", forge.repository, "feature"], in: seed)

        let queued = try forge.call("POST", SessionAPIForge.base + "/land", as: "bob", body: #"{"branch": "feature"}"#)
        #expect(queued.status == 201, "\(queued.body)")
        let id = try #require(try SessionAPIForge.object(queued.body)["id"] as? Int)
        #expect(try SessionAPIForge.object(queued.body)["requested_by"] as? String == "bob")
        try forge.plue.ok(["land", "run", "alice/demo", "--once"])
        let landed = try SessionAPIForge.object(try forge.call("GET", SessionAPIForge.base + "/land/\(id)").body)
        #expect(landed["state"] as? String == "landed")
        #expect(try forge.git(["show", "main:feature.txt"]) == "feature")
        // An entry is found only under its own repository.
        try forge.plue.ok(["repo", "create", "alice/other"])
        #expect(try forge.call("GET", "/api/v1/repos/alice/other/land/\(id)").status == 404)
        #expect(try forge.call("POST", "/api/v1/repos/alice/other/land/\(id)/cancel").status == 404)
    }
}
