import Foundation
import PlueTestSupport
import Testing

/// Reading repositories over a real socket, checked with git and the CLI: searches and the
/// account's own list hold only what the caller may see, every read of a repository one may not
/// see answers as a missing one, and commits, branches and events come a page at a time.
@Suite struct ServeRepositoryReadEndToEndTests {
    let directory = TemporaryDirectory("plue-api-read")

    func fullNames(_ answer: APIAnswer, search: Bool = false) throws -> [String] {
        let items = search ? try #require(try answer.object()["data"] as? [[String: Any]], "\(answer)") : try answer.array()
        return items.compactMap { $0["full_name"] as? String }
    }

    @Test func searchesAndListsHoldOnlyWhatTheCallerMaySee() throws {
        var forge = try APIForge(directory)
        try forge.plue.ok(["repo", "create", "bob/bob_tools"])
        try forge.plue.ok(["repo", "create", "alice/shared", "--private"])
        try forge.plue.ok(["repo", "collaborator", "add", "alice/shared", "bob", "--permission", "read"])
        try forge.addToken("alice-demo", user: "alice", ["--scope", "read:repository", "--repo", "alice/demo"])

        #expect(try fullNames(forge.curl("/api/v1/repos/search"), search: true) == ["alice/demo", "bob/bob_tools"])
        #expect(try fullNames(forge.curl("/api/v1/repos/search", token: "bob"), search: true) == ["alice/demo", "alice/shared", "bob/bob_tools"])
        #expect(try fullNames(forge.curl("/api/v1/repos/search", token: "alice"), search: true)
                == ["alice/demo", "alice/secret", "alice/shared", "bob/bob_tools"])
        #expect(try fullNames(forge.curl("/api/v1/repos/search?q=_"), search: true) == ["bob/bob_tools"], "_ matches itself")
        #expect(try fullNames(forge.curl("/api/v1/repos/search?q=%25"), search: true).isEmpty)
        #expect(try fullNames(forge.curl("/api/v1/repos/search?q=%27%3B%20DELETE%20FROM%20repository%3B--"), search: true).isEmpty)
        #expect(try fullNames(forge.curl("/api/v1/repos/search?q=SECR", token: "bob"), search: true).isEmpty,
                "a private repository is not found by its name either")
        #expect(try fullNames(forge.curl("/api/v1/repos/search?q=SECR", token: "alice"), search: true) == ["alice/secret"])
        #expect(try #require(try forge.plue.json(["repo", "list"]) as? [[String: Any]]).count == 4)
        // demo, secret and shared hold an e; the links keep q and move the page.
        let paged = try forge.curl("/api/v1/repos/search?limit=1&page=2&q=e", token: "alice")
        #expect(try paged.headers["x-total-count"] == "3" && fullNames(paged, search: true) == ["alice/secret"])
        #expect(paged.links == ["first": "/api/v1/repos/search?q=e&page=1&limit=1", "prev": "/api/v1/repos/search?q=e&page=1&limit=1",
                                "next": "/api/v1/repos/search?q=e&page=3&limit=1", "last": "/api/v1/repos/search?q=e&page=3&limit=1"])

        // The account's own: owned or shared with it, whatever their visibility.
        #expect(try fullNames(forge.curl("/api/v1/user/repos", token: "bob")) == ["alice/shared", "bob/bob_tools"])
        #expect(try fullNames(forge.curl("/api/v1/user/repos", token: "alice")) == ["alice/demo", "alice/secret", "alice/shared"])
        #expect(try forge.curl("/api/v1/user/repos").status == 401)
        // A token limited to repositories reaches no listing of them.
        #expect(try forge.curl("/api/v1/repos/search", token: "alice-demo").errorCode == "insufficient_scope")
    }

    @Test func everyReadOfARepositoryOneMayNotSeeAnswersAsAMissingOne() throws {
        let forge = try APIForge(directory)
        let routes = ["", "/branches", "/commits", "/contents", "/contents/README", "/raw/README", "/events", "/collaborators", "/keys"]
        for token in [nil, "bob"] {
            for route in routes {
                let hidden = try forge.curl("/api/v1/repos/alice/secret" + route, token: token)
                let missing = try forge.curl("/api/v1/repos/alice/nothing" + route, token: token)
                // Without a token, the routes that need one answer 401 to both.
                let expected = token == nil && ["/collaborators", "/keys"].contains(route) ? 401 : 404
                #expect(hidden.status == expected && missing.status == expected, "\(route): \(hidden) \(missing)")
                #expect(hidden.body.replacingOccurrences(of: "secret", with: "X") == missing.body.replacingOccurrences(of: "nothing", with: "X"),
                        "\(route) as \(token ?? "anyone"): \(hidden.body) \(missing.body)")
            }
            for (method, route) in [("DELETE", ""), ("PUT", "/collaborators/bob"), ("DELETE", "/collaborators/bob"), ("POST", "/keys"), ("DELETE", "/keys/1")]
            where token != nil {
                let hidden = try forge.send(method, "/api/v1/repos/alice/secret" + route, token: token, json: "{}")
                let missing = try forge.send(method, "/api/v1/repos/alice/nothing" + route, token: token, json: "{}")
                #expect(hidden.status == 404 && hidden.body.replacingOccurrences(of: "secret", with: "X") == missing.body.replacingOccurrences(of: "nothing", with: "X"),
                        "\(method) \(route): \(hidden) \(missing)")
            }
        }
        // A public repository, yes; its owner sees the private one.
        #expect(try forge.curl("/api/v1/repos/alice/demo/contents/README").status == 200)
        #expect(try forge.curl("/api/v1/repos/alice/secret/branches", token: "alice").status == 200)
    }

    @Test func commitsBranchesAndEventsComeAPageAtATimeAsGitAndTheCLIListThem() throws {
        let forge = try APIForge(directory)
        for index in 1...4 {
            try "\(index)\n".write(toFile: forge.seed + "/count", atomically: true, encoding: .utf8)
            try Command.git(["add", "-A"], in: forge.seed)
            try Command.git(["commit", "-q", "-m", "count \(index)"], in: forge.seed)
        }
        let bare = forge.plue.home + "/repos/alice/demo.git"
        try Command.git(["push", "-q", bare, "main", "main~2:refs/heads/older", "main:refs/heads/other"], in: forge.seed)
        let history = try Command.git(["rev-list", "--date-order", "main"], in: forge.seed).split(separator: "\n").map(String.init)
        #expect(history.count == 5)

        var seen: [String] = []
        var next: String? = "/api/v1/repos/alice/demo/commits?limit=2"
        while let path = next {
            let answer = try forge.curl(path)
            #expect(answer.status == 200 && answer.headers["x-total-count"] == "5", "\(answer)")
            #expect(answer.links["last"] == "/api/v1/repos/alice/demo/commits?page=3&limit=2")
            seen += try answer.array().compactMap { $0["sha"] as? String }
            next = answer.links["next"]
        }
        #expect(seen == history)
        let first = try forge.curl("/api/v1/repos/alice/demo/commits?limit=1").array()[0]
        let inner = try #require(first["commit"] as? [String: Any])
        #expect(inner["message"] as? String == "count 4\n")
        let tree = try Command.git(["rev-parse", "main^{tree}"], in: forge.seed)
        #expect((inner["tree"] as? [String: Any])?["sha"] as? String == tree)
        #expect((first["parents"] as? [[String: Any]])?.first?["sha"] as? String == history[1])

        let older = try forge.curl("/api/v1/repos/alice/demo/commits?sha=older")
        #expect(try older.headers["x-total-count"] == "3" && older.array().first?["sha"] as? String == history[2])
        #expect(try forge.curl("/api/v1/repos/alice/demo/commits?ref=older").array().first?["sha"] as? String == history[2])
        #expect(try forge.curl("/api/v1/repos/alice/demo/commits?ref=older&sha=main").status == 400)
        #expect(try forge.curl("/api/v1/repos/alice/demo/commits?sha=nothing").status == 404)
        #expect(try forge.curl("/api/v1/repos/alice/demo/commits?sha=-x").status == 422)
        for query in ["page=0", "page=-1", "page=x", "limit=0", "limit=51", "limit=-3", "limit=1e3", "page=", "page=99999999999999999999"] {
            let answer = try forge.curl("/api/v1/repos/alice/demo/commits?" + query)
            #expect(answer.status == 400 && answer.errorCode == "usage", "\(query): \(answer)")
        }
        let beyond = try forge.curl("/api/v1/repos/alice/demo/commits?page=9")
        #expect(try beyond.status == 200 && beyond.array().isEmpty && beyond.links["next"] == nil && beyond.links["prev"] != nil)

        let branches = try forge.curl("/api/v1/repos/alice/demo/branches?limit=2")
        #expect(try branches.headers["x-total-count"] == "3" && branches.array().compactMap { $0["name"] as? String } == ["main", "older"])
        #expect(try forge.curl("/api/v1/repos/alice/demo/branches?limit=2&page=2").array().compactMap { $0["name"] as? String } == ["other"])

        let cliEvents = try #require(try forge.plue.json(["repo", "events", "alice/demo"]) as? [[String: Any]])
        let events = try forge.curl("/api/v1/repos/alice/demo/events?limit=50")
        #expect(events.headers["x-total-count"] == String(cliEvents.count))
        #expect(try events.array().compactMap { $0["id"] as? Int } == cliEvents.compactMap { $0["id"] as? Int })
        #expect(try events.array().first?["after"] as? String == cliEvents.first?["newCommit"] as? String)
    }
}
