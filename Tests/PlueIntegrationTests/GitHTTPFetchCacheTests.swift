import Foundation
import PlueTestSupport
import Testing

/// The fetch cache of `plue serve`: a second identical clone is answered without git packing it
/// again and is whole; any move of a ref sends the next fetch to git; what a branch no longer
/// reaches is refused even to the exact request that fetched it before; a kept answer takes a git
/// slot as git would; a repository with thousands of refs is not cached; `--fetch-cache-size 0`
/// keeps nothing. (`ls-refs` is never kept: it lists the refs as they are.)
@Suite struct GitHTTPFetchCacheTests {
    @Test func aSecondIdenticalCloneComesFromTheCacheWhole() throws {
        let forge = try GitHTTPForge()
        _ = try forge.clone("first")
        #expect(try cacheCounts(forge) == (hits: 0, misses: 1), "the first clone's fetch went to git")
        let second = try forge.clone("second")
        #expect(try cacheCounts(forge) == (hits: 1, misses: 1), "the second clone's fetch came from the cache")
        // Checked by git itself: every object there and connected, the tip the repository's.
        let fsck = try Command.run("/usr/bin/git", ["-C", second, "fsck", "--full", "--strict"])
        #expect(fsck.status == 0, "\(fsck.errorOutput)")
        #expect(try Command.git(["rev-parse", "HEAD"], in: second) == (try Command.git(["-C", forge.plue.home + "/repos/alice/demo.git", "rev-parse", "main"])))
        #expect(try String(contentsOfFile: second + "/README", encoding: .utf8) == "hello\n")
    }

    @Test func aPushSendsTheNextCloneToGit() throws {
        let forge = try GitHTTPForge()
        let first = try forge.clone("first")
        try "moved\n".write(toFile: first + "/README", atomically: true, encoding: .utf8)
        try Command.git(["commit", "-q", "-am", "moved"], in: first)
        let push = try forge.git(["push", forge.url("alice/demo.git", token: forge.tokens["alice"]), "main"], in: first)
        #expect(push.status == 0, "\(push.errorOutput)")
        let second = try forge.clone("second")
        #expect(try Command.git(["rev-parse", "HEAD"], in: second) == (try Command.git(["rev-parse", "HEAD"], in: first)))
        #expect(try String(contentsOfFile: second + "/README", encoding: .utf8) == "moved\n")
        #expect(try cacheCounts(forge).hits == 0, "nothing the first clone was told holds after the push")
    }

    /// The same bytes, sent by hand as an attacker would replay them: served while a branch reaches
    /// the commit, refused once none does, though the first answer was kept.
    @Test func aKeptAnswerIsNotServedOnceNoBranchReachesItsWants() throws {
        let forge = try GitHTTPForge()
        let bare = forge.plue.home + "/repos/alice/demo.git", seed = forge.directory.child("seed")
        try Command.git(["commit", "-q", "--allow-empty", "-m", "on a branch only"], in: seed)
        let commit = try Command.git(["rev-parse", "HEAD"], in: seed)
        try Command.git(["push", "-q", bare, "HEAD:refs/heads/tmp"], in: seed)
        let request = forge.directory.child("request")
        try FetchRequest.version2(want: commit).write(to: URL(fileURLWithPath: request))
        func post() throws -> Data {
            try Command.run("/usr/bin/curl", ["-s", "--max-time", "30", "-H", "Content-Type: application/x-git-upload-pack-request",
                                              "-H", "Git-Protocol: version=2", "--data-binary", "@" + request,
                                              forge.server.url + "/alice/demo.git/git-upload-pack"]).output
        }
        #expect(FetchRequest.holdsPack(try post()))
        #expect(FetchRequest.holdsPack(try post()))
        #expect(try cacheCounts(forge) == (hits: 1, misses: 1))

        try Command.git(["-C", bare, "update-ref", "-d", "refs/heads/tmp"])
        let refused = try post()
        #expect(!FetchRequest.holdsPack(refused), "a kept answer outlived the branch that reached its want")
        #expect(String(decoding: refused, as: UTF8.self).contains("only what a branch or tag reaches"))
        // A want no visible ref reaches is not looked up: git and its hook answer, and refuse.
        #expect(!FetchRequest.holdsPack(try post()))
        #expect(try cacheCounts(forge) == (hits: 1, misses: 1))
        // The same after main went through the commit and back. (A race of such moves with git's
        // answer could file an answer for the middle state under the refs as they are now; that
        // the wants are checked against the current refs on every lookup is FetchAnswerKeyTests'.)
        let main = try Command.git(["-C", bare, "rev-parse", "main"])
        try Command.git(["-C", bare, "update-ref", "refs/heads/main", commit])
        try Command.git(["-C", bare, "update-ref", "refs/heads/main", main])
        #expect(!FetchRequest.holdsPack(try post()))
        #expect(try cacheCounts(forge) == (hits: 1, misses: 1))
        // A session's ref moving is not a visible change: the kept answer for main still serves.
        let tip = try Command.git(["-C", bare, "rev-parse", "main"])
        try FetchRequest.version2(want: tip).write(to: URL(fileURLWithPath: request))
        #expect(FetchRequest.holdsPack(try post()))
        try Command.git(["-C", bare, "update-ref", "refs/plue/sessions/moved", commit])
        #expect(FetchRequest.holdsPack(try post()))
        #expect(try cacheCounts(forge) == (hits: 2, misses: 2))
    }

