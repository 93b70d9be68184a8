import Foundation
import PlueTestSupport
import Testing

/// One command grammar: every command a person types is parsed by ArgumentParser alone, so it takes
/// every spelling ArgumentParser does. Only the lines Plue writes itself (the hooks, sshd's key
/// lookup, the forced command) are read by `InternalCommandLine`, and each gives what the same
/// command gets from ArgumentParser (reached here by spelling `--home=DIR`, which only it reads).
@Suite struct CommandGrammarTests {
    let directory = TemporaryDirectory("plue-grammar")
    var home: String { directory.child("home") }

    @Test func repoShowTakesEverySpellingArgumentParserTakes() throws {
        let plue = try PlueRunner(home: home)
        try plue.setUpDemo()
        for json in [[], ["--json"]] {
            let expected = try plue.raw(["repo", "show", "alice/demo", "--home", home] + json)
            #expect(expected.status == 0 && !expected.output.isEmpty)
            for spelling in [["repo", "show", "--home=\(home)", "alice/demo"] + json,
                             ["repo", "show"] + json + ["--home", home, "alice/demo"],
                             ["repo", "show"] + json + ["--home", home, "--", "alice/demo"],
                             ["repo", "show", "--home", directory.child("elsewhere"), "alice/demo", "--home", home] + json] {
                let result = try plue.raw(spelling)
                #expect(result.status == 0 && result.output == expected.output, "\(spelling)")
            }
        }
        let missing = try plue.raw(["repo", "show", "alice/nope", "--home=\(home)"])
        #expect(missing.status == 66 && missing.errorOutput.hasPrefix("error: "))
        let help = try plue.raw(["repo", "show", "--help"])
        #expect(help.status == 0 && help.text.contains("USAGE: plue repo show"))
        #expect(try plue.raw(["repo", "show", "alice/demo", "--frobnicate", "--home", home]).status == 64)
        #expect(try plue.raw(["repo", "show", "alice/demo", "--home"]).status == 64)
        let version = try plue.raw(["--version"])
        #expect(version.status == 0 && version.trimmed.split(separator: ".").count == 3)
    }

    @Test func errorsAreJSONWhenJSONWasAskedFor() throws {
        let plue = try PlueRunner(home: home)
        try plue.setUpDemo()
        for (arguments, code, status) in [(["repo", "show", "alice/nope", "--json", "--home=\(home)"], "notFound", Int32(66)),
                                          (["repo", "show", "alice/demo", "--json", "--frobnicate", "--home", home], "usage", 64)] {
            let result = try plue.raw(arguments)
            let document = try JSONSerialization.jsonObject(with: Data(result.errorOutput.utf8)) as? [String: Any]
            #expect(result.status == status && (document?["error"] as? [String: Any])?["code"] as? String == code, "\(arguments)")
        }
    }

    @Test func hooksReadTheirLineAsArgumentParserDoes() throws {
        let plue = try PlueRunner(home: home)
        try plue.setUpDemo(seed: directory.child("seed"))
        let head = try Command.git(["rev-parse", "main"], in: directory.child("seed"))
        let zero = String(repeating: "0", count: 40)
        for (index, homeWords) in [["--home", home], ["--home=\(home)"]].enumerated() {
            let hook = { (name: String, ref: String) in
                try plue.raw(["hook", name] + homeWords + ["--repo", "alice/demo"], input: Data("\(zero) \(head) \(ref)\n".utf8))
            }
            let refused = try hook("pre-receive", "refs/plue/keep/x")
            #expect(refused.status == 77 && refused.errorOutput.contains("refs/plue/"), "\(homeWords)")
            #expect(try hook("pre-receive", "refs/heads/copy-\(index)").status == 0)
            #expect(try hook("post-receive", "refs/heads/copy-\(index)").status == 0)
        }
        let events = try #require(try plue.json(["repo", "events", "alice/demo"]) as? [[String: Any]])
        let refs = Set(events.compactMap { $0["ref"] as? String })
        #expect(refs.isSuperset(of: ["refs/heads/copy-0", "refs/heads/copy-1"]), "\(refs)")
    }

    @Test func theLinesSSHDRunsGiveWhatArgumentParserGives() throws {
        let plue = try PlueRunner(home: home)
        try plue.setUpDemo()
        let key = try GeneratedKey.make("ed25519", in: directory.path)
        try key.publicKeyLine.write(toFile: directory.child("alice.pub"), atomically: true, encoding: .utf8)
        try plue.ok(["ssh-key", "add", "alice", "--title", "laptop", "--file", directory.child("alice.pub")])

        // The AuthorizedKeysCommand line `plue sshd-config` prints, as sshd splits and fills it in.
        let config = try plue.ok(["sshd-config"])
        let lookup = try #require(config.split(separator: "\n").first { $0.contains("AuthorizedKeysCommand ") })
        let words = lookup.split(separator: " ").dropFirst().map { word in
            ["%u": "git", "%t": key.type, "%k": key.base64][String(word)] ?? String(word)
        }
        #expect(words[0].hasPrefix("/") && words[1] == "ssh-authorize", "sshd needs an absolute path")
        let authorized = try Command.run(words[0], Array(words.dropFirst()))
        let parsed = try plue.raw(["ssh-authorize", "--home=\(home)", "git", key.type, key.base64])
        #expect(authorized.status == 0 && authorized.trimmed.hasPrefix("command=\"") && authorized.output == parsed.output)
        let stranger = try GeneratedKey.make("ed25519", in: directory.path)
        for homeWords in [["--home", home], ["--home=\(home)"]] {
            let unknown = try plue.raw(["ssh-authorize"] + homeWords + ["git", stranger.type, stranger.base64])
            #expect(unknown.status == 0 && unknown.output.isEmpty)
        }

        // The forced command that line sets, as the login shell splits it.
        let forced = try #require(authorized.trimmed.split(separator: "\"").dropFirst().first).split(separator: " ").map(String.init)
        #expect(forced.count == 5 && forced[0] == words[0] && forced[1] == "ssh-serve")
        let keyArgument = forced[4]
        for command in [nil, "git-upload-pack 'alice/demo.git'", "git-upload-pack 'alice/nope.git'", "rm -rf /"] {
            let environment = command.map { ["SSH_ORIGINAL_COMMAND": $0] } ?? [:]
            let served = try Command.run(forced[0], Array(forced.dropFirst()), environment: Command.environment(environment))
            let viaParser = try plue.raw(["ssh-serve", "--home=\(home)", keyArgument], environment: environment)
            #expect(served.status == viaParser.status && served.output == viaParser.output && served.errorOutput == viaParser.errorOutput,
                    "\(command ?? "no command")")
        }
        let greeting = try Command.run(forced[0], Array(forced.dropFirst()))
        #expect(greeting.status == 1 && greeting.text.hasPrefix("Hi alice!"))
    }
}
