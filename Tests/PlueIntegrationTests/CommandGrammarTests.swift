import Foundation
import PlueTestSupport
import Testing

/// The commands `FastPath` runs without ArgumentParser must behave exactly as the parsed ones.
/// Putting `--` before the positional argument makes FastPath step aside, so the same command
/// goes through ArgumentParser.
@Suite struct FastPathTests {
    let directory = TemporaryDirectory("plue-fast")
    var home: String { directory.child("home") }

    @Test func repoShowIsTheSameEitherWay() throws {
        let plue = try PlueRunner(home: home)
        try plue.setUpDemo()
        for json in [[], ["--json"]] {
            let fast = try plue.raw(["repo", "show"] + json + ["--home", home, "alice/demo"])
            let parsed = try plue.raw(["repo", "show"] + json + ["--home", home, "--", "alice/demo"])
            #expect(fast.status == 0 && fast.output == parsed.output)
            let equalsForm = try plue.raw(["repo", "show", "--home=\(home)", "alice/demo"] + json)
            #expect(equalsForm.output == parsed.output)
        }
        for name in ["alice/nope", "alice/../x"] {
            let fast = try plue.raw(["repo", "show", "--home", home, name])
            let parsed = try plue.raw(["repo", "show", "--home", home, "--", name])
            #expect(fast.status == parsed.status && fast.errorOutput == parsed.errorOutput)
            #expect(fast.status == 66 || fast.status == 65)
        }
    }

    @Test func sessionSnapshotIsTheSameEitherWay() throws {
        let plue = try PlueRunner(home: home)
        try plue.setUpDemo(seed: directory.child("seed"))
        let session = try #require(try plue.json(["session", "new", "alice/demo"]) as? [String: Any])
        let id = try #require(session["id"] as? String)
        let fast = try plue.raw(["session", "snapshot", id, "--home", home])
        let parsed = try plue.raw(["session", "snapshot", "--home", home, "--", id])
        #expect(fast.status == 0 && fast.output == parsed.output && fast.text.contains("Nothing changed"))
        try "x\n".write(toFile: home + "/sessions/\(id)/work/x.txt", atomically: true, encoding: .utf8)
        let recorded = try plue.raw(["session", "snapshot", id, "-m", "with a message", "--home", home, "--json"])
        let result = try #require(try JSONSerialization.jsonObject(with: recorded.output) as? [String: Any])
        #expect((result["operation"] as? [String: Any])?["description"] as? String == "with a message")
        let badID = try plue.raw(["session", "snapshot", "../etc", "--home", home])
        #expect(badID.status == 65)
    }

    @Test func landCheckIsTheSameEitherWay() throws {
        let plue = try PlueRunner(home: home)
        let seed = directory.child("seed")
        try plue.setUpDemo(seed: seed)
        try Command.git(["checkout", "-q", "-b", "feature"], in: seed)
        try "f\n".write(toFile: seed + "/f.txt", atomically: true, encoding: .utf8)
        try Command.git(["add", "-A"], in: seed)
        try Command.git(["commit", "-q", "-m", "add f"], in: seed)
        try Command.git(["push", "-q", home + "/repos/alice/demo.git", "feature"], in: seed)
        for extra in [[], ["--json"], ["--onto", "main"], ["--onto=nope"], ["--session", "0123456789abcdef"]] {
            let fast = try plue.raw(["land", "check", "alice/demo", "--branch", "feature", "--home", home] + extra)
            let parsed = try plue.raw(["land", "check", "--branch", "feature", "--home", home] + extra + ["--", "alice/demo"])
            #expect(fast.status == parsed.status && fast.output == parsed.output && fast.errorOutput == parsed.errorOutput,
                    "\(extra)")
        }
        let clean = try plue.raw(["land", "check", "alice/demo", "--branch=feature", "--home", home])
        #expect(clean.status == 0 && clean.text.hasPrefix("Clean: branch feature"))
        #expect(try plue.raw(["land", "check", "alice/demo", "--home", home]).status == 64)
    }

    @Test func whatFastPathDoesNotKnowGoesToArgumentParser() throws {
        let plue = try PlueRunner(home: home)
        let help = try plue.raw(["repo", "show", "--help"])
        #expect(help.status == 0 && help.text.contains("USAGE"))
        let unknown = try plue.raw(["repo", "show", "alice/demo", "--frobnicate"])
        #expect(unknown.status == 64)
        let missing = try plue.raw(["repo", "show", "alice/demo", "--home"])
        #expect(missing.status == 64)
        let version = try plue.raw(["--version"])
        #expect(version.status == 0 && version.trimmed.split(separator: ".").count == 3)
    }
}
