import PlueKit
import PlueTestSupport
import Testing

@Suite struct SSHCommandTests {
    @Test(arguments: [
        ("git-upload-pack 'alice/demo.git'", SSHCommand.Service.uploadPack),
        ("git-upload-pack '/alice/demo.git'", .uploadPack),
        ("git-upload-pack 'alice/demo'", .uploadPack),
        ("git upload-pack '/alice/demo'", .uploadPack),
        ("git-receive-pack 'alice/demo.git'", .receivePack),
        ("git receive-pack 'alice/demo.git'", .receivePack),
        ("git-upload-archive 'alice/demo.git'", .uploadArchive),
        ("git upload-archive '/alice/demo'", .uploadArchive),
    ])
    func acceptsWhatGitSends(_ command: String, _ service: SSHCommand.Service) throws {
        let parsed = try SSHCommand.parse(command)
        #expect(parsed.service == service && parsed.owner == "alice" && parsed.name == "demo")
    }

    /// A path is only ever OWNER/NAME inside the forge: '/etc/passwd' names the repository etc/passwd
    /// (repos/etc/passwd.git), which the session then fails to find; it is never a file path.
    @Test func absolutePathsAreRepositoryNamesNotFiles() throws {
        let parsed = try SSHCommand.parse("git-upload-pack '/etc/passwd'")
        #expect(parsed.owner == "etc" && parsed.name == "passwd")
    }

    @Test func keepsDotsInNames() throws {
        #expect(try SSHCommand.parse("git-upload-pack 'alice/.github.git'").name == ".github")
        #expect(try SSHCommand.parse("git-upload-pack 'alice/v1.0'").name == "v1.0")
    }

    @Test(arguments: [
        "", "ls", "sh", "git", "git-upload-pack", "git-upload-pack ''", "git-upload-pack alice/demo",
        "git-upload-pack \"alice/demo\"", "git-upload-pack 'alice/demo' 'bob/x'", "git-upload-pack 'alice/demo';id",
        "git-upload-pack 'alice/demo'; rm -rf /", "git-upload-pack 'alice/demo' && id", "git-upload-pack 'alice/demo' | id",
        "git-upload-pack '$(id)/demo'", "git-upload-pack '`id`/demo'", "git-upload-pack 'alice/../bob/demo'",
        "git-upload-pack '../alice/demo'", "git-upload-pack 'alice/..'", "git-upload-pack '/etc/passwd/x'",
        "git-upload-pack '/home/git/repos/alice/demo.git'", "git-upload-pack '~alice/demo'", "git-upload-pack '-alice/demo'",
        "git-upload-pack 'alice/-demo'", "git-upload-pack '--upload-pack=id'", "git-upload-pack 'alice/demo\n'",
        "git-upload-pack 'alice/demo'\ngit-receive-pack 'alice/demo'", "git-upload-pack\t'alice/demo'",
        "git-upload-pack  'alice/demo'", " git-upload-pack 'alice/demo'", "git-upload-pack 'alice/demo' ",
        "git-upload-pack 'alice//demo'", "git-upload-pack 'alice/demo/'", "git-upload-pack 'alice'", "git-shell",
        "git-upload-pack git-receive-pack 'alice/demo'", "git-receive-pack 'alice/demo.git.git'",
        "scp -t /tmp", "git-upload-pack 'alice/de mo'", "git-upload-pack 'alice/de'mo'", "git-upload-pack 'a\u{0}b/demo'",
    ])
    func refusesEverythingElse(_ command: String) {
        let error = plueError { _ = try SSHCommand.parse(command) }
        #expect(error?.code == .invalidInput, "accepted \(command.debugDescription)")
        #expect(error?.message.contains("\n") == false, "the reason is one line")
    }

    /// A few hundred generated strings around the accepted shape, each with something hostile in it.
    @Test func refusesGeneratedHostileCommands() {
        let verbs = ["git-upload-pack ", "git-receive-pack ", "git upload-archive ", "git-upload-pack  ", "bash -c ", ""]
        let hostile = ["..", ";", "|", "&", "$(", "`", "\n", "\r", "\0", " ", "'", "\"", "\\", "-", "//", "*", "?", "~", ">", "<", "\t"]
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<500 {
            let bad = hostile.randomElement(using: &generator)!
            let owner = ["alice", "a" + bad, bad + "alice"].randomElement(using: &generator)!
            let name = ["demo" + bad, bad + "demo", "de" + bad + "mo"].randomElement(using: &generator)!
            var command = verbs.randomElement(using: &generator)! + "'" + owner + "/" + name + "'"
            if Bool.random(using: &generator) { command += [" x", bad, "'"].randomElement(using: &generator)! }
            let parsed = try? SSHCommand.parse(command)
            // Names may legitimately contain '-' inside; anything accepted must be a clean name.
            if let parsed {
                #expect(!parsed.owner.contains(where: { !$0.isLetter && !$0.isNumber && $0 != "-" && $0 != "_" }) && !parsed.owner.hasPrefix("-"),
                        "accepted \(command.debugDescription)")
                #expect(!parsed.name.hasPrefix("-") && parsed.name != ".." && !parsed.name.contains("/"), "accepted \(command.debugDescription)")
                #expect(parsed.name.allSatisfy { $0.isLetter || $0.isNumber || "._-".contains($0) }, "accepted \(command.debugDescription)")
            }
        }
    }
}
