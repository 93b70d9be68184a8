import Foundation
import PlueTestSupport
import Testing

/// Tags pushed and deleted with the real git client are push events like branches: one per ref,
/// read back with `plue repo events --json` and checked against the ids git itself reports.
@Suite struct TagPushEventEndToEndTests {
    let directory = TemporaryDirectory("plue-tag-events")
    var home: String { directory.child("home") }
    var seed: String { directory.child("seed") }
    var repository: String { home + "/repos/alice/demo.git" }
    let zero = String(repeating: "0", count: 40)

    /// Every push event, oldest first.
    func events(_ plue: PlueRunner) throws -> [[String: Any]] {
        try #require(try plue.json(["repo", "events", "alice/demo", "-n", "1000"]) as? [[String: Any]]).reversed()
    }

    /// Pushes with the git client and returns the events that push recorded, oldest first.
    func push(_ plue: PlueRunner, _ arguments: [String]) throws -> [[String: Any]] {
        let before = try events(plue).count
        let result = try Command.run("/usr/bin/git", ["push", repository] + arguments, in: seed, environment: Command.environment())
        #expect(result.status == 0, "git push \(arguments): \(result.errorOutput)")
        return Array(try events(plue).dropFirst(before))
    }

    func summary(_ event: [String: Any]) -> [String] {
        [event["ref"] as? String ?? "?", event["oldCommit"] as? String ?? "?", event["newCommit"] as? String ?? "?"]
    }

    @Test func tagsPushedAndDeletedAreOneEventEach() throws {
        let plue = try PlueRunner(home: home)
        try plue.setUpDemo(seed: seed, files: ["a.txt": "one\n"])
        let commit = try Command.git(["rev-parse", "HEAD"], in: seed)
        try Command.git(["tag", "light"], in: seed)
        try Command.git(["tag", "-a", "annotated", "-m", "release"], in: seed)
        let tagObject = try Command.git(["rev-parse", "refs/tags/annotated"], in: seed)
        #expect(tagObject != commit)
        #expect(try Command.git(["cat-file", "-t", tagObject], in: seed) == "tag")

        // A lightweight tag names the commit; an annotated one names its tag object, as git says.
        #expect(try push(plue, ["refs/tags/light"]).map(summary) == [["refs/tags/light", zero, commit]])
        #expect(try Command.git(["-C", repository, "rev-parse", "refs/tags/light"]) == commit)
        #expect(try push(plue, ["refs/tags/annotated"]).map(summary) == [["refs/tags/annotated", zero, tagObject]])
        #expect(try Command.git(["-C", repository, "rev-parse", "refs/tags/annotated"]) == tagObject)

        // Deleting a tag: the old id, and all zeros as the new one.
        #expect(try push(plue, ["--delete", "refs/tags/light"]).map(summary) == [["refs/tags/light", commit, zero]])
        #expect(try push(plue, [":refs/tags/annotated"]).map(summary) == [["refs/tags/annotated", tagObject, zero]])
        let left = try Command.run("/usr/bin/git", ["-C", repository, "rev-parse", "--verify", "-q", "refs/tags/light"])
        #expect(left.status != 0, "the tag is gone from the repository")
    }

    @Test func aPushOfABranchAndTagsTogetherIsOneEventPerRef() throws {
        let plue = try PlueRunner(home: home)
        try plue.setUpDemo(seed: seed, files: ["a.txt": "one\n"])
        let commit = try Command.git(["rev-parse", "HEAD"], in: seed)
        try Command.git(["tag", "v1"], in: seed)
        try Command.git(["tag", "-a", "v2", "-m", "two"], in: seed)
        let tagObject = try Command.git(["rev-parse", "refs/tags/v2"], in: seed)

        let recorded = try push(plue, ["main:refs/heads/topic", "refs/tags/v1", "refs/tags/v2"])
        #expect(recorded.map(summary).sorted { $0[0] < $1[0] } == [
            ["refs/heads/topic", zero, commit], ["refs/tags/v1", zero, commit], ["refs/tags/v2", zero, tagObject],
        ])
        #expect(Set(recorded.compactMap { $0["id"] as? Int }).count == 3)
        #expect(recorded.allSatisfy { $0["repository"] as? String == "alice/demo" && $0["pusher"] is NSNull })
    }
}
