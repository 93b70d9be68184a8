import Foundation
import PlueKit
import PlueTestSupport
import Testing

/// What the fetch cache reads of a request (its wants, from pkt-lines) and decides from the refs:
/// a kept answer may be served only while every want is a visible ref's target or a commit one
/// reaches; ls-refs, want-ref and deepen-not are never kept; a move of any visible ref changes
/// the key, a session's ref does not.
@Suite struct FetchAnswerKeyTests {
    let forge: Forge
    let repository: Repository
    let tip: String, older: String, hidden: String, blob: String, tag: String

    init() throws {
        forge = try Forge(user: "alice")
        repository = try forge.plue.repositories.create("alice/demo", as: .operator)
        let work = try forge.workTree(files: ["README": "hello\n"])
        try Command.git(["commit", "-q", "--allow-empty", "-m", "second"], in: work)
        try Command.git(["tag", "-a", "-m", "v1", "v1"], in: work)
        try Command.git(["push", "-q", repository.path, "main", "v1"], in: work)
        try Command.git(["commit", "-q", "--allow-empty", "-m", "hidden"], in: work)
        // Only the session's ref reaches it (pushes to refs/plue/ are refused: set it directly).
        try Command.git(["push", "-q", repository.path, "HEAD:refs/heads/tmp"], in: work)
        hidden = try Command.git(["rev-parse", "HEAD"], in: work)
        try Command.git(["-C", repository.path, "update-ref", "refs/plue/sessions/0123456789abcdef", hidden])
        try Command.git(["-C", repository.path, "update-ref", "-d", "refs/heads/tmp"])
        tip = try Command.git(["rev-parse", "HEAD~1"], in: work)
        older = try Command.git(["rev-parse", "HEAD~2"], in: work)
        blob = try Command.git(["rev-parse", "HEAD:README"], in: work)
        tag = try Command.git(["rev-parse", "v1"], in: work)
    }

    static func line(_ text: String) -> [UInt8] { Array((String(format: "%04x", text.utf8.count + 4) + text).utf8) }

    static func fetch(_ lines: [String]) -> [UInt8] {
        line("command=fetch\n") + Array("0001".utf8) + lines.flatMap { line($0 + "\n") } + Array("0000".utf8)
    }

    func plan() throws -> GitHTTPService.Plan {
        let request = GitHTTPService.Request(repository: "alice/demo", service: .uploadPack, advertisement: false, gitProtocol: "version=2",
                                             maxPackBytes: nil, route: "POST /{owner}/{repo}/git-upload-pack", remoteAddress: "127.0.0.1")
        return try forge.plue.gitHTTP.plan(request, as: .operator, token: nil)
    }

    func key(_ wants: [String]) throws -> FetchAnswerKey? {
        try plan().fetchAnswerKey(request: Self.fetch(wants.map { "want " + $0 }), gzip: false, wants: wants)
    }

    @Test func wantsAreReadFromVersion0AndVersion2Requests() {
        #expect(GitFetchRequest.wants(in: Self.fetch(["thin-pack", "want \(tip)", "want \(older)", "done"])) == [tip, older])
        let version0 = Self.line("want \(tip) multi_ack_detailed side-band-64k\n") + Self.line("want \(older)\n") + Array("0000".utf8)
            + Self.line("done\n")
        #expect(GitFetchRequest.wants(in: version0) == [tip, older])
    }

    @Test func whatGitMustAnswerEachTimeIsNotRead() {
        let lsRefs = Self.line("command=ls-refs\n") + Array("0001".utf8) + Self.line("peel\n") + Array("0000".utf8)
        #expect(GitFetchRequest.wants(in: lsRefs) == nil)
        #expect(GitFetchRequest.wants(in: Self.fetch(["want-ref refs/heads/main", "done"])) == nil)
        #expect(GitFetchRequest.wants(in: Self.fetch(["want \(tip)", "deepen-not refs/heads/main", "done"])) == nil)
        #expect(GitFetchRequest.wants(in: Self.fetch(["done"])) == nil, "no want")
        #expect(GitFetchRequest.wants(in: Self.fetch(["want nothex", "done"])) == nil)
        #expect(GitFetchRequest.wants(in: Array("00zzwant".utf8)) == nil)
        #expect(GitFetchRequest.wants(in: Array("0032want ".utf8)) == nil, "a line longer than the body")
        #expect(GitFetchRequest.wants(in: Array("0003".utf8)) == nil)
        // git answers only the first command: an ls-refs with a fetch after it is not a fetch.
        let lsRefsThenFetch = Self.line("command=ls-refs\n") + Array("0000".utf8) + Self.fetch(["want \(tip)", "done"])
        #expect(GitFetchRequest.wants(in: lsRefsThenFetch) == nil)
    }

    @Test func onlyWhatAVisibleRefReachesIsServable() throws {
        #expect(try key([tip])?.servable == true)
        #expect(try key([older])?.servable == true, "an ancestor of a branch")
        #expect(try key([tag])?.servable == true, "the annotated tag a ref names")
        #expect(try key([tip, hidden])?.servable == false, "a commit only a session reaches")
        #expect(try key([blob])?.servable == false, "a blob by its id goes to git")
        #expect(try key([String(repeating: "0", count: 40)])?.servable == false)
    }

    @Test func theKeyFollowsVisibleRefsAndTheRequestOnly() throws {
        let before = try #require(try key([tip]))
        #expect(try key([tip]) == before)
        #expect(try key([older])?.digest != before.digest)
        try Command.git(["-C", repository.path, "update-ref", "refs/plue/sessions/fedcba9876543210", hidden])
        #expect(try key([tip]) == before, "a session's ref is not a visible change")
        try Command.git(["-C", repository.path, "update-ref", "refs/heads/other", older])
        #expect(try key([tip])?.digest != before.digest)
        try Command.git(["-C", repository.path, "update-ref", "-d", "refs/heads/other"])
        #expect(try key([tip]) == before, "the same refs, the same key")
        #expect(try plan().fetchAnswerKey(request: Self.fetch(["want " + tip]), gzip: true, wants: [tip])?.digest != before.digest)
    }
}
