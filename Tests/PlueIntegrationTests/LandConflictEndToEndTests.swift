import Foundation
import PlueKit
import PlueTestSupport
import Testing

/// A land that conflicts, under every strategy, as a user runs it: the built binary, real pushes,
/// the result read back with the git CLI. Each strategy checks for conflicts on its own, so each
/// needs its own test: a strategy that skipped the check would commit git's conflict markers.
@Suite struct LandConflictEndToEndTests {
    let directory = TemporaryDirectory("plue-land-conflict")
    var home: String { directory.child("home") }
    var seed: String { directory.child("seed") }
    var repository: String { home + "/repos/alice/demo.git" }

    func git(_ arguments: [String]) throws -> String { try Command.git(["-C", repository] + arguments) }

    /// Commits `contents` as `file` in the seed work tree on the branch checked out there.
    func commit(_ file: String, _ contents: String, message: String) throws {
        try contents.write(toFile: seed + "/" + file, atomically: true, encoding: .utf8)
        try Command.git(["add", "-A"], in: seed)
        try Command.git(["commit", "-q", "-m", message], in: seed)
    }

    func pushEventCount(_ plue: PlueRunner) throws -> Int {
        try #require(try plue.json(["repo", "events", "alice/demo", "-n", "1000"]) as? [Any]).count
    }

    @Test(arguments: LandStrategy.allCases)
    func aConflictingLandIsMarkedConflictedAndMovesNothing(strategy: LandStrategy) throws {
        let plue = try PlueRunner(home: home)
        try plue.setUpDemo(seed: seed, files: ["a.txt": "one\ntwo\nthree\n"])
        // The branch's first commit applies anywhere, its second clashes with main on line one:
        // under rebase the first is replayed before the second stops the land.
        try Command.git(["checkout", "-q", "-b", "clash", "main"], in: seed)
        try commit("f.txt", "new\n", message: "add f")
        try commit("a.txt", "uno\ntwo\nthree\n", message: "one in Italian")
        try Command.git(["push", "-q", repository, "clash"], in: seed)
        try Command.git(["checkout", "-q", "main"], in: seed)
        try commit("a.txt", "eins\ntwo\nthree\n", message: "one in German")
        try Command.git(["push", "-q", repository, "main"], in: seed)
        let tip = try git(["rev-parse", "main"])

        let check = try #require(try plue.json(["land", "check", "alice/demo", "--branch", "clash"]) as? [String: Any])
        #expect(check["clean"] as? Bool == false)
        try plue.ok(["land", "enqueue", "alice/demo", "--branch", "clash", "--strategy", strategy.rawValue, "--user", "alice"])
        let refs = try git(["for-each-ref", "--format=%(objectname) %(refname)"])
        let events = try pushEventCount(plue)

        let finished = try #require(try plue.json(["land", "run", "alice/demo", "--once"]) as? [[String: Any]])
        #expect(finished.count == 1)
        let entry = try #require(try plue.json(["land", "show", "1"]) as? [String: Any])
        for shown in [finished.first ?? [:], entry] {
            #expect(shown["strategy"] as? String == strategy.rawValue)
            #expect(shown["state"] as? String == "conflicted", "\(shown["reason"] ?? "no reason")")
            #expect((shown["reason"] as? String)?.contains("main") == true)
            let conflicts = shown["conflicts"] as? [[String: String]]
            #expect(conflicts == [["path": "a.txt", "kind": "content"]])
            #expect(shown["result"] is NSNull && shown["position"] is NSNull)
        }

        // Nothing moved: not main (asked of git itself), no land ref, no push event.
        #expect(try git(["rev-parse", "main"]) == tip)
        #expect(try git(["for-each-ref", "--format=%(objectname) %(refname)"]) == refs)
        #expect(try git(["show", "main:a.txt"]) == "eins\ntwo\nthree")
        #expect(try pushEventCount(plue) == events)
        #expect(try plue.ok(["land", "list", "alice/demo"]).contains("The landing queue is empty."))
        // No ref reaches a file holding conflict markers (git merge-tree leaves its conflicted
        // trees in the object database, unreferenced).
        let tips = try git(["for-each-ref", "--format=%(objectname)"]).split(separator: "\n").map(String.init)
        let markers = try Command.run("/usr/bin/git", ["-C", repository, "grep", "-I", "-n", "-E", "^(<<<<<<<|>>>>>>>)"] + tips,
                                      environment: Command.environment())
        #expect(markers.status == 1, "conflict markers reachable from a ref: \(markers.text)\(markers.errorOutput)")
    }
}
