import Foundation
import PlueTestSupport
import Testing

/// A step is code from a push: run by `plue runner --as` it must not reach the forge. The home
/// here lies outside /tmp and is made readable to everyone on purpose, so what keeps the step
/// out is the runner's sandbox, not the home's permissions.
@Suite struct WorkflowIsolationTests {
    @Test func aStepCannotReadTheForgeNorWriteOutsideItsFolder() throws {
        let root = "/opt/plue-test-home-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let home = root + "/home"
        let forge = try WorkflowForge(home: home)
        try forge.plue.ok(["repo", "create", "alice/other", "--private"])
        for path in [home, home + "/repos", home + "/repos/alice", home + "/repos/alice/other.git"] { chmod(path, 0o755) }
        chmod(home + "/plue.db", 0o644)
        let mark = UUID().uuidString.prefix(8)
        // Root's file beside the home, which links the step leaves in its folder point at: the
        // runner's clean-up must remove the links, never what they name.
        try FileManager.default.createDirectory(atPath: root + "/victim", withIntermediateDirectories: false)
        try "precious\n".write(toFile: root + "/victim/precious", atomically: true, encoding: .utf8)
        let script = """
            for f in \(home)/secret \(home)/plue.db \(home)/repos/alice/other.git/HEAD ./link; do
              if cat "$f" >/dev/null 2>&1; then echo "LEAK read $f"; else echo "denied read $f"; fi
            done
            if ls \(home)/repos >/dev/null 2>&1; then echo "LEAK list"; else echo "denied list"; fi
            if ls \(home)/jobs >/dev/null 2>&1; then echo "LEAK jobs"; else echo "denied jobs"; fi
            echo x > /tmp/escape-\(mark) && echo "own tmp"
            echo x > /var/tmp/escape-\(mark) || true
            echo x > /dev/shm/escape-\(mark) || true
            if touch /etc/escape-\(mark) 2>/dev/null; then echo "LEAK etc"; fi
            if touch \(root)/escape 2>/dev/null; then echo "LEAK opt"; fi
            echo ok > "$PLUE_WORKSPACE/written" && echo "wrote checkout"
            echo "processes $(ls /proc | grep -c '^[0-9]')"
            echo "uid $(id -u)"
            setsid sleep 63 </dev/null >/dev/null 2>&1 &
            echo "env HOME=$HOME TMPDIR=$TMPDIR"
            echo "fds $(ls /proc/self/fd | wc -l)"
            grep 'Max processes' /proc/self/limits | tr -s ' ' '\n' | sed -n 3p | sed 's/^/nproc /'
            ln -s \(root)/victim /tmp/victim-link
            mkdir -p /tmp/deep/a && ln -s \(root)/victim /tmp/deep/a/b
            """
        try forge.commit([".plue/workflows/ci.yml": "on: push\njobs:\n  probe:\n    steps:\n      - run: sh probe.sh\n", "probe.sh": script])
        try FileManager.default.createSymbolicLink(atPath: forge.work + "/link", withDestinationPath: home + "/secret")
        try forge.commit([:], message: "a link to the secret")
        try forge.push()
        try forge.runOnce()
        let runs = try forge.runs()
        let id = try #require(runs.first?["id"] as? Int)
        let logs = try forge.logs(id)
        #expect(!logs.contains("LEAK"), "\(logs)")
        #expect(logs.components(separatedBy: "denied read").count - 1 == 4, "\(logs)")
        #expect(logs.contains("denied list") && logs.contains("denied jobs") && logs.contains("own tmp") && logs.contains("wrote checkout"))
        let uid = try Command.run("/usr/bin/id", ["-u", WorkflowForge.account]).trimmed
        #expect(logs.contains("uid \(uid)"))
        #expect(logs.contains("env HOME=/tmp/home TMPDIR=/tmp/tmp"))
        let processes = logs.split(separator: "\n").first { $0.contains("| processes ") }.flatMap { Int($0.split(separator: " ").last ?? "") }
        #expect((processes ?? 99) < 10, "the step sees only its own processes: \(processes ?? -1)")
        for path in ["/tmp/escape-\(mark)", "/var/tmp/escape-\(mark)", "/dev/shm/escape-\(mark)", "/etc/escape-\(mark)", root + "/escape"] {
            #expect(!FileManager.default.fileExists(atPath: path), "\(path) was written from a step")
        }
        #expect(try WorkflowForge.processes(containing: "sleep 63").isEmpty, "a process the step set loose ended with it")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: home + "/jobs"))?.isEmpty ?? true, "the job's folder is gone")
        #expect(try forge.run(id)["status"] as? String == "success")
        #expect(FileManager.default.fileExists(atPath: root + "/victim/precious"), "clean-up followed a link")
        let fds = logs.split(separator: "\n").first { $0.contains("| fds ") }.flatMap { Int($0.split(separator: " ").last ?? "") }
        #expect((fds ?? 99) <= 4, "the step inherits standard streams only (and ls its own): \(fds ?? -1)")
        #expect(logs.contains("| nproc 4096\n"), "a fork bomb stops at 4,096 processes of the account")
    }

    @Test func aRunnerRefusesTheForgesOwnAccountAndRoot() throws {
        let forge = try WorkflowForge()
        let root = try forge.plue.run(["runner", "--once", "--as", "root"])
        #expect(root.status == 65 && root.errorOutput.contains("unprivileged"), "\(root.errorOutput)")
        let neither = try forge.plue.run(["runner", "--once"])
        #expect(neither.status == 64 && neither.errorOutput.contains("--as ACCOUNT"), "\(neither.errorOutput)")
        let unknown = try forge.plue.run(["runner", "--once", "--as", "no-such-account-here"])
        #expect(unknown.status == 66, "\(unknown.errorOutput)")
        let same = try forge.plue.run(["runner", "--once", "--same-account"])
        #expect(same.status == 0 && same.errorOutput.contains("warning: --same-account"), "\(same.errorOutput)")
    }
}
