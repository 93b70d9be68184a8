import Foundation
import PlueTestSupport
import Testing

/// What a hostile review of the hardened core found, each as it was reproduced.
@Suite(.serialized) struct ReviewFindingsTests {
    let directory = TemporaryDirectory("plue-review")
    var home: String { directory.child("home") }

    func seeded(_ files: [String: String] = ["README": "hello\n"]) throws -> PlueRunner {
        let plue = try PlueRunner(home: home)
        try plue.setUpDemo(seed: directory.child("seed"), files: files)
        return plue
    }

    /// No raw ESC, BEL, CR or line break from a name reaches text output.
    func expectEscaped(_ text: String, _ what: String) {
        #expect(!text.contains("\u{1B}") && !text.contains("\u{07}") && !text.contains("\r"), "\(what): \(text.debugDescription)")
    }

    @Test func namesCannotSplitListingsOrReachTheTerminalRaw() throws {
        let plue = try seeded()
        let seed = directory.child("seed")
        let hostile = "evil\u{1B}[2J\tname\nFAKE"
        try "x\n".write(toFile: seed + "/" + hostile, atomically: true, encoding: .utf8)
        try Command.git(["add", "-A"], in: seed)
        try Command.git(["commit", "-q", "-m", "subject\twith\u{1B}]0;title\u{07}tab"], in: seed)
        try Command.git(["push", "-q", home + "/repos/alice/demo.git", "main"], in: seed)

        let tree = try plue.ok(["repo", "tree", "alice/demo"])
        expectEscaped(tree, "repo tree")
        #expect(tree.split(separator: "\n").count == 2 && !tree.split(separator: "\n").contains { $0.hasPrefix("FAKE") }, "\(tree)")
        let log = try plue.ok(["repo", "log", "alice/demo"])
        expectEscaped(log, "repo log")
        #expect(!log.split(separator: "\n")[0].contains("\t"), "\(log)")
        // JSON stays exact.
        let entries = try #require(try plue.json(["repo", "tree", "alice/demo"]) as? [[String: Any]])
        #expect(entries.contains { $0["path"] as? String == hostile })

        // An agent's file names in land enqueue's warning, and in a change's file list.
        let session = try #require((try plue.json(["session", "new", "alice/demo"]) as? [String: Any])?["id"] as? String)
        let workdir = home + "/sessions/\(session)/work"
        try Data(count: 2 << 20).write(to: URL(fileURLWithPath: workdir + "/big\u{1B}[2J\nz"))
        try "y\n".write(toFile: workdir + "/small\u{1B}]0;x\u{07}\nname", atomically: true, encoding: .utf8)
        let enqueued = try plue.run(["land", "enqueue", "alice/demo", "--session", session])
        #expect(enqueued.status == 0, "\(enqueued.errorOutput)")
        expectEscaped(enqueued.errorOutput, "land enqueue warning")
        #expect(enqueued.errorOutput.contains("big\\e[2J\\nz"), "\(enqueued.errorOutput)")
        let change = try plue.ok(["session", "change", session, "@"])
        expectEscaped(change, "session change")
        #expect(change.contains("small\\e]0;x\\x07\\nname"), "\(change)")
    }

    @Test func aRestoreHintNamesTheFileEvenWhenItsNameNeedsEscaping() throws {
        let plue = try seeded()
        let session = try #require((try plue.json(["session", "new", "alice/demo"]) as? [String: Any])?["id"] as? String)
        let workdir = home + "/sessions/\(session)/work"
        let name = "odd\u{1B}[1m\nname"
        // Stored small, then deleted; then a file too big to store takes its place. Undoing the
        // deletion brings the small file back and moves the unstored one aside, saying how to bring it back.
        try "small\n".write(toFile: workdir + "/" + name, atomically: true, encoding: .utf8)
        try plue.ok(["session", "snapshot", session, "-m", "add"])
        try FileManager.default.removeItem(atPath: workdir + "/" + name)
        try plue.ok(["session", "snapshot", session, "-m", "delete"])
        try Data(count: 2 << 20).write(to: URL(fileURLWithPath: workdir + "/" + name))
        let undo = try plue.run(["session", "undo", session])
        #expect(undo.status == 0, "\(undo.errorOutput)")
        let text = undo.text + undo.errorOutput
        expectEscaped(text, "undo")
        let line = try #require(text.split(separator: "\n").first { $0.contains("bring it back with: ") })
        let command = String(line.components(separatedBy: "bring it back with: ")[1])
        #expect(try String(contentsOfFile: workdir + "/" + name, encoding: .utf8) == "small\n")
        try FileManager.default.removeItem(atPath: workdir + "/" + name)
        let restored = try Command.run("/bin/bash", ["-c", command])
        #expect(restored.status == 0, "\(command): \(restored.errorOutput)")
        let size = (try? FileManager.default.attributesOfItem(atPath: workdir + "/" + name))?[.size] as? Int
        #expect(size == 2 << 20, "\(command)")
    }

