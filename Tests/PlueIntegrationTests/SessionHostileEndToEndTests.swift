import Foundation
import PlueTestSupport
import Testing

/// What an adversary tried against sessions, each break now a test: links in place of the session's
/// own folders, folders too deep for git, an agent deleting its working directory or its session's
/// lock, trees a hostile push can make, end-of-line filters, killed `session new`.
@Suite struct SessionHostileEndToEndTests {
    typealias Setup = SessionTrustEndToEndTests.Setup

    @Test func aPushCannotPublishACommitOnlyASessionHolds() throws {
        let setup = try Setup()
        try "private notes\n".write(toFile: setup.workdir + "/notes.txt", atomically: true, encoding: .utf8)
        try setup.plue.ok(["session", "snapshot", setup.id])
        let bookmark = "refs/plue/sessions/\(setup.id)"
        let secret = try Command.git(["--git-dir", setup.repository, "rev-parse", bookmark]).trimmingCharacters(in: .whitespacesAndNewlines)
        // Someone who got hold of the commit (here straight from the files, as its id alone lets a
        // pusher do over any transport: git checks only that a pushed ref's objects exist).
        let clone = setup.directory.child("clone")
        try Command.git(["clone", "-q", setup.repository, clone])
        try Command.git(["fetch", "-q", "origin", bookmark], in: clone)
        let push = try Command.run("/usr/bin/git", ["push", "origin", "\(secret):refs/heads/steal"], in: clone)
        #expect(push.status != 0 && push.errorOutput.contains("only a session holds"), "\(push.errorOutput)")
        #expect(try Command.run("/usr/bin/git", ["--git-dir", setup.repository, "rev-parse", "--verify", "-q", "refs/heads/steal"]).status != 0)
        // A commit of one's own on top of public history still goes through.
        try Command.git(["checkout", "-q", "-b", "mine", "origin/main"], in: clone)
        try "mine\n".write(toFile: clone + "/mine.txt", atomically: true, encoding: .utf8)
        try Command.git(["add", "mine.txt"], in: clone)
        try Command.git(["-c", "user.name=A", "-c", "user.email=a@example.com", "commit", "-q", "-m", "mine"], in: clone)
        let own = try Command.run("/usr/bin/git", ["push", "origin", "mine"], in: clone)
        #expect(own.status == 0, "\(own.errorOutput)")
    }

