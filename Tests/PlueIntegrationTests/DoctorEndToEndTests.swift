import Foundation
import PlueTestSupport
import Testing

/// `plue doctor` run as an administrator would after moving `plue`, a killed command or a change by
/// hand: each problem is found (exit 1), `--fix` repairs what it may, and the result is checked on
/// disk, with git and with the next doctor run (exit 0).
@Suite struct DoctorEndToEndTests {
    let directory = TemporaryDirectory("plue-doctor")

    /// `plue doctor --json [--fix]`: its exit status and the report.
    struct Run {
        let status: Int32
        let report: [String: Any]
        let errorOutput: String
        var findings: [[String: Any]] { report["findings"] as? [[String: Any]] ?? [] }
        func findings(_ code: String) -> [[String: Any]] { findings.filter { $0["code"] as? String == code } }
        var codes: [String] { findings.compactMap { $0["code"] as? String } }
    }

    func doctor(_ plue: PlueRunner, fix: Bool = false) throws -> Run {
        let result = try plue.run(["doctor", "--json"] + (fix ? ["--fix"] : []))
        let report = try #require(try JSONSerialization.jsonObject(with: result.output) as? [String: Any], "\(result.errorOutput)")
        return Run(status: result.status, report: report, errorOutput: result.errorOutput)
    }

    /// The hook `plue repo create` writes, spelled out here rather than taken from Plue.
    static func expectedHook(_ name: String, executable: String, home: String, repository: String) -> String {
        func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        return "#!/bin/sh\n"
            + "# Installed by plue: every push is checked and recorded as a push event.\n"
            + "# Do not edit; plue writes this file again when the repository is created or imported.\n"
            + "exec \(quoted(executable)) hook \(name) --home \(quoted(home)) --repo \(quoted(repository))\n"
    }

    static func mode(_ path: String) -> mode_t {
        var info = stat()
        _ = lstat(path, &info)
        return info.st_mode & 0o7777
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Sets a path's modification time `seconds` ago, without following a link.
    static func age(_ path: String, by seconds: Int) {
        let then = timespec(tv_sec: time(nil) - seconds, tv_nsec: 0)
        var times = [then, then]
        _ = utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW)
    }

    /// The running binary as the kernel names it: the path `--fix` writes into hooks.
    static func resolved(_ path: String) -> String {
        guard let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }

    // MARK: - Hooks

    @Test func hooksCallingAMovedPlueAreFoundAndRewrittenSoPushesWorkAgain() throws {
        // A quote and a space in the home's path: the hooks quote it, and doctor reads them back.
        let home = directory.child("it's home")
        let plue = try PlueRunner(home: home)
        try plue.ok(["init"])
        try plue.ok(["user", "create", "alice", "--email", "alice@example.com"])
        // The repository is created by a copy of plue that is then removed, as after a move or an upgrade.
        let old = directory.child("old-bin/plue")
        try FileManager.default.createDirectory(atPath: directory.child("old-bin"), withIntermediateDirectories: true)
        // Copied by cp, not by this process: a child another test spawns meanwhile would inherit
        // this process's descriptor open for writing, and running the copy would fail with ETXTBSY.
        let copy = try Command.run("/bin/cp", [plue.binary, old])
        #expect(copy.status == 0, "\(copy.errorOutput)")
        let created = try Command.run(old, ["repo", "create", "alice/demo", "--home", home], environment: Command.environment())
        #expect(created.status == 0, "\(created.errorOutput)")
        let hooks = home + "/repos/alice/demo.git/hooks/"
        for name in ["pre-receive", "post-receive"] {
            #expect(try String(contentsOfFile: hooks + name, encoding: .utf8)
                    == Self.expectedHook(name, executable: old, home: home, repository: "alice/demo"))
        }
        try FileManager.default.removeItem(atPath: old)

