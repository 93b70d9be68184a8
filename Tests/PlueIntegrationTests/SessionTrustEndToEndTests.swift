import Foundation
import PlueTestSupport
import Testing

/// Sessions tried as an agent author and a hostile collaborator would: large files, links out of
/// the working directory, nested repositories, two commands at once, `kill -9` half-way. Every
/// case runs the built binary and checks the files on disk and the repository with git.
@Suite struct SessionTrustEndToEndTests {
    /// A home with alice/demo seeded with `files`, and a session on it.
    struct Setup {
        let directory: TemporaryDirectory
        let plue: PlueRunner
        let id: String
        let workdir: String
        var home: String { plue.home }
        var repository: String { plue.home + "/repos/alice/demo.git" }

        init(files: [String: String] = ["README": "hello\n"], home: String? = nil, seed: ((String) throws -> Void)? = nil) throws {
            directory = TemporaryDirectory("plue-trust")
            plue = try PlueRunner(home: home ?? directory.child("home"))
            let seedPath = directory.child("seed")
            try plue.setUpDemo(seed: seedPath, files: files)
            if let seed {
                try seed(seedPath)
                try Command.git(["add", "-A"], in: seedPath)
                try Command.git(["commit", "-q", "-m", "more"], in: seedPath)
                try Command.git(["push", "-q", plue.home + "/repos/alice/demo.git", "main"], in: seedPath)
            }
            let session = try #require(try plue.json(["session", "new", "alice/demo"]) as? [String: Any])
            id = try #require(session["id"] as? String)
            workdir = try #require(session["workdir"] as? String)
        }

        /// `plue session turn ID -m MESSAGE -- sh -c SCRIPT --json`, required to succeed.
        @discardableResult
        func turn(_ message: String, _ script: String, _ extra: [String] = []) throws -> [String: Any] {
            let result = try plue.raw(["session", "turn", id, "--home", home, "--json", "-m", message] + extra + ["--", "sh", "-c", script])
            guard result.status == 0 else { throw CommandFailure(description: "turn failed (\(result.status)): \(result.errorOutput)") }
            return try #require(try JSONSerialization.jsonObject(with: result.output) as? [String: Any])
        }

        func json(_ arguments: [String]) throws -> [String: Any] {
            try #require(try plue.json(arguments) as? [String: Any])
        }

