import Foundation
import PlueTestSupport
import Testing

/// A home on a file system that becomes read-only: reads still work, writes fail with 75 (retry
/// later) and say why, pushes are refused before any ref moves, and nothing is half-made.
/// Needs root to mount a tmpfs (as CI runs); fails, never skips, when it cannot.
@Suite(.serialized) struct ReadOnlyDiskTests {
    @Test func writesAreRefusedAndNothingChanges() throws {
        let directory = TemporaryDirectory("plue-rofs")
        let mountPoint = directory.child("mnt")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let mount = try Command.run("/bin/mount", ["-t", "tmpfs", "-o", "size=64m", "tmpfs", mountPoint])
        try #require(mount.status == 0, "cannot mount a tmpfs (this test needs root, as CI has): \(mount.errorOutput)")
        defer { _ = try? Command.run("/bin/umount", ["-l", mountPoint]) }

        let home = mountPoint + "/home"
        let plue = try PlueRunner(home: home)
        try plue.ok(["init"])
        try plue.ok(["user", "create", "alice", "--email", "alice@example.com"])
        try plue.ok(["repo", "create", "alice/demo"])
        let work = directory.child("work")
        try Command.git(["init", "-q", "-b", "main", work])
        try Command.git(["commit", "-q", "--allow-empty", "-m", "one"], in: work)

        let remount = try Command.run("/bin/mount", ["-o", "remount,ro", mountPoint])
        try #require(remount.status == 0, "cannot remount read-only: \(remount.errorOutput)")

        #expect(try plue.ok(["repo", "list"]).contains("alice/demo"), "reads still work")
        for arguments in [["user", "create", "bob", "--email", "bob@example.com"], ["repo", "create", "alice/other"],
                          ["repo", "delete", "alice/demo", "--yes"]] {
            let result = try plue.run(arguments)
            #expect(result.status == 75, "\(arguments): \(result.status) \(result.errorOutput)")
            #expect(result.errorOutput.hasPrefix("error: ") && result.errorOutput.contains("read-only"))
        }
        let push = try Command.run("/usr/bin/git", ["push", home + "/repos/alice/demo.git", "main"], in: work)
        #expect(push.status != 0)

        _ = try Command.run("/bin/mount", ["-o", "remount,rw", mountPoint])
        #expect((try plue.json(["user", "list"]) as? [Any])?.count == 1)
        #expect((try plue.json(["repo", "list"]) as? [Any])?.count == 1)
        #expect(FileManager.default.fileExists(atPath: home + "/repos/alice/demo.git/HEAD"))
        #expect(try Command.run("/usr/bin/git", ["-C", home + "/repos/alice/demo.git", "rev-parse", "--verify", "-q", "main"]).status != 0)
    }
}