        let seed = directory.child("seed")
        try Command.git(["init", "-q", "-b", "main", seed])
        try "hello\n".write(toFile: seed + "/README", atomically: true, encoding: .utf8)
        try Command.git(["add", "-A"], in: seed)
        try Command.git(["commit", "-q", "-m", "seed"], in: seed)
        let broken = try Command.run("/usr/bin/git", ["push", "-q", home + "/repos/alice/demo.git", "main"], in: seed)
        #expect(broken.status != 0, "the hook's plue is gone: the push is refused")

        let found = try doctor(plue)
        #expect(found.status == 1)
        #expect(found.codes == ["hookBinaryMissing", "hookBinaryMissing"])
        #expect(found.findings.compactMap { $0["path"] as? String } == [hooks + "pre-receive", hooks + "post-receive"])
        #expect(found.findings.allSatisfy { $0["fixable"] as? Bool == true && $0["fixed"] as? Bool == false && $0["name"] as? String == "alice/demo" })
        #expect(found.findings.allSatisfy { ($0["message"] as? String)?.contains(old) == true })
        #expect(found.report["remaining"] as? Int == 2 && found.report["fixed"] as? Int == 0)
        #expect(try String(contentsOfFile: hooks + "pre-receive", encoding: .utf8).contains(old), "without --fix nothing changes")