        func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: workdir + "/" + path) }
        func text(_ path: String) -> String? { bytes(path).map { String(decoding: $0, as: UTF8.self) } }
        func exists(_ path: String) -> Bool {
            var info = stat()
            return lstat(workdir + "/" + path, &info) == 0
        }
        func permissions(_ path: String) -> mode_t {
            var info = stat()
            _ = lstat(workdir + "/" + path, &info)
            return info.st_mode & 0o7777
        }
        func isLink(_ path: String) -> Bool {
            var info = stat()
            return lstat(workdir + "/" + path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
        }
        func opCount() throws -> Int { (try plue.json(["session", "ops", id]) as? [Any])?.count ?? -1 }
    }

    static func randomBytes(_ count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    // MARK: - Nothing unstored is lost

    @Test func undoOfAnUnrelatedTurnKeepsLargeFilesAndTheirBytes() throws {
        let big = String(repeating: "base line of a large tracked file\n", count: 90_000) // ~3 MB
        let setup = try Setup(files: ["README": "hello\n", "big.txt": big, "small.txt": "small\n"])
        let data = Self.randomBytes(2_000_000)
        try data.write(to: URL(fileURLWithPath: setup.directory.child("data.bin")))
        let first = try setup.turn("write data", "cp \(setup.directory.child("data.bin")) data.bin && echo 'turn one' >> big.txt")
        let skipped = try #require(first["skipped"] as? [[String: Any]])
        #expect(skipped.map { $0["path"] as? String } == ["data.bin"], "the new 2 MB file is reported once")
        #expect(skipped.first?["reason"] as? String == "too-large")
        try setup.turn("append", "echo more >> small.txt")

        let undo = try setup.json(["session", "undo", setup.id])
        #expect(setup.bytes("data.bin") == data, "a file that was never stored is left in place, byte for byte")
        #expect(setup.text("big.txt") == big + "turn one\n", "a tracked file over the limit was stored, and comes back as turn one left it")
        #expect(setup.text("small.txt") == "small\n")
        #expect((undo["skipped"] as? [[String: Any]])?.map { $0["path"] as? String } == ["data.bin"])
        // The undo's working copy holds the 3 MB file as turn one left it, as git reads it.
        let workingCopy = try #require((undo["session"] as? [String: Any])?["workingCopy"] as? String)
        #expect(try Command.git(["-C", setup.repository, "cat-file", "-s", "\(workingCopy):big.txt"]) == String(big.utf8.count + 9))

        // Further back, to the base: still nothing unstored goes.
        try setup.plue.ok(["session", "undo", setup.id])
        #expect(setup.bytes("data.bin") == data)
        #expect(setup.text("big.txt") == big)
        try setup.plue.ok(["session", "redo", setup.id])
        #expect(setup.text("big.txt") == big + "turn one\n")
        #expect(setup.bytes("data.bin") == data)

        // Text output says it too, and the limit can be raised per command and per session.
        let text = try setup.plue.ok(["session", "snapshot", setup.id])
        #expect(text.contains("not recorded, left in place: data.bin"))
        try setup.plue.ok(["session", "config", setup.id, "--max-new-file-size", "3000000"])
        let recorded = try setup.json(["session", "snapshot", setup.id])
        #expect((recorded["skipped"] as? [Any])?.isEmpty == true && recorded["changed"] as? Bool == true)
        let config = try setup.json(["session", "config", setup.id])
        #expect(config["maxNewFileSize"] as? Int == 3_000_000)
    }

    @Test func whatIsInTheWayAndNotStoredGoesToTheTrashWithTheCommandThatBringsItBack() throws {
        let setup = try Setup(files: ["README": "hello\n", ".gitignore": "build/\n"])
        try setup.turn("small", "echo small > data.bin && echo artefact > build")
        try setup.turn("remove", "rm data.bin build && mkdir build && echo cache > build/cache.o")
        // A new file too large to record where the earlier view has one.
        let large = Self.randomBytes(1_500_000)
        try large.write(to: URL(fileURLWithPath: setup.workdir + "/data.bin"))

        let undo = try setup.json(["session", "undo", setup.id])
        #expect(setup.text("data.bin") == "small\n" && setup.text("build") == "artefact\n")
        let trashed = try #require(undo["trashed"] as? [[String: Any]])
        #expect(Set(trashed.compactMap { $0["path"] as? String }) == ["data.bin", "build"])
        let data = try #require(trashed.first { $0["path"] as? String == "data.bin" })
        let location = try #require(data["location"] as? String)
        #expect(location.hasPrefix(setup.home + "/sessions/\(setup.id)/trash/"))
        #expect(FileManager.default.contents(atPath: location) == large, "moved whole, never deleted")
        let ignored = try #require(trashed.first { $0["path"] as? String == "build" }?["location"] as? String)
        #expect(try String(contentsOfFile: ignored + "/cache.o", encoding: .utf8) == "cache\n", "ignored files are moved, not deleted")

        // The command it gives brings the file back.
        let restore = try #require(data["restoreCommand"] as? String)
        try FileManager.default.removeItem(atPath: setup.workdir + "/data.bin")
        #expect(try Command.run("/bin/sh", ["-c", restore]).status == 0)
        #expect(setup.bytes("data.bin") == large)
    }

    @Test func everyCommandThatMovesFilesReportsWhatItSkipped() throws {
        let setup = try Setup()
        try setup.turn("one", "echo one > one.txt")
        try setup.turn("two", "echo two > two.txt")
        try Self.randomBytes(1_500_000).write(to: URL(fileURLWithPath: setup.workdir + "/large.bin"))
        for command in [["revert", setup.id, "--to-turn", "1"], ["unrevert", setup.id], ["undo-turns", setup.id, "1"],
                        ["undo", setup.id], ["redo", setup.id]] {
            let result = try setup.json(["session"] + command)
            #expect((result["skipped"] as? [[String: Any]])?.map { $0["path"] as? String } == ["large.bin"], "\(command[0])")
            #expect(setup.exists("large.bin"), "\(command[0])")
        }
        for command in [["snapshot", setup.id], ["commit", setup.id, "-m", "c"], ["undo", setup.id], ["redo", setup.id],
                        ["restore", setup.id, "1"], ["undo-turns", setup.id, "1"]] {
            let result = try setup.plue.run(["session"] + command + ["--max-new-file-size", "2000000", "--json"])
            #expect(result.status == 0 || result.status == 65 || result.status == 1, "\(command[0]) accepts --max-new-file-size: \(result.errorOutput)")
            #expect(!result.errorOutput.contains("Unknown option"), "\(command[0])")
        }
        #expect(try setup.plue.run(["session", "snapshot", setup.id, "--max-new-file-size", "-1"]).status == 64)
    }

    @Test func landEnqueueSaysWhatItsSnapshotLeftOut() throws {
        let setup = try Setup()
        try setup.turn("work", "echo work > work.txt")
        try Self.randomBytes(200_000).write(to: URL(fileURLWithPath: setup.workdir + "/blob.bin"))
        let enqueue = try setup.plue.run(["land", "enqueue", "alice/demo", "--session", setup.id, "--max-new-file-size", "100000"])
        #expect(enqueue.status == 0, "\(enqueue.errorOutput)")
        #expect(enqueue.errorOutput.contains("not recorded, so not landed: blob.bin"))
        #expect(setup.exists("blob.bin"))
    }

    @Test func specialFilesAndNestedRepositoriesAreSkippedNotErrors() throws {
        let setup = try Setup()
        let seed = setup.directory.child("seed")
        let turn = try setup.turn("vendor", "git clone -q \(seed) vendor/lib && mkfifo pipe && echo ok > ok.txt")
        let skipped = try #require(turn["skipped"] as? [[String: Any]])
        #expect(Set(skipped.compactMap { $0["path"] as? String }) == ["vendor/lib", "pipe"])
        #expect(Set(skipped.compactMap { $0["reason"] as? String }) == ["nested-repository", "special-file"])
        // Later snapshots, turns and undo keep working, and leave both alone.
        try setup.turn("more", "echo more > more.txt")
        try setup.plue.ok(["session", "snapshot", setup.id])
        try setup.plue.ok(["session", "undo", setup.id])
        try setup.plue.ok(["session", "undo", setup.id])
        #expect(!setup.exists("ok.txt") && setup.exists("vendor/lib/README") && setup.exists("pipe"))
        let files = try #require(try setup.plue.json(["session", "files", setup.id]) as? [[String: Any]]).compactMap { $0["path"] as? String }
        #expect(!files.contains { $0.hasPrefix("vendor") || $0 == "pipe" || $0.hasPrefix(".git") })
    }

    @Test func permissionBitsComeBackAsSnapshotted() throws {
        let setup = try Setup()
        try setup.turn("keys", "echo secret > id_key && chmod 600 id_key && echo run > run.sh && chmod 750 run.sh")
        try setup.turn("loosen", "chmod 644 id_key && rm run.sh")
        #expect(setup.permissions("id_key") == 0o644)
        try setup.plue.ok(["session", "undo", setup.id])
        #expect(setup.permissions("id_key") == 0o600 && setup.permissions("run.sh") == 0o750)
        try setup.plue.ok(["session", "redo", setup.id])
        #expect(setup.permissions("id_key") == 0o644 && !setup.exists("run.sh"))
        // A mode change alone is an operation of its own.
        chmod(setup.workdir + "/id_key", 0o640)
        #expect(try setup.json(["session", "snapshot", setup.id])["changed"] as? Bool == true)
        chmod(setup.workdir + "/id_key", 0o644)
        try setup.plue.ok(["session", "undo", setup.id])
        #expect(setup.permissions("id_key") == 0o640)
    }

    // MARK: - Never through a link

    @Test func movesReplaceLinksInsteadOfWritingThroughThem() throws {
        let setup = try Setup(files: ["README": "hello\n"]) { seed in
            try FileManager.default.createDirectory(atPath: seed + "/dir", withIntermediateDirectories: true)
            try "inside\n".write(toFile: seed + "/dir/f.txt", atomically: true, encoding: .utf8)
        }
        let outside = setup.directory.child("outside")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try "precious\n".write(toFile: outside + "/f.txt", atomically: true, encoding: .utf8)
        try setup.turn("edit", "echo edited > dir/f.txt")
        try setup.turn("link the folder out", "rm -rf dir && ln -s \(outside) dir")
        try setup.plue.ok(["session", "undo", setup.id])
        #expect(try String(contentsOfFile: outside + "/f.txt", encoding: .utf8) == "precious\n", "the outside file is untouched")
        #expect(!setup.isLink("dir") && setup.text("dir/f.txt") == "edited\n")

        // A link into another session's working directory: the same.
        let other = try #require(try setup.plue.json(["session", "new", "alice/demo"]) as? [String: Any])
        let otherWork = try #require(other["workdir"] as? String)
        try setup.turn("link to the other session", "rm -rf dir && ln -s \(otherWork)/dir dir")
        try setup.plue.ok(["session", "undo", setup.id])
        #expect(try String(contentsOfFile: otherWork + "/dir/f.txt", encoding: .utf8) == "inside\n")
        #expect(setup.text("dir/f.txt") == "edited\n")

        // The file itself a link (as one pushed in a branch would be): replaced, not written through.
        try setup.turn("file", "echo mine > conf")
        try setup.turn("conf links out", "rm conf && ln -s \(outside)/f.txt conf")
        try setup.plue.ok(["session", "undo", setup.id])
        try setup.plue.ok(["session", "redo", setup.id])
        try setup.plue.ok(["session", "undo", setup.id])
        #expect(try String(contentsOfFile: outside + "/f.txt", encoding: .utf8) == "precious\n")
        #expect(!setup.isLink("conf") && setup.text("conf") == "mine\n")
    }

    @Test func aLinkPushedInABranchIsCheckedOutAsALinkAndNeverWrittenThrough() throws {
        let directory = TemporaryDirectory("plue-trust-outside")
        let target = directory.child("target.txt")
        try "do not touch\n".write(toFile: target, atomically: true, encoding: .utf8)
        let setup = try Setup(files: ["README": "hello\n"]) { seed in
            try FileManager.default.createSymbolicLink(atPath: seed + "/conf", withDestinationPath: target)
        }
        #expect(setup.isLink("conf"))
        try setup.turn("write conf", "rm conf && echo local > conf")
        try setup.plue.ok(["session", "undo", setup.id])
        #expect(setup.isLink("conf"))
        try setup.plue.ok(["session", "redo", setup.id])
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "do not touch\n")
        #expect(!setup.isLink("conf") && setup.text("conf") == "local\n")
    }

    @Test func aSnapshotRecordsALinkNotTheFolderBehindIt() throws {
        let setup = try Setup(files: ["README": "hello\n"]) { seed in
            try FileManager.default.createDirectory(atPath: seed + "/dir/sub", withIntermediateDirectories: true)
            try "inside\n".write(toFile: seed + "/dir/sub/f.txt", atomically: true, encoding: .utf8)
        }
        // The same names as the index has, behind a link.
        let outside = setup.directory.child("outside-sub")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try "outside secret\n".write(toFile: outside + "/f.txt", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: setup.workdir + "/dir/sub")
        try FileManager.default.createSymbolicLink(atPath: setup.workdir + "/dir/sub", withDestinationPath: outside)
        let result = try setup.json(["session", "snapshot", setup.id])
        let commit = try #require((result["session"] as? [String: Any])?["workingCopy"] as? String)
        #expect(try Command.git(["-C", setup.repository, "ls-tree", "-r", commit, "dir"]).hasPrefix("120000 blob"))
        #expect(try Command.git(["-C", setup.repository, "cat-file", "-p", "\(commit):dir/sub"]) == outside)
        #expect(try setup.plue.run(["session", "cat", setup.id, "dir/sub/f.txt"]).status == 66)
        #expect(!(try setup.plue.ok(["session", "diff", setup.id])).contains("outside secret"))
    }

    // MARK: - One command at a time, and kill -9

    @Test func aTurnHoldsItsSessionUntilItsSnapshot() throws {
        let setup = try Setup()
        let flag = setup.directory.child("started")
        let running = try Self.start(setup, ["session", "turn", setup.id, "-m", "slow", "--", "sh", "-c",
                                             "touch \(flag); sleep 3; echo slow > slow.txt"])
        while !FileManager.default.fileExists(atPath: flag) { usleep(20_000) }
        let before = try setup.opCount()
        for command in [["turn", setup.id, "-m", "second", "--home", setup.home, "--", "true"], ["undo", setup.id, "--home", setup.home],
                        ["snapshot", setup.id, "--home", setup.home], ["restore", setup.id, "1", "--home", setup.home]] {
            let result = try setup.plue.raw(["session"] + command)
            #expect(result.status == 75, "\(command[0]): \(result.errorOutput)")
            #expect(result.errorOutput.contains("turn 1") && result.errorOutput.contains("running"), "\(command[0]) names the running turn")
        }
        // Reads answer from the last record without snapshotting under the agent.
        try "half-written\n".write(toFile: setup.workdir + "/partial.txt", atomically: true, encoding: .utf8)
        #expect(try setup.plue.run(["session", "diff", setup.id]).status == 0)
        #expect(try setup.opCount() == before)
        let turns = try #require(try setup.plue.json(["session", "turns", setup.id]) as? [[String: Any]])
        #expect(turns.last?["state"] as? String == "running")

        // A waiting undo runs once the turn has recorded its files, and takes back that turn.
        let undo = try setup.json(["session", "undo", setup.id, "--wait", "30"])
        #expect(running.wait() == 0)
        let ops = try #require(try setup.plue.json(["session", "ops", setup.id]) as? [[String: Any]])
        #expect(ops.prefix(2).map { $0["kind"] as? String } == ["undo", "turn"], "the turn was recorded before the undo ran")
        #expect((undo["operation"] as? [String: Any])?["kind"] as? String == "undo")
        #expect(!setup.exists("slow.txt"))
        let turn = try #require(try setup.plue.json(["session", "turns", setup.id]) as? [[String: Any]]).first
        #expect(turn?["state"] as? String == "done")
        #expect((turn?["changedFiles"] as? [[String: Any]])?.compactMap { $0["path"] as? String }.sorted() == ["partial.txt", "slow.txt"])
    }

    @Test func abortStopsARunningTurn() throws {
        let setup = try Setup()
        let flag = setup.directory.child("started")
        let running = try Self.start(setup, ["session", "turn", setup.id, "-m", "forever", "--", "sh", "-c",
                                             "echo early > early.txt; touch \(flag); sleep 60"])
        while !FileManager.default.fileExists(atPath: flag) { usleep(20_000) }
        try setup.plue.ok(["session", "abort", setup.id])
        // Recorded, but the agent did not finish: the turn's own command says so with exit 1.
        #expect(running.wait() == 1)
        let turn = try #require(try setup.plue.json(["session", "turns", setup.id]) as? [[String: Any]]).first
        #expect(turn?["state"] as? String == "aborted")
        let files = try #require(try setup.plue.json(["session", "files", setup.id]) as? [[String: Any]]).compactMap { $0["path"] as? String }
        #expect(files.contains("early.txt"), "what the agent wrote before the abort is recorded")
    }

    @Test func aTurnWhosePlueIsKilledIsInterruptedByTheNextCommand() throws {
        let setup = try Setup()
        let flag = setup.directory.child("started")
        let pidFile = setup.directory.child("agent.pid")
        let running = try Self.start(setup, ["session", "turn", setup.id, "-m", "killed", "--", "sh", "-c",
                                             "echo $$ > \(pidFile); echo written > a.txt; touch \(flag); sleep 60; echo never > b.txt"])
        while !FileManager.default.fileExists(atPath: flag) { usleep(20_000) }
        kill(running.pid, SIGKILL)
        // Not Process.waitUntilExit: on Linux it returns only once the agent, which outlives its
        // plue, has finished too.
        while Self.isRunning(running.pid) { usleep(10_000) }
        let agent = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(Self.isRunning(agent), "the agent outlives its plue")

        let snapshot = try setup.plue.run(["session", "snapshot", setup.id])
        #expect(snapshot.status == 0 && snapshot.errorOutput.contains("interrupted"), "\(snapshot.errorOutput)")
        var waited = 0
        while Self.isRunning(agent) && waited < 100 { usleep(20_000); waited += 1 }
        #expect(!Self.isRunning(agent), "the next command stopped the agent's group")
        let turn = try #require(try setup.plue.json(["session", "turns", setup.id]) as? [[String: Any]]).first
        #expect(turn?["state"] as? String == "interrupted" && turn?["processGroup"] is NSNull)
        #expect((turn?["changedFiles"] as? [[String: Any]])?.compactMap { $0["path"] as? String } == ["a.txt"])
        let messages = try #require(try setup.plue.json(["session", "messages", setup.id]) as? [[String: Any]])
        #expect(messages.compactMap { $0["number"] as? Int } == [1])
        #expect(!setup.exists("b.txt"))
        // And the session goes on.
        try setup.turn("after", "echo after > c.txt")
    }

    @Test func anUndoKilledHalfWayIsFinishedByTheNextCommand() throws {
        var files: [String: String] = [:]
        for index in 0..<2000 { files["f\(index).txt"] = "base \(index)\n" }
        let setup = try Setup(files: files)
        try setup.turn("change all", "for f in f*.txt; do echo changed > $f; done")
        let killed = try setup.plue.run(["session", "undo", setup.id], environment: ["PLUE_TEST_CHECKOUT_CRASH_AFTER": "700"])
        #expect(killed.status == 137 || killed.status == -9 || killed.status == 9, "killed half-way: \(killed.status)")
        let changed = (0..<2000).filter { setup.text("f\($0).txt") == "changed\n" }.count
        #expect(changed > 0 && changed < 2000, "the working directory is torn: \(changed) files still changed")
        let opsBefore = try setup.opCount()

        let next = try setup.plue.run(["session", "snapshot", setup.id, "--json"])
        #expect(next.status == 0 && next.errorOutput.contains("finished the interrupted undo"))
        let result = try #require(try JSONSerialization.jsonObject(with: next.output) as? [String: Any])
        #expect(result["changed"] as? Bool == false, "the torn state is never recorded as a snapshot")
        #expect(try setup.opCount() == opsBefore + 1)
        let ops = try #require(try setup.plue.json(["session", "ops", setup.id]) as? [[String: Any]])
        #expect(ops.first?["kind"] as? String == "undo")
        #expect((0..<2000).allSatisfy { setup.text("f\($0).txt") == "base \($0)\n" })
        // git agrees: the working directory is the base commit exactly.
        let status = try Command.git(["status", "--porcelain"], in: setup.workdir)
        #expect(status.isEmpty, "\(status)")
    }

    // MARK: - A working directory git understands

    @Test func gitWorksInTheWorkingDirectoryAndReachesNothingAroundIt() throws {
        // The home inside another repository, whose branch must not move.
        let outer = TemporaryDirectory("plue-trust-outer")
        try Command.git(["init", "-q", "-b", "trunk", outer.path])
        try Command.git(["commit", "-q", "--allow-empty", "-m", "outer"], in: outer.path)
        let outerHead = try Command.git(["rev-parse", "HEAD"], in: outer.path)
        let setup = try Setup(files: ["README": "hello\n"], home: outer.child("forge"))
        let forgeMain = try Command.git(["-C", setup.repository, "rev-parse", "main"])

        try setup.turn("edit", "echo changed > README && echo new > new.txt")
        let turn = try setup.turn("use git", """
            git status --porcelain; git diff --stat; git log --oneline -1; \
            git add -A && git commit -q -m agent && git checkout -q -b feature && echo tmp > tmp.txt && git stash -u -q && \
            git stash list | wc -l && git rev-parse --abbrev-ref HEAD
            """)
        let reply = try #require((turn["turn"] as? [String: Any])?["reply"] as? String)
        #expect(reply.contains(" M README") && reply.contains("?? new.txt"), "git status shows the session's changes: \(reply)")
        #expect(reply.contains("seed"), "git log shows the base commit")
        #expect(reply.hasSuffix("1\nfeature\n"), "\(reply)")
        #expect(try Command.git(["rev-parse", "HEAD"], in: outer.path) == outerHead)
        #expect(try Command.git(["rev-parse", "--abbrev-ref", "HEAD"], in: outer.path) == "trunk")
        #expect(try Command.git(["-C", setup.repository, "rev-parse", "main"]) == forgeMain)
        #expect(try Command.git(["-C", setup.repository, "for-each-ref", "--format=%(refname)", "refs/heads"]) == "refs/heads/main")
        let files = try #require(try setup.plue.json(["session", "files", setup.id]) as? [[String: Any]]).compactMap { $0["path"] as? String }
        #expect(!files.contains { $0.hasPrefix(".git") }, "Plue never records the agent's .git")

        // Without its .git, git in a turn still cannot climb out to the repository around the home;
        // the next turn gets a new one.
        let removed = try setup.turn("no git", "rm -rf .git; git rev-parse --show-toplevel 2>&1; true")
        #expect(((removed["turn"] as? [String: Any])?["reply"] as? String)?.contains("not a git repository") == true)
        let again = try setup.turn("git again", "git rev-parse --show-toplevel")
        let toplevel = try #require((again["turn"] as? [String: Any])?["reply"] as? String)
        #expect(toplevel.trimmingCharacters(in: .whitespacesAndNewlines) == setup.workdir)
    }

    // MARK: - Helpers

    struct Running {
        let process: Process
        var pid: Int32 { process.processIdentifier }
        func wait() -> Int32 {
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    /// Whether `pid` runs: not gone, and not a zombie no one has reaped yet.
    static func isRunning(_ pid: Int32) -> Bool {
        // Read to the end: /proc files report a size of 0.
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat"),
              case let text = String(decoding: data, as: UTF8.self), let close = text.lastIndex(of: ")") else { return false }
        return text[text.index(after: close)...].split(separator: " ").first != "Z"
    }

    /// Starts `plue ARGS --home HOME` in the background.
    static func start(_ setup: Setup, _ arguments: [String]) throws -> Running {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: setup.plue.binary)
        var arguments = arguments
        let insertAt = arguments.firstIndex(of: "--") ?? arguments.count
        arguments.insert(contentsOf: ["--home", setup.home], at: insertAt)
        process.arguments = arguments
        process.environment = Command.environment()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return Running(process: process)
    }
}
