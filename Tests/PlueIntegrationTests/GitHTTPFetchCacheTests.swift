import Foundation
import PlueTestSupport
import Testing

/// The fetch cache of `plue serve`: a second identical clone is answered without git packing it
/// again and is whole; any move of a ref sends the next fetch to git; what a branch no longer
/// reaches is refused even to the exact request that fetched it before; `--fetch-cache-size 0`
/// keeps nothing.
@Suite struct GitHTTPFetchCacheTests {
    @Test func aSecondIdenticalCloneComesFromTheCacheWhole() throws {
        let forge = try GitHTTPForge()
        _ = try forge.clone("first")
        #expect(try cacheCounts(forge) == (hits: 0, misses: 2), "the first clone's ls-refs and fetch went to git")
        let second = try forge.clone("second")
        #expect(try cacheCounts(forge) == (hits: 2, misses: 2), "the second clone's ls-refs and fetch came from the cache")
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
        // A refusal is not kept either: git is asked again.
        #expect(!FetchRequest.holdsPack(try post()))
        #expect(try cacheCounts(forge) == (hits: 1, misses: 3))
        // A session's ref moving is not a visible change: the kept answer for main still serves.
        let tip = try Command.git(["-C", bare, "rev-parse", "main"])
        try FetchRequest.version2(want: tip).write(to: URL(fileURLWithPath: request))
        #expect(FetchRequest.holdsPack(try post()))
        try Command.git(["-C", bare, "update-ref", "refs/plue/sessions/moved", commit])
        #expect(FetchRequest.holdsPack(try post()))
        #expect(try cacheCounts(forge) == (hits: 2, misses: 4))
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