        let fixed = try doctor(plue, fix: true)
        #expect(fixed.status == 0, "\(fixed.report)")
        #expect(fixed.codes == ["hookBinaryMissing", "hookBinaryMissing"])
        #expect(fixed.findings.allSatisfy { $0["fixed"] as? Bool == true })
        #expect(fixed.report["remaining"] as? Int == 0 && fixed.report["fixed"] as? Int == 2)
        let running = Self.resolved(plue.binary)
        for name in ["pre-receive", "post-receive"] {
            #expect(try String(contentsOfFile: hooks + name, encoding: .utf8)
                    == Self.expectedHook(name, executable: running, home: home, repository: "alice/demo"))
            #expect(Self.mode(hooks + name) == 0o755)
        }

        let push = try Command.run("/usr/bin/git", ["push", "-q", home + "/repos/alice/demo.git", "main"], in: seed)
        #expect(push.status == 0, "\(push.errorOutput)")
        let events = try #require(try plue.json(["repo", "events", "alice/demo"]) as? [[String: Any]])
        #expect(events.count == 1, "the rewritten hooks recorded the push")
        let clean = try plue.run(["doctor"])
        #expect(clean.status == 0 && clean.text.contains("No problems found"), "\(clean.text)")
    }

    @Test func aMovedHomeGetsHooksNamingItsNewPlace() throws {
        let plue = try PlueRunner(home: directory.child("before"))
        try plue.setUpDemo()
        let moved = try PlueRunner(home: directory.child("after"))
        try FileManager.default.moveItem(atPath: plue.home, toPath: moved.home)

        let found = try doctor(moved)
        #expect(found.status == 1 && found.codes == ["hookMismatch", "hookMismatch"])
        #expect((found.findings.first?["message"] as? String)?.contains(plue.home) == true)
        #expect(try doctor(moved, fix: true).status == 0)
        let hook = try String(contentsOfFile: moved.home + "/repos/alice/demo.git/hooks/pre-receive", encoding: .utf8)
        #expect(hook == Self.expectedHook("pre-receive", executable: Self.resolved(moved.binary), home: moved.home, repository: "alice/demo"))
        #expect(try doctor(moved).status == 0)
    }

    @Test func aHookEditedByHandIsReportedAndKeptAndAMissingOneIsWritten() throws {
        let plue = try PlueRunner(home: directory.child("home"))
        try plue.setUpDemo()
        let hooks = plue.home + "/repos/alice/demo.git/hooks/"
        let edited = try String(contentsOfFile: hooks + "pre-receive", encoding: .utf8) + "echo mine\n"
        try edited.write(toFile: hooks + "pre-receive", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: hooks + "post-receive")

        let fixed = try doctor(plue, fix: true)
        #expect(fixed.status == 1, "the edited hook remains")
        #expect(fixed.codes == ["hookModified", "hookMissing"])
        let modified = try #require(fixed.findings("hookModified").first)
        #expect(modified["fixable"] as? Bool == false && modified["fixed"] as? Bool == false)
        #expect((modified["remedy"] as? String)?.contains("move it aside") == true)
        #expect(try String(contentsOfFile: hooks + "pre-receive", encoding: .utf8) == edited, "its bytes are stored nowhere else")
        #expect(fixed.findings("hookMissing").first?["fixed"] as? Bool == true)
        #expect(try String(contentsOfFile: hooks + "post-receive", encoding: .utf8)
                == Self.expectedHook("post-receive", executable: Self.resolved(plue.binary), home: plue.home, repository: "alice/demo"))
    }

    // MARK: - Staging leftovers

    @Test func stagingLeftoversAnHourOldAreRemovedNeverThroughALink() throws {
        let plue = try PlueRunner(home: directory.child("home"))
        try plue.setUpDemo()
        // Outside the home: a link inside a leftover, and a leftover that is itself a link, point here.
        let outside = directory.child("outside")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try "keep me\n".write(toFile: outside + "/precious", atomically: true, encoding: .utf8)

        let staging = plue.home + "/repos/.staging"
        let old = staging + "/0123.git"
        try FileManager.default.createDirectory(atPath: old + "/objects", withIntermediateDirectories: true)
        try "x".write(toFile: old + "/objects/pack", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: old + "/objects/link", withDestinationPath: outside)
        let link = staging + "/link.git"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: outside)
        let fresh = staging + "/fresh.git"
        try FileManager.default.createDirectory(atPath: fresh, withIntermediateDirectories: true)
        let trash = plue.home + "/repos/.trash/4567.git"
        try FileManager.default.createDirectory(atPath: trash, withIntermediateDirectories: true)
        let session = plue.home + "/sessions/.staging/0123456789abcdef"
        try FileManager.default.createDirectory(atPath: session + "/work", withIntermediateDirectories: true)
        for path in [old, link, trash, session] { Self.age(path, by: 7200) }

        let found = try doctor(plue)
        #expect(found.status == 1)
        #expect(found.codes == Array(repeating: "stagingLeftover", count: 4))
        #expect(found.findings.compactMap { $0["path"] as? String }.sorted() == [old, link, trash, session].sorted())
        #expect(found.findings.allSatisfy { $0["fixable"] as? Bool == true })
        #expect(Self.exists(old) && Self.exists(link), "without --fix nothing is removed")

        let fixed = try doctor(plue, fix: true)
        #expect(fixed.status == 0, "\(fixed.report)")
        #expect(fixed.findings.allSatisfy { $0["fixed"] as? Bool == true })
        for path in [old, link, trash, session] { #expect(!Self.exists(path), "\(path) removed") }
        #expect(Self.exists(fresh), "an entry younger than an hour may belong to a running command")
        #expect(try String(contentsOfFile: outside + "/precious", encoding: .utf8) == "keep me\n", "nothing outside the home is touched")
        #expect(try doctor(plue).status == 0)
    }

    @Test func aStagingFolderThatIsALinkIsReportedNotEmptied() throws {
        let plue = try PlueRunner(home: directory.child("home"))
        try plue.setUpDemo()
        let outside = directory.child("outside")
        try FileManager.default.createDirectory(atPath: outside + "/old", withIntermediateDirectories: true)
        Self.age(outside + "/old", by: 7200)
        let staging = plue.home + "/sessions/.staging"
        try FileManager.default.createDirectory(atPath: plue.home + "/sessions", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: staging, withDestinationPath: outside)

        let fixed = try doctor(plue, fix: true)
        #expect(fixed.status == 1)
        let leftover = try #require(fixed.findings("stagingLeftover").first)
        #expect(leftover["fixable"] as? Bool == false && (leftover["remedy"] as? String)?.contains("symbolic link") == true)
        #expect(Self.exists(outside + "/old"))
    }

    // MARK: - Turns

    @Test func aTurnWhosePlueWasKilledIsFoundAndClosedAsInterrupted() throws {
        let plue = try PlueRunner(home: directory.child("home"))
        try plue.setUpDemo(seed: directory.child("seed"), files: ["README": "hello\n"])
        let session = try #require(try plue.json(["session", "new", "alice/demo"]) as? [String: Any])
        let id = try #require(session["id"] as? String)
        let flag = directory.child("started")
        let pidFile = directory.child("agent.pid")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: plue.binary)
        process.arguments = ["session", "turn", id, "--home", plue.home, "-m", "killed", "--", "sh", "-c",
                             "echo $$ > \(pidFile); echo written > a.txt; touch \(flag); sleep 60"]
        process.environment = Command.environment()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        while !FileManager.default.fileExists(atPath: flag) { usleep(20_000) }
        kill(process.processIdentifier, SIGKILL)
        // Not waitUntilExit: on Linux it returns only once the agent, which outlives its plue, ends too.
        while Self.isRunning(process.processIdentifier) { usleep(10_000) }
        let agent = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(Self.isRunning(agent), "the agent outlives its plue")

        // No session command runs before doctor: each would close the turn itself.
        let found = try doctor(plue)
        #expect(found.status == 1 && found.codes == ["stuckTurn"], "\(found.report)")
        let stuck = try #require(found.findings.first)
        #expect(stuck["name"] as? String == "\(id)/turn 1" && stuck["fixable"] as? Bool == true && stuck["fixed"] as? Bool == false)
        #expect(Self.isRunning(agent), "without --fix nothing is stopped")

        let fixed = try doctor(plue, fix: true)
        #expect(fixed.status == 0 && fixed.findings.first?["fixed"] as? Bool == true, "\(fixed.report) \(fixed.errorOutput)")
        #expect(fixed.errorOutput.contains("interrupted"))
        var waited = 0
        while Self.isRunning(agent) && waited < 100 { usleep(20_000); waited += 1 }
        #expect(!Self.isRunning(agent), "the agent's process group was stopped")
        // Doctor finds nothing left: the turn was closed by --fix, not by a later command.
        #expect(try doctor(plue).status == 0)
        let turn = try #require(try plue.json(["session", "turns", id]) as? [[String: Any]]).first
        #expect(turn?["state"] as? String == "interrupted")
        #expect((turn?["changedFiles"] as? [[String: Any]])?.compactMap { $0["path"] as? String } == ["a.txt"])
    }

    /// Whether `pid` runs: not gone, and not a zombie no one has reaped yet.
    static func isRunning(_ pid: Int32) -> Bool {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat"),
              case let text = String(decoding: data, as: UTF8.self), let close = text.lastIndex(of: ")") else { return false }
        return text[text.index(after: close)...].split(separator: " ").first != "Z"
    }

    // MARK: - The secret, the database, rows and folders

    @Test func aSecretReadableByOthersIsSetTo0600AndAWrongOneIsOnlyReported() throws {
        let plue = try PlueRunner(home: directory.child("home"))
        try plue.setUpDemo()
        let secret = plue.home + "/secret"
        chmod(secret, 0o644)
        let found = try doctor(plue)
        #expect(found.status == 1 && found.codes == ["secretMode"])
        #expect((found.findings.first?["message"] as? String)?.contains("0644") == true)
        #expect(Self.mode(secret) == 0o644)
        #expect(try doctor(plue, fix: true).status == 0)
        #expect(Self.mode(secret) == 0o600)
        #expect(try doctor(plue).status == 0)

        try Data("short".utf8).write(to: URL(fileURLWithPath: secret))
        chmod(secret, 0o600)
        let wrong = try doctor(plue, fix: true)
        #expect(wrong.status == 1 && wrong.codes == ["secretContent"] && wrong.findings.first?["fixable"] as? Bool == false)
        #expect(try String(contentsOfFile: secret, encoding: .utf8) == "short", "a new secret is the administrator's call")
        #expect(!wrong.findings.contains { ($0["message"] as? String)?.contains("short") == true }, "the secret is never printed")
    }

    @Test func foldersWithoutRowsAndRowsWithoutFoldersAreReportedNotTouched() throws {
        let plue = try PlueRunner(home: directory.child("home"))
        try plue.setUpDemo()
        try plue.ok(["repo", "create", "alice/gone"])
        try FileManager.default.removeItem(atPath: plue.home + "/repos/alice/gone.git")
        let stray = plue.home + "/repos/bob/stray.git"
        try Command.git(["init", "-q", "--bare", stray])

        let fixed = try doctor(plue, fix: true)
        #expect(fixed.status == 1)
        #expect(fixed.codes.sorted() == ["repositoryWithoutRow", "rowWithoutRepository"])
        #expect(fixed.findings.allSatisfy { $0["fixable"] as? Bool == false })
        #expect(fixed.findings("repositoryWithoutRow").first?["path"] as? String == stray)
        #expect((fixed.findings("rowWithoutRepository").first?["remedy"] as? String)?.contains("plue repo delete alice/gone --yes") == true)
        #expect(Self.exists(stray) && !Self.exists(stray + "/hooks/pre-receive"), "an unrecorded folder is left as it is")
    }

    @Test func namesOnDiskArePrintedEscapedAndExactInJSON() throws {
        let plue = try PlueRunner(home: directory.child("home"))
        try plue.setUpDemo()
        let evil = plue.home + "/repos/bob/x\u{1B}[2J\u{202E}\ny.git"
        try FileManager.default.createDirectory(atPath: evil, withIntermediateDirectories: true)
        let text = try plue.run(["doctor"])
        #expect(text.status == 1)
        #expect(!text.text.contains("\u{1B}") && !text.text.contains("\u{202E}"), "\(text.text.debugDescription)")
        #expect(text.text.contains("x\\e[2J\\u{202e}\\ny.git"), "\(text.text)")
        let json = try doctor(plue)
        #expect(json.findings.first?["path"] as? String == evil)
    }

    @Test func aDamagedDatabaseIsAFindingAndTheOtherChecksStillRun() throws {
        let plue = try PlueRunner(home: directory.child("home"))
        try plue.setUpDemo()
        try FileManager.default.removeItem(atPath: plue.home + "/repos/alice/demo.git/hooks/pre-receive")
        let database = plue.home + "/plue.db"
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: database))
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }

        let found = try doctor(plue)
        #expect(found.status == 1)
        #expect(found.codes == ["databaseDamaged", "hookMissing"], "\(found.report)")
        #expect(found.findings.first?["fixable"] as? Bool == false)

        try FileManager.default.removeItem(atPath: database)
        let missing = try doctor(plue)
        #expect(missing.status == 1 && missing.codes == ["databaseMissing", "hookMissing"], "\(missing.report)")
    }

    @Test func textOutputNamesEachFindingAndItsRemedy() throws {
        let plue = try PlueRunner(home: directory.child("home"))
        try plue.setUpDemo()
        chmod(plue.home + "/secret", 0o640)
        let found = try plue.run(["doctor"])
        #expect(found.status == 1)
        #expect(found.text.contains("[fixable] \(plue.home)/secret") && found.text.contains("`plue doctor --fix` sets 0600"))
        #expect(found.text.contains("1 of 1 findings remain"))
        let fixed = try plue.run(["doctor", "--fix"])
        #expect(fixed.status == 0 && fixed.text.contains("[fixed] \(plue.home)/secret") && fixed.text.contains("none remain"))
        let missing = try PlueRunner(home: directory.child("nowhere")).run(["doctor"])
        #expect(missing.status == 66, "no home at all is an error, not a finding")
    }
}
