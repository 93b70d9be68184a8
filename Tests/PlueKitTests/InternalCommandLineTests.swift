@testable import PlueKit
import Testing

/// The command lines Plue writes (hooks, sshd's key lookup, the forced command) read back as
/// themselves, and nothing else reads as one of them: the CLI sends anything else to ArgumentParser.
@Suite struct InternalCommandLineTests {
    @Test func everyLineReadsBackAsItself() {
        let lines: [InternalCommandLine] = [
            .hook(name: "pre-receive", home: "/srv/plue", repository: "alice/demo"),
            .hook(name: "post-receive", home: "/srv/it's home", repository: "alice/demo"),
            .sshAuthorize(home: "/srv/plue", account: "git", type: "ssh-ed25519", key: "AAAAC3NzaC1lZDI1NTE5AAAAIA=="),
            .sshServe(home: "/srv/plue", key: "key-12"),
        ]
        for line in lines {
            #expect(InternalCommandLine(line.arguments()) == line, "\(line)")
        }
    }

    @Test func whatTheWritersWriteReadsBack() throws {
        let hook = HookInstaller(executable: "/usr/local/bin/plue", home: PlueHome(root: "/srv/plue"))
            .script(hook: "post-receive", fullName: "alice/demo")
        let exec = try #require(hook.split(separator: "\n").first { $0.hasPrefix("exec ") })
        #expect(exec == "exec '/usr/local/bin/plue' hook post-receive --home '/srv/plue' --repo 'alice/demo'",
                "existing hooks stay byte for byte what Plue wrote")

        let config = SSHDConfigText.render(executable: "/usr/local/bin/plue", home: "/srv/plue", gitUser: "git")
        let lookup = try #require(config.split(separator: "\n").first { $0.contains("AuthorizedKeysCommand ") })
        #expect(lookup == "    AuthorizedKeysCommand /usr/local/bin/plue ssh-authorize --home /srv/plue %u %t %k")
        // sshd splits the line on spaces and puts the login's account, key type and key in place of %u %t %k.
        let words = lookup.split(separator: " ").dropFirst(2).map { word in
            ["%u": "git", "%t": "ssh-ed25519", "%k": "AAAA"][String(word)] ?? String(word)
        }
        #expect(InternalCommandLine(words) == .sshAuthorize(home: "/srv/plue", account: "git", type: "ssh-ed25519", key: "AAAA"))
    }

    @Test(arguments: [
        ["hook", "pre-receive", "--repo", "alice/demo", "--home", "/srv/plue"],   // another order
        ["hook", "pre-receive", "--home=/srv/plue", "--repo", "alice/demo"],      // another spelling
        ["hook", "pre-receive", "--home", "/srv/plue", "--repo", "alice/demo", "--help"],
        ["hook", "pre-receive", "--home", "/srv/plue", "--repo"],
        ["hook", "update", "--home", "/srv/plue", "--repo", "alice/demo"],        // a hook Plue does not write
        ["hook", "pre-receive", "--home", "/srv/plue", "--repo", "-x"],           // a value ArgumentParser reads as an option
        ["hook", "pre-receive", "--home", "--repo", "--repo", "alice/demo"],
        ["ssh-authorize", "git", "ssh-ed25519", "AAAA", "--home", "/srv/plue"],
        ["ssh-authorize", "--home", "/srv/plue", "git", "ssh-ed25519", "AAAA", "--git-user", "forge"],
        ["ssh-authorize", "--home", "/srv/plue", "--", "ssh-ed25519", "AAAA"],
        ["ssh-authorize", "--git-user", "/srv/plue", "git", "ssh-ed25519", "AAAA"],
        ["ssh-serve", "key-1", "--home", "/srv/plue"],
        ["ssh-serve", "--home", "/srv/plue", "--json"],
        ["ssh-serve", "--home", "/srv/plue", "key-1", "extra"],
        ["repo", "show", "alice/demo"],
        ["--version"],
        [],
    ])
    func anythingElseIsNotAnInternalLine(_ words: [String]) {
        #expect(InternalCommandLine(words) == nil)
    }
}
