import Foundation
import PlueTestSupport
import Testing

/// `plue init` into a directory an administrator made for the forge's account, under a parent that
/// account may not write: the README's SSH set-up, run as written.
@Suite(.serialized) struct InitInPlaceTests {
    static let gitUser = "git"

    /// A root-owned copy of the binary in a root-owned folder, on the PATH of the commands run.
    final class Setup {
        let parent: String
        let binaryDirectory: String

        init() throws {
            guard getuid() == 0 else { throw CommandFailure(description: "the init-in-place tests need root, as CI runs them") }
            if try Command.run("/usr/bin/id", [InitInPlaceTests.gitUser]).status != 0 {
                let added = try Command.run("/usr/sbin/useradd", ["--system", "--create-home", "--shell", "/bin/sh", InitInPlaceTests.gitUser])
                guard added.status == 0 else { throw CommandFailure(description: "useradd: \(added.errorOutput)") }
            }
            let suffix = UUID().uuidString.prefix(8)
            parent = "/tmp/plue-srv-\(suffix)"
            binaryDirectory = "/opt/plue-init-test-\(suffix)"
            for directory in [parent, binaryDirectory] {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false,
                                                        attributes: [.posixPermissions: 0o755])
            }
            try PlueBinary.copy(to: binaryDirectory + "/plue")
        }

        deinit {
            try? FileManager.default.removeItem(atPath: parent)
            try? FileManager.default.removeItem(atPath: binaryDirectory)
        }

        /// Runs shell lines with `sudo` meaning what it does for an administrator (root here:
        /// `sudo -u USER` becomes runuser), and /srv replaced by the root-owned test parent.
        func shell(_ lines: [String]) throws -> CommandResult {
            let sudo = #"sudo() { if [ "$1" = -u ]; then u=$2; shift 2; runuser -u "$u" -- env PATH="$PATH" "$@"; else "$@"; fi; }"#
            let script = ([sudo, "set -e"] + lines.map { $0.replacingOccurrences(of: "/srv", with: parent) }).joined(separator: "\n")
            return try Command.run("/bin/sh", ["-c", script],
                                   environment: ["PATH": binaryDirectory + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"])
        }

        func owner(of path: String) throws -> (user: String, mode: Int) {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            return (attributes[.ownerAccountName] as? String ?? "?", (attributes[.posixPermissions] as? Int ?? 0) & 0o7777)
        }
    }

    /// The lines of the README's SSH block that make and initialise the home.
    static func readmeSetUpLines() throws -> [String] {
        let readme = try String(contentsOfFile: PlueBinary.packageRoot + "/README.md", encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "### SSH").dropFirst().first)
        let block = try #require(section.components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "```").first)
        let lines = block.split(separator: "\n").map(String.init)
            .filter { $0.contains("/srv/plue") && ($0.hasPrefix("sudo install -d") || $0.contains("plue init")) }
        return lines
    }

    @Test func theReadmeSSHSetUpInitialisesTheHomeUnderARootOwnedParent() throws {
        let setup = try Setup()
        let lines = try Self.readmeSetUpLines()
        #expect(lines.count == 2 && lines[0].hasPrefix("sudo install -d") && lines[1].contains("sudo -u git plue init"), "\(lines)")
        let result = try setup.shell(lines)
        #expect(result.status == 0, "\(result.status) \(result.errorOutput)")
        let home = setup.parent + "/plue"
        #expect(try setup.owner(of: setup.parent).user == "root")
        let made = try setup.owner(of: home)
        #expect(made.user == Self.gitUser && made.mode == 0o700, "\(made)")
        for name in ["plue.db", "secret", "repos", "log"] {
            #expect(try setup.owner(of: home + "/" + name).user == Self.gitUser, "\(name)")
        }
        #expect(try setup.owner(of: home + "/secret").mode == 0o600)
        let entries = try FileManager.default.contentsOfDirectory(atPath: home).sorted()
        #expect(entries == ["log", "plue.db", "repos", "secret"], "\(entries)")
        // The forge works as its account.
        let listed = try setup.shell(["sudo -u git plue user create alice --email alice@example.com --home /srv/plue",
                                      "sudo -u git plue repo create alice/demo --home /srv/plue"])
        #expect(listed.status == 0, "\(listed.errorOutput)")
        // A second init refuses and changes nothing.
        let again = try setup.shell([lines[1]])
        #expect(again.status == 73, "\(again.status) \(again.errorOutput)")
    }

    @Test func initInPlaceKeepsTheDirectorysOwnerAndMode() throws {
        let setup = try Setup()
        let home = setup.parent + "/home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o750])
        let result = try setup.shell(["plue init --home \(home)"])
        #expect(result.status == 0, "\(result.errorOutput)")
        let kept = try setup.owner(of: home)
        #expect(kept.user == "root" && kept.mode == 0o750, "\(kept)")
        #expect(FileManager.default.fileExists(atPath: home + "/plue.db"))
    }

    @Test func aDirectoryTheAccountMayNotWriteIsRefusedWith77AndLeftAsItWas() throws {
        let setup = try Setup()
        let home = setup.parent + "/plue"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        let result = try setup.shell(["sudo -u git plue init --home /srv/plue --git-user git"])
        #expect(result.status == 77, "\(result.status) \(result.errorOutput)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: home).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: setup.parent) == ["plue"])
    }

    @Test func anInitInterruptedAfterMovingSomeEntriesIsClearedByTheNext() throws {
        let setup = try Setup()
        let home = setup.parent + "/home"
        try FileManager.default.createDirectory(atPath: home + "/.plue-init-in-place-0123456789abcdef/repos", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: home + "/repos", withIntermediateDirectories: false)
        let oldSecret = String(repeating: "0", count: 64) + "\n"
        try Data(oldSecret.utf8).write(to: URL(fileURLWithPath: home + "/secret"))
        let result = try setup.shell(["plue init --home \(home)"])
        #expect(result.status == 0, "\(result.errorOutput)")
        let entries = try FileManager.default.contentsOfDirectory(atPath: home).sorted()
        #expect(entries == ["log", "plue.db", "repos", "secret"], "\(entries)")
        let secret = try String(contentsOfFile: home + "/secret", encoding: .utf8)
        #expect(secret.count == 65 && secret != oldSecret, "a fresh secret")
        // Without the staging folder, the same entries are someone's files: refused.
        let other = setup.parent + "/other"
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: false)
        try Data("mine\n".utf8).write(to: URL(fileURLWithPath: other + "/secret"))
        #expect(try setup.shell(["plue init --home \(other)"]).status == 73)
        #expect(try String(contentsOfFile: other + "/secret", encoding: .utf8) == "mine\n")
        // A staging folder beside repositories is no licence to remove them: an init of a folder
        // below stages as .plue-init-*, and a repos/ that holds anything was not made by an init.
        let kept = setup.parent + "/kept"
        try FileManager.default.createDirectory(atPath: kept + "/repos/alice/precious.git", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: kept + "/.plue-init-in-place-0123456789abcdef", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: kept + "/.plue-init-fedcba9876543210", withIntermediateDirectories: true)
        let refused = try setup.shell(["plue init --home \(kept)"])
        #expect(refused.status == 73, "\(refused.status) \(refused.errorOutput)")
        #expect(FileManager.default.fileExists(atPath: kept + "/repos/alice/precious.git"))
    }
}