    @Test func anImportDropsTheSourcesPlueRefs() throws {
        let plue = try seeded()
        let source = directory.child("source.git")
        try Command.git(["clone", "-q", "--bare", home + "/repos/alice/demo.git", source])
        try Command.git(["--git-dir", source, "update-ref", "refs/plue/land/1", "main"])
        try Command.git(["--git-dir", source, "update-ref", "refs/plue/sessions/evil", "main"])
        try Command.git(["--git-dir", source, "symbolic-ref", "refs/plue/link", "refs/heads/main"])
        try plue.ok(["repo", "import", "alice/copy", "--from", source])
        let refs = try Command.git(["--git-dir", home + "/repos/alice/copy.git", "for-each-ref", "--format=%(refname)"])
        #expect(refs == "refs/heads/main", "\(refs)")
    }

    @Test func doctorRefusesALinkedOrFIFODatabaseAndAnUnreadableHome() throws {
        let plue = try seeded()
        let database = home + "/plue.db"
        let elsewhere = directory.child("elsewhere.db")
        try FileManager.default.moveItem(atPath: database, toPath: elsewhere)
        try FileManager.default.createSymbolicLink(atPath: database, withDestinationPath: elsewhere)
        for fix in [false, true] {
            let linked = try plue.run(["doctor", "--json"] + (fix ? ["--fix"] : []))
            #expect(linked.status == 1 && linked.text.contains("databaseDamaged"), "\(linked.text)")
        }
        try FileManager.default.removeItem(atPath: database)
        #expect(mkfifo(database, 0o600) == 0)
        let started = Date()
        let fifo = try plue.run(["doctor", "--json"])
        #expect(fifo.status == 1 && fifo.text.contains("databaseDamaged") && Date().timeIntervalSince(started) < 10, "\(fifo.text)")
        try FileManager.default.removeItem(atPath: database)
        try FileManager.default.moveItem(atPath: elsewhere, toPath: database)

        guard getuid() == 0 else { throw CommandFailure(description: "needs root to run plue as another account, as CI does") }
        let binaryDirectory = "/opt/plue-review-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: binaryDirectory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(atPath: binaryDirectory) }
        try PlueBinary.copy(to: binaryDirectory + "/plue")
        chmod(directory.path, 0o755)
        chmod(home, 0o700)
        if try Command.run("/usr/bin/id", ["git"]).status != 0 {
            _ = try Command.run("/usr/sbin/useradd", ["--system", "--create-home", "--shell", "/bin/sh", "git"])
        }
        let denied = try Command.run("/usr/sbin/runuser", ["-u", "git", "--", binaryDirectory + "/plue", "doctor", "--home", home])
        #expect(denied.status == 77 && !denied.text.contains("restore"), "\(denied.status) \(denied.text) \(denied.errorOutput)")
    }

