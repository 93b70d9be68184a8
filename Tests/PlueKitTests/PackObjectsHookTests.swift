import Foundation
@testable import PlueKit
import PlueTestSupport
import Testing

/// The pack-objects hook on its own, under a real `git upload-pack` in protocol v2: what git hands
/// it besides one want (several wants, the client's haves, a shallow boundary, a tag) and what it
/// must still refuse. The end-to-end tests fetch a session's commit by id over SSH and HTTP.
@Suite struct PackObjectsHookTests {
    let directory = TemporaryDirectory("plue-pack-hook")
    let bare: String
    let tip: String, older: String, hidden: String, tag: String, blob: String

    init() throws {
        let work = directory.child("work")
        try Command.git(["init", "-q", "-b", "main", work])
        for number in 1...3 {
            try "version \(number)\n".write(toFile: work + "/file.txt", atomically: true, encoding: .utf8)
            try Command.git(["add", "file.txt"], in: work)
            try Command.git(["commit", "-q", "-m", "commit \(number)"], in: work)
        }
        try Command.git(["tag", "-a", "-m", "first", "v1", "HEAD~2"], in: work)
        try "a session's file\n".write(toFile: work + "/file.txt", atomically: true, encoding: .utf8)
        hidden = try Command.git(["commit-tree", "-p", "HEAD", "-m", "session", Command.git(["write-tree"], in: work)], in: work)
        bare = directory.child("repo.git")
        try Command.git(["clone", "-q", "--bare", work, bare])
        try Command.git(["-C", bare, "fetch", "-q", work, "\(hidden):refs/plue/sessions/s1"])
        tip = try Command.git(["-C", bare, "rev-parse", "main"])
        older = try Command.git(["-C", bare, "rev-parse", "main~1"])
        tag = try Command.git(["-C", bare, "rev-parse", "v1"])
        blob = try Command.git(["-C", bare, "rev-parse", "main:file.txt"])
    }

    /// A protocol v2 fetch of `wants` through upload-pack with Plue's transport settings.
    func fetch(_ wants: [String], haves: [String] = [], extra: [String] = []) throws -> CommandResult {
        var request = line("command=fetch\n") + "0001" + line("ofs-delta\n")
        request += (wants.map { "want \($0)\n" } + haves.map { "have \($0)\n" } + extra).map(line).joined()
        request += line("done\n") + "0000"
        return try Command.run("/usr/bin/git", GitTransport.hiddenRefArguments + ["upload-pack", "--stateless-rpc", bare],
                               environment: Command.environment(["GIT_PROTOCOL": "version=2"]), input: Data(request.utf8))
    }

    func line(_ text: String) -> String { String(format: "%04x", text.utf8.count + 4) + text }

    func served(_ result: CommandResult) -> Bool { result.status == 0 && FetchAnswer.holdsPack(result.output) }

    @Test func whatTheVisibleRefsReachIsServedWhateverElseTheRequestCarries() throws {
        #expect(served(try fetch([tip])))
        #expect(served(try fetch([tip, older, tag])), "several wants, one an annotated tag")
        // The client says it has the session's commit: a have only narrows the pack.
        #expect(served(try fetch([tip], haves: [hidden, older])))
        // A shallow fetch adds `--shallow` lines to what pack-objects reads.
        #expect(served(try fetch([tip], extra: ["deepen 1\n"])))
    }

    @Test func oneWantTheVisibleRefsDoNotReachRefusesTheWholeFetch() throws {
        for wants in [[hidden], [tip, hidden], [hidden, tip, older], [blob]] {
            let result = try fetch(wants)
            #expect(!served(result) && !FetchAnswer.holdsPack(result.output), "\(wants)")
            // pack-objects' errors reach the client on the side band of upload-pack's answer.
            #expect(result.text.contains("plue: only what a branch or tag reaches can be fetched"), "\(result.text)")
        }
        // Deepening does not open the gate either.
        #expect(!FetchAnswer.holdsPack(try fetch([tip, hidden], extra: ["deepen 1\n"]).output))
    }
}

/// Whether an answer holds a pack: its signature, which git sends inside side-band lines.
enum FetchAnswer {
    static func holdsPack(_ answer: Data) -> Bool { answer.range(of: Data("PACK".utf8)) != nil }
}
