import Foundation
import PlueTestSupport

/// A real OpenSSH daemon on 127.0.0.1, configured with the lines `plue sshd-config` prints, in front of
/// a forge owned by the `git` system account. Needs root (as CI runs); throws with the reason when
/// anything cannot be set up, so the test fails instead of being skipped.
final class SSHServer: @unchecked Sendable {
    // @unchecked: every property is set once in init; `stop` runs from one test at its end.
    static let gitUser = "git"

    let directory: TemporaryDirectory
    let binaryDirectory: String
    let plue: String
    let home: String
    let port: Int
    private let pidFile: String

    init() throws {
        guard getuid() == 0 else { throw CommandFailure(description: "the SSH test needs root to run sshd and create the git account") }
        try Self.ensureGitAccount()

        directory = TemporaryDirectory("plue-sshd")
        // sshd's rules: the AuthorizedKeysCommand and every directory above it owned by root, not
        // writable by group or others. /tmp is world-writable, so the binary goes under /opt.
        binaryDirectory = "/opt/plue-ssh-test-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: binaryDirectory, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o755])
        plue = binaryDirectory + "/plue"
        try PlueBinary.copy(to: plue)

        // The forge belongs to the git account: the key lookup and the hooks run as it.
        try Self.run("/bin/chown", [Self.gitUser, directory.path])
        chmod(directory.path, 0o755)
        home = directory.child("home")
        port = try Self.freePort()

        let hostKey = directory.child("host_ed25519")
        try Self.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", hostKey])
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])

        pidFile = directory.child("sshd.pid")
        try asGit(["init", "--git-user", Self.gitUser])
        let matchBlock = try asGit(["sshd-config"])
        let config = """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(hostKey)
            PidFile \(pidFile)
            UsePAM no
            PubkeyAuthentication yes
            AllowUsers \(Self.gitUser)
            LogLevel VERBOSE
            \(matchBlock)
            """
        let configPath = directory.child("sshd_config")
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        let check = try Command.run("/usr/sbin/sshd", ["-t", "-f", configPath])
        guard check.status == 0 else { throw CommandFailure(description: "sshd rejects the configuration: \(check.errorOutput)") }

        // sshd daemonizes: the command returns at once and no long-lived child hangs off this process.
        let started = try Command.run("/usr/sbin/sshd", ["-f", configPath, "-E", directory.child("sshd.log")])
        guard started.status == 0 else { throw CommandFailure(description: "sshd did not start: \(started.errorOutput) \(log)") }
        try waitForListener()
    }

    /// Runs the copied `plue` as the git account, as an administrator would (`sudo -u git plue ...`).
    @discardableResult
    func asGit(_ arguments: [String], input: Data? = nil) throws -> String {
        let result = try Command.run("/usr/sbin/runuser", ["-u", Self.gitUser, "--", plue] + arguments + ["--home", home], input: input)
        guard result.status == 0 else {
            throw CommandFailure(description: "plue \(arguments.joined(separator: " ")) exited \(result.status): \(result.errorOutput)")
        }
        return result.text
    }

    /// `GIT_SSH_COMMAND` for one key, with nothing from the user's own ssh configuration.
    func sshCommand(key: String) -> String {
        "ssh -F /dev/null -i \(key) -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no "
            + "-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -p \(port)"
    }

    func url(_ fullName: String) -> String { "ssh://\(Self.gitUser)@127.0.0.1:\(port)/\(fullName).git" }

    var log: String { (try? String(contentsOfFile: directory.child("sshd.log"), encoding: .utf8)) ?? "" }

    func stop() {
        if let pid = daemonPID { kill(pid, SIGTERM) }
        try? FileManager.default.removeItem(atPath: binaryDirectory)
    }

    private var daemonPID: pid_t? {
        (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    private func waitForListener() throws {
        for _ in 0..<100 {
            if Self.canConnect(port: port) { return }
            usleep(50_000)
        }
        throw CommandFailure(description: "sshd did not listen on \(port) within 5 s: \(log)")
    }

    private static func ensureGitAccount() throws {
        if try Command.run("/usr/bin/id", [gitUser]).status != 0 {
            try run("/usr/sbin/useradd", ["--system", "--create-home", "--shell", "/bin/sh", gitUser])
        }
        // The forced command runs through the login shell; UsePAM no needs an unlocked account.
        try run("/usr/sbin/usermod", ["-s", "/bin/sh", "-p", "*", gitUser])
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let result = try Command.run(executable, arguments)
        guard result.status == 0 else {
            throw CommandFailure(description: "\(executable) \(arguments.joined(separator: " ")): \(result.errorOutput)")
        }
    }

    private static func freePort() throws -> Int {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socketDescriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketDescriptor, $0, length) == 0 && getsockname(socketDescriptor, $0, &length) == 0 }
        }
        guard bound else { throw CommandFailure(description: "cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func canConnect(port: Int) -> Bool {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socketDescriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