    @Test func aLinkInPlaceOfTheWorkingDirectoryIsNeverFollowed() throws {
        let setup = try Setup()
        let outside = setup.directory.child("outside")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try "precious\n".write(toFile: outside + "/secret.txt", atomically: true, encoding: .utf8)

        // An agent that swaps its working directory for a link: the turn ends, the link goes to the
        // trash, and the snapshot records an empty directory (which undo takes back).
        let turn = try setup.turn("swap", "cd .. && mv work elsewhere && ln -s \(outside) work")
        #expect((turn["turn"] as? [String: Any])?["state"] as? String == "done")
        var info = stat()
        #expect(lstat(setup.workdir, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR, "a real folder again")
        #expect(!setup.exists("secret.txt") && !setup.exists("README"))
        let files = try #require(try setup.plue.json(["session", "files", setup.id]) as? [[String: Any]])
        #expect(files.isEmpty, "nothing from outside was recorded")
        try setup.plue.ok(["session", "undo", setup.id])
        #expect(setup.text("README") == "hello\n")
        #expect(try String(contentsOfFile: outside + "/secret.txt", encoding: .utf8) == "precious\n")
        #expect(!FileManager.default.fileExists(atPath: outside + "/README"))

        // Swapped by hand between commands: refused, nothing outside touched.
        let work = setup.workdir
        try FileManager.default.moveItem(atPath: work, toPath: setup.directory.child("moved-work"))
        try FileManager.default.createSymbolicLink(atPath: work, withDestinationPath: outside)
        for command in [["snapshot", setup.id], ["undo", setup.id], ["turn", setup.id, "-m", "x"]] {
            let result = try setup.plue.run(["session"] + command)
            #expect(result.status == 1 && result.errorOutput.contains("not a folder"), "\(command[0]): \(result.errorOutput)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["secret.txt"])
    }

    @Test func aLinkInPlaceOfTheSessionFolderIsRefused() throws {
        let setup = try Setup()
        let outside = setup.directory.child("outside")
        try FileManager.default.createDirectory(atPath: outside + "/work", withIntermediateDirectories: true)
        try "precious\n".write(toFile: outside + "/work/secret.txt", atomically: true, encoding: .utf8)
        let folder = setup.home + "/sessions/" + setup.id
        let result = try setup.plue.raw(["session", "turn", setup.id, "--home", setup.home, "-m", "swap", "--", "sh", "-c",
                                         "cd ../.. && mv \(setup.id) stolen && ln -s \(outside) \(setup.id)"])
        #expect(result.status == 1 && result.errorOutput.contains("not a folder"), "\(result.errorOutput)")
        var info = stat()
        #expect(lstat(folder, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).sorted() == ["work"], "no lock, index or trash written outside")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside + "/work") == ["secret.txt"])
        let turns = try #require(try setup.plue.json(["session", "turns", setup.id]) as? [[String: Any]])
        #expect(turns.first?["state"] as? String == "failed", "the turn is closed, not left running")
    }

    @Test func anAgentThatDeletesItsWorkingDirectoryLosesNothing() throws {
        let setup = try Setup(files: ["README": "hello\n", "a.txt": "a\n"])
        let turn = try setup.turn("delete everything", "echo reply; cd .. && rm -rf work")
        let details = try #require(turn["turn"] as? [String: Any])
        #expect(details["state"] as? String == "done" && details["reply"] as? String == "reply\n")
        #expect(Set((details["changedFiles"] as? [[String: Any]])?.compactMap { $0["status"] as? String } ?? []) == ["deleted"])
        try setup.plue.ok(["session", "undo", setup.id])
        #expect(setup.text("README") == "hello\n" && setup.text("a.txt") == "a\n")
    }

    @Test func aFolderTooDeepForGitClosesTheTurnAndSaysWhatToFix() throws {
        let setup = try Setup()
        let deep = (0..<101).map { _ in "d" }.joined(separator: "/")
        let result = try setup.plue.raw(["session", "turn", setup.id, "--home", setup.home, "-m", "deep", "--", "sh", "-c",
                                         "echo reply; mkdir -p a/\(deep) && echo x > a/\(deep)/f"])
        #expect(result.status != 0)
        let turns = try #require(try setup.plue.json(["session", "turns", setup.id]) as? [[String: Any]])
        #expect(turns.first?["state"] as? String == "failed", "never left running")
        #expect((turns.first?["reply"] as? String)?.hasPrefix("reply\n") == true)
        // Once the folder is gone, the session goes on.
        try FileManager.default.removeItem(atPath: setup.workdir + "/a")
        try setup.turn("after", "echo fine > fine.txt")
    }

    @Test func anAgentDeletingTheLockCannotLetAnotherCommandIn() throws {
        let setup = try Setup()
        let flag = setup.directory.child("started")
        let running = try SessionTrustEndToEndTests.start(setup, ["session", "turn", setup.id, "-m", "unlock", "--", "sh", "-c",
                                                                  "rm -f ../lock; touch \(flag); sleep 2; echo late > late.txt"])
        while !FileManager.default.fileExists(atPath: flag) { usleep(20_000) }
        let undo = try setup.plue.run(["session", "undo", setup.id])
        #expect(undo.status == 75 && undo.errorOutput.contains("turn 1"), "\(undo.errorOutput)")
        #expect(running.wait() == 0)
        let turn = try #require(try setup.plue.json(["session", "turns", setup.id]) as? [[String: Any]]).first
        #expect(turn?["state"] as? String == "done")
        #expect(setup.text("late.txt") == "late\n")
    }

    @Test func aPushedTreeWithADotGitPathStillStartsSessions() throws {
        let setup = try Setup()
        // A tree git itself would never write, made with plumbing as a hostile pusher can.
        let repository = setup.repository
        let blob = try Command.run("/usr/bin/git", ["-C", repository, "hash-object", "-w", "--stdin"], input: Data("[core]\n".utf8)).trimmed
        let inner = try Command.run("/usr/bin/git", ["-C", repository, "mktree", "--missing"],
                                    input: Data("100644 blob \(blob)\tconfig\n".utf8)).trimmed
        let sub = try Command.run("/usr/bin/git", ["-C", repository, "mktree", "--missing"],
                                  input: Data("040000 tree \(inner)\t.git\n100644 blob \(blob)\tkept.txt\n".utf8)).trimmed
        let main = try Command.git(["-C", repository, "rev-parse", "main^{tree}"])
        let listing = try Command.git(["-C", repository, "ls-tree", main]) + "\n040000 tree \(sub)\tsub\n"
        let root = try Command.run("/usr/bin/git", ["-C", repository, "mktree"], input: Data(listing.utf8)).trimmed
        let commit = try Command.git(["-C", repository, "commit-tree", root, "-p", "main", "-m", "evil"])
        try Command.git(["-C", repository, "update-ref", "refs/heads/evil", commit])

        let session = try #require(try setup.plue.json(["session", "new", "alice/demo", "--base", "evil"]) as? [String: Any])
        let workdir = try #require(session["workdir"] as? String)
        #expect(FileManager.default.fileExists(atPath: workdir + "/sub/kept.txt"))
        #expect(!FileManager.default.fileExists(atPath: workdir + "/sub/.git"))
        let id = try #require(session["id"] as? String)
        try setup.plue.ok(["session", "snapshot", id])
        let files = try #require(try setup.plue.json(["session", "files", id]) as? [[String: Any]]).compactMap { $0["path"] as? String }
        #expect(files.contains("sub/kept.txt") && !files.contains { $0.contains(".git") })
    }

    @Test func endOfLineFiltersNeverChangeWhatIsStored() throws {
        let setup = try Setup()
        try setup.turn("crlf", "echo '*.txt text' > .gitattributes && printf 'a\\r\\n' > w.txt")
        try setup.turn("more", "printf 'c\\r\\n' >> w.txt")
        let undo = try setup.json(["session", "undo", setup.id])
        #expect(setup.bytes("w.txt") == Data("a\r\n".utf8))
        #expect((undo["trashed"] as? [Any])?.isEmpty == true, "the bytes were stored as written, so nothing goes to the trash")
        let commit = try #require((undo["session"] as? [String: Any])?["workingCopy"] as? String)
        let stored = try Command.run("/usr/bin/git", ["-C", setup.repository, "cat-file", "blob", "\(commit):w.txt"]).output
        #expect(stored == Data("a\r\n".utf8))
    }

    @Test func textOutputEscapesWhatAnAgentWrote() throws {
        let setup = try Setup()
        let script = #"printf 'x' > "$(printf 'e\033[31mr\nnext')"; printf '\033[2Jreply\342\200\256'"#
        let text = try setup.plue.raw(["session", "turn", setup.id, "--home", setup.home, "-m", "hostile", "--", "sh", "-c", script])
        #expect(text.status == 0, "\(text.errorOutput)")
        for output in [text.text, try setup.plue.ok(["session", "messages", setup.id]), try setup.plue.ok(["session", "files", setup.id]),
                       try setup.plue.ok(["session", "turns", setup.id])] {
            #expect(!output.contains("\u{1B}") && !output.contains("\u{202E}"), "\(output.debugDescription)")
        }
        #expect(text.text.contains("\\e[2Jreply"))
        #expect(try setup.plue.ok(["session", "files", setup.id]).contains("e\\e[31mr\\nnext"), "a name cannot split the listing")
        // JSON stays exact.
        let turns = try #require(try setup.plue.json(["session", "turns", setup.id]) as? [[String: Any]])
        #expect(turns.first?["reply"] as? String == "\u{1B}[2Jreply\u{202E}")
    }

    @Test func gcRemovesWhatAKilledSessionNewLeftAndKeepsTheAgentsOwnCommits() throws {
        let setup = try Setup()
        // What a `session new` killed before it was recorded leaves: a staging folder, an hour old.
        let staging = setup.home + "/sessions/.staging/0123456789abcdef"
        try FileManager.default.createDirectory(atPath: staging + "/work", withIntermediateDirectories: true)
        try "checkout\n".write(toFile: staging + "/work/README", atomically: true, encoding: .utf8)
        var old = [timeval(tv_sec: time(nil) - 7200, tv_usec: 0), timeval(tv_sec: time(nil) - 7200, tv_usec: 0)]
        utimes(staging, &old)
        let fresh = setup.home + "/sessions/.staging/fedcba9876543210"
        try FileManager.default.createDirectory(atPath: fresh, withIntermediateDirectories: true)

        // An aborted session whose agent committed in its own .git.
        try setup.turn("commit", "echo work > w.txt && git add -A && git commit -q -m mine")
        try setup.plue.ok(["session", "abort", setup.id])
        sleep(1) // gc takes sessions idle for longer than --older-than, counted in whole seconds
        let gc = try setup.json(["session", "gc", "--older-than", "0"])
        #expect((gc["abandoned"] as? [[String: Any]])?.compactMap { $0["path"] as? String } == [staging])
        #expect(!FileManager.default.fileExists(atPath: staging) && FileManager.default.fileExists(atPath: fresh))
        let left = try #require(gc["left"] as? [[String: Any]])
        #expect(left.first?["id"] as? String == setup.id && (left.first?["reason"] as? String)?.contains(".git") == true)
        #expect(FileManager.default.fileExists(atPath: setup.workdir + "/.git"))
    }
}