    /// A kept answer is sent under a git slot, as git's own would be: a slow reader of a large
    /// answer holds memory as a running git does, so the same cap holds them.
    @Test func aKeptAnswerWaitsForAGitSlot() throws {
        let forge = try GitHTTPForge(serveArguments: ["--max-git-requests", "1"])
        _ = try forge.clone("first")
        let held = try RawConnection(url: forge.server.url)
        try held.send("POST /alice/demo.git/git-upload-pack HTTP/1.1\r\nHost: plue\r\n"
                      + "Content-Type: application/x-git-upload-pack-request\r\nContent-Length: 100000\r\n\r\n0032want ")
        Thread.sleep(forTimeInterval: 0.5)
        let refused = try Command.run("/usr/bin/git", ["clone", "-q", forge.url("alice/demo.git"), forge.directory.child("refused")])
        #expect(refused.status != 0 && refused.errorOutput.contains("503"), "\(refused.errorOutput)")
        held.close()
        var cloned = false
        for attempt in 0..<50 where !cloned {
            cloned = try Command.run("/usr/bin/git", ["clone", "-q", forge.url("alice/demo.git"), forge.directory.child("later-\(attempt)")]).status == 0
            if !cloned { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(cloned)
        #expect(try cacheCounts(forge).hits == 1)
    }

    /// Reading thousands of refs for each request would cost every request on the server's shared
    /// threads: such a repository's fetches go to git each time.
    @Test func aRepositoryWithThousandsOfRefsIsNotKept() throws {
        let forge = try GitHTTPForge()
        let bare = forge.plue.home + "/repos/alice/demo.git"
        let tip = try Command.git(["-C", bare, "rev-parse", "main"])
        let input = forge.directory.child("updates")
        try (0..<2100).map { "create refs/tags/t\($0) \(tip)\n" }.joined().write(toFile: input, atomically: true, encoding: .utf8)
        let made = try Command.run("/bin/sh", ["-c", "git -C '\(bare)' update-ref --stdin < '\(input)' && git -C '\(bare)' pack-refs --all"])
        #expect(made.status == 0, "\(made.errorOutput)")
        _ = try forge.clone("first")
        let second = try forge.clone("second")
        #expect(try Command.git(["-C", second, "tag"]).split(separator: "\n").count == 2100)
        #expect(try cacheCounts(forge) == (hits: 0, misses: 0))
    }

    @Test func sizeZeroKeepsNothing() throws {
        let forge = try GitHTTPForge(serveArguments: ["--fetch-cache-size", "0"])
        _ = try forge.clone("first")
        let second = try forge.clone("second")
        #expect(try String(contentsOfFile: second + "/README", encoding: .utf8) == "hello\n")
        #expect(try cacheCounts(forge) == (hits: 0, misses: 0))
        let metrics = try forge.server.curl("/metrics").body
        #expect(metrics.contains("plue_git_fetch_cache_bytes 0"), "\(metrics)")
    }

    private func cacheCounts(_ forge: GitHTTPForge) throws -> (hits: Int, misses: Int) {
        let body = try forge.server.curl("/metrics").body
        func count(_ result: String) -> Int {
            let prefix = "plue_git_fetch_cache_requests_total{result=\"\(result)\"} "
            return body.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Int($0.dropFirst(prefix.count)) } ?? -1
        }
        return (count("hit"), count("miss"))
    }
}