    /// A file named "evil\n0600 key" must not give `key` its bits when the view is checked out again.
    @Test func aNameWithALineBreakCannotSetAnotherFilesBits() throws {
        let plue = try seeded()
        let session = try #require((try plue.json(["session", "new", "alice/demo"]) as? [String: Any])?["id"] as? String)
        let workdir = home + "/sessions/\(session)/work"
        let evil = workdir + "/evil\n0600 key"
        try "e\n".write(toFile: evil, atomically: true, encoding: .utf8)
        chmod(evil, 0o640)
        try "k\n".write(toFile: workdir + "/key", atomically: true, encoding: .utf8)
        chmod(workdir + "/key", 0o644)
        try plue.ok(["session", "snapshot", session, "-m", "both"])
        try "more\n".write(toFile: workdir + "/other", atomically: true, encoding: .utf8)
        try plue.ok(["session", "snapshot", session, "-m", "other"])
        try plue.ok(["session", "undo", session])
        try plue.ok(["session", "redo", session])
        try FileManager.default.removeItem(atPath: workdir + "/key")
        try FileManager.default.removeItem(atPath: evil)
        try plue.ok(["session", "snapshot", session, "-m", "gone"])
        try plue.ok(["session", "undo", session])
        func mode(_ path: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int ?? 0) & 0o7777 }
        #expect(mode(workdir + "/key") == 0o644, "key: \(String(mode(workdir + "/key"), radix: 8))")
        #expect(mode(evil) == 0o640, "evil: \(String(mode(evil), radix: 8))")
    }

    /// A turn whose command cannot run is refused before it is recorded: no turn is left running.
    @Test func anEmptyCommandRecordsNoTurn() throws {
        let plue = try seeded()
        let session = try #require((try plue.json(["session", "new", "alice/demo"]) as? [String: Any])?["id"] as? String)
        let result = try plue.raw(["session", "turn", session, "--home", home, "-m", "hi", "--", ""])
        #expect(result.status == 64, "\(result.status) \(result.errorOutput)")
        #expect((try plue.json(["session", "turns", session]) as? [Any])?.isEmpty == true)
    }

    /// `sudo plue doctor --fix` would leave root-owned objects and hooks in a home the git account owns.
    @Test func doctorFixRunsOnlyAsTheHomesOwner() throws {
        guard getuid() == 0 else { throw CommandFailure(description: "needs root to own a home by another account, as CI does") }
        let plue = try seeded()
        if try Command.run("/usr/bin/id", ["git"]).status != 0 {
            _ = try Command.run("/usr/sbin/useradd", ["--system", "--create-home", "--shell", "/bin/sh", "git"])
        }
        #expect(try Command.run("/bin/chown", ["-R", "git:", home]).status == 0)
        let fix = try plue.run(["doctor", "--fix"])
        #expect(fix.status == 77 && fix.errorOutput.contains("sudo -u"), "\(fix.status) \(fix.errorOutput)")
        #expect(try plue.run(["doctor"]).status != 77, "a report changes nothing and may run as anyone who can read")
    }

    @Test func doctorFindsARepositoryGitCannotRead() throws {
        let plue = try seeded()
        let repository = home + "/repos/alice/demo.git"
        try FileManager.default.removeItem(atPath: repository + "/HEAD")
        try FileManager.default.removeItem(atPath: repository + "/objects")
        for fix in [false, true] {
            let result = try plue.run(["doctor", "--json"] + (fix ? ["--fix"] : []))
            #expect(result.status == 1 && result.text.contains("repositoryDamaged"), "\(result.text)")
        }
        #expect(!FileManager.default.fileExists(atPath: repository + "/HEAD"), "nothing was made up")
    }

    @Test func aLandIsPushedWithTheRightsItsRequesterHasWhenItLands() throws {
        let plue = try seeded()
        let seed = directory.child("seed")
        try Command.git(["checkout", "-q", "-b", "feature"], in: seed)
        try "f\n".write(toFile: seed + "/f.txt", atomically: true, encoding: .utf8)
        try Command.git(["add", "-A"], in: seed)
        try Command.git(["commit", "-q", "-m", "f"], in: seed)
        try Command.git(["push", "-q", home + "/repos/alice/demo.git", "feature"], in: seed)
        try plue.ok(["user", "create", "mallory", "--email", "mallory@example.com"])
        try plue.ok(["repo", "collaborator", "add", "alice/demo", "mallory", "--permission", "write"])
        try plue.ok(["land", "enqueue", "alice/demo", "--branch", "feature", "--user", "mallory"])
        let main = try Command.git(["--git-dir", home + "/repos/alice/demo.git", "rev-parse", "main"])
        try plue.ok(["repo", "collaborator", "remove", "alice/demo", "mallory"])
        let finished = try #require(try plue.json(["land", "run", "alice/demo", "--once"]) as? [[String: Any]])
        #expect(finished.first?["state"] as? String == "failed")
        #expect((finished.first?["reason"] as? String)?.contains("no longer has write access") == true)
        #expect(try Command.git(["--git-dir", home + "/repos/alice/demo.git", "rev-parse", "main"]) == main)
    }
}
