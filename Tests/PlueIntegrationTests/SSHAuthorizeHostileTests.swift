import Foundation
import PlueTestSupport
import Testing

/// `plue ssh-authorize` as sshd runs it, given a key type an attacker chose.
@Suite struct SSHAuthorizeHostileTests {
    @Test func aTypeWithANewlinePrintsNothing() throws {
        let directory = TemporaryDirectory("plue-authorize")
        let plue = try PlueRunner(home: directory.child("home"))
        try plue.setUpDemo()
        let key = try GeneratedKey.make("ed25519", in: directory.path)
        try key.publicKeyLine.write(toFile: directory.child("alice.pub"), atomically: true, encoding: .utf8)
        try plue.ok(["ssh-key", "add", "alice", "--title", "laptop", "--file", directory.child("alice.pub")])

        let good = try plue.raw(["ssh-authorize", "git", key.type, key.base64, "--home", plue.home])
        #expect(good.status == 0 && good.text.split(separator: "\n").count == 1 && good.text.hasPrefix("command="))
        for type in [key.type + "\n" + key.type + " " + key.base64, "ssh-rsa", key.type + " x"] {
            let result = try plue.raw(["ssh-authorize", "git", type, key.base64, "--home", plue.home])
            #expect(result.status == 0 && result.output.isEmpty, "\(type.debugDescription): \(result.text.debugDescription)")
        }
    }
}
