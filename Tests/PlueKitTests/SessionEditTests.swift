import Foundation
@testable import PlueKit
import PlueTestSupport
import Testing

/// Writing, deleting and patching a session's files through SessionService, as a remote agent
/// does: each is an operation undo takes back, the files are checked on disk and with the git CLI,
/// and nothing reaches outside the working directory.
@Suite struct SessionEditTests {
    let forge: Forge
    let repository: Repository
    let session: Session
    var sessions: SessionService { forge.plue.sessions }

    init() throws {
        forge = try Forge(user: "alice")
        repository = try forge.plue.repositories.create("alice/demo", as: .operator)
        let work = try forge.workTree(files: ["README.md": "# Demo\n", "src/main.swift": "print(1)\n"])
        try Command.git(["push", "-q", repository.path, "main"], in: work)
        session = try forge.plue.sessions.new(repository: "alice/demo", as: .operator)
    }

    func git(_ arguments: [String]) throws -> String { try Command.git(["-C", repository.path] + arguments) }
    func read(_ path: String) -> String? { try? String(contentsOfFile: session.workdir + "/" + path, encoding: .utf8) }
    /// The file's own mode (a link's, not its target's); 0 when there is none.
    func mode(_ path: String) -> mode_t {
        var info = stat()
        return lstat(session.workdir + "/" + path, &info) == 0 ? info.st_mode : 0
    }

    @Test func aWrittenFileIsAnOperationThatUndoTakesBack() throws {
        let written = try sessions.writeFile(session.id, path: "src/new/deep.txt", bytes: Array("deep\n".utf8), as: .operator)
        let operation = try #require(written.operation)
        #expect(operation.kind == "write" && operation.description == "write src/new/deep.txt")
        #expect(read("src/new/deep.txt") == "deep\n")
        let commit = written.session.workingCopy
        #expect(try git(["cat-file", "blob", "\(commit):src/new/deep.txt"]) == "deep")
        #expect(written.session.currentChange == session.currentChange, "the change is rewritten in place, as a snapshot does")
        #expect(try git(["rev-parse", "\(commit)^"]) == session.baseCommit)

        let replaced = try sessions.writeFile(session.id, path: "README.md", bytes: Array("#!/bin/sh\n".utf8), mode: .executable, as: .operator)
        #expect(replaced.operation?.kind == "write")
        #expect(mode("README.md") & 0o777 == 0o755)
        #expect(try git(["ls-tree", replaced.session.workingCopy, "README.md"]).hasPrefix("100755 blob"))

        // The same bytes again change nothing and record nothing.
        let same = try sessions.writeFile(session.id, path: "README.md", bytes: Array("#!/bin/sh\n".utf8), as: .operator)
        #expect(same.operation == nil && same.session.workingCopy == replaced.session.workingCopy)

        _ = try sessions.undo(session.id, as: .operator)
        #expect(read("README.md") == "# Demo\n" && (mode("README.md")) & 0o777 == 0o644)
        _ = try sessions.undo(session.id, as: .operator)
        #expect(read("src/new/deep.txt") == nil && !FileManager.default.fileExists(atPath: session.workdir + "/src/new"))
        #expect(try sessions.operations(session.id, as: .operator).map(\.kind) == ["undo", "undo", "write", "write", "new"])
    }

    @Test func aPatchIsDescribedByTheFilesItChanged() {
        #expect(SessionService.patchDescription([]) == "apply a patch")
        #expect(SessionService.patchDescription(["a"]) == "apply a patch to a")
        #expect(SessionService.patchDescription(["a", "b"]) == "apply a patch to a and b")
        #expect(SessionService.patchDescription(["a", "b", "c", "d", "e"]) == "apply a patch to a, b and 3 more files")
        #expect(SessionService.patchDescription(["bad\u{1B}[2Jname"]) == "apply a patch to bad\\e[2Jname")
    }

    /// Folders and files named `café` in NFC and in NFD are two each: a restore that empties both
    /// folders removes both, and each file keeps its own permission bits.
    @Test func namesAlikeOnlyUnderUnicodeEquivalenceStayApart() throws {
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        let start = try #require(try sessions.operations(session.id, as: .operator).first).id
        _ = try sessions.writeFile(session.id, path: composed + "/a.txt", bytes: Array("a\n".utf8), as: .operator)
        _ = try sessions.writeFile(session.id, path: decomposed + "/b.txt", bytes: Array("b\n".utf8), as: .operator)
        let names = try FileManager.default.contentsOfDirectory(atPath: session.workdir).map { Array($0.utf8) }
        #expect(names.contains(Array(composed.utf8)) && names.contains(Array(decomposed.utf8)))
        #expect(chmod(session.workdir + "/" + composed + "/a.txt", 0o600) == 0 && chmod(session.workdir + "/" + decomposed + "/b.txt", 0o640) == 0)
        let snapshot = try sessions.snapshot(session.id, message: "bits", as: .operator)
        _ = try sessions.restore(session.id, operation: start, as: .operator)
        let left = try FileManager.default.contentsOfDirectory(atPath: session.workdir).map { Array($0.utf8) }
        #expect(!left.contains(Array(composed.utf8)) && !left.contains(Array(decomposed.utf8)), "an emptied folder was left: \(Self.listing(session.workdir))")
        _ = try sessions.restore(session.id, operation: try #require(snapshot.operation).id, as: .operator)
        #expect(mode(composed + "/a.txt") & 0o777 == 0o600 && mode(decomposed + "/b.txt") & 0o777 == 0o640,
                "\(String(mode(composed + "/a.txt"), radix: 8)) \(String(mode(decomposed + "/b.txt"), radix: 8)) \(Self.listing(session.workdir))")
    }

    /// As an agent makes them, in the working directory itself: a snapshot records both files
    /// (one was looked for in the other's folder and left out without a word), and an undo that
    /// takes one away leaves the other's bytes alone.
    @Test func aSnapshotRecordsFilesInFoldersNamedAlike() throws {
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        for (folder, file) in [(decomposed, "x.txt"), (composed, "x.txt")] {
            try FileManager.default.createDirectory(atPath: session.workdir + "/" + folder, withIntermediateDirectories: true)
            try Data((folder + "\n").utf8).write(to: URL(fileURLWithPath: session.workdir + "/" + folder + "/" + file))
            #expect(mkfifo(session.workdir + "/" + folder + "/pipe", 0o644) == 0)
        }
        let first = try sessions.snapshot(session.id, message: "both", as: .operator)
        let skipped = first.skipped.map { Array($0.path.utf8) }
        #expect(skipped.contains(Array((composed + "/pipe").utf8)) && skipped.contains(Array((decomposed + "/pipe").utf8)),
                "each folder's FIFO is reported: \(first.skipped.map(\.path))")
        let tree = try git(["ls-tree", "-r", "-z", "--name-only", first.session.workingCopy]).split(separator: "\0").map { Array($0.utf8) }
        #expect(tree.contains(Array((composed + "/x.txt").utf8)) && tree.contains(Array((decomposed + "/x.txt").utf8)), "\(tree)")
        for folder in [composed, decomposed] {
            let stored = try git(["cat-file", "blob", "\(first.session.workingCopy):\(folder)/x.txt"])
            #expect(Array(stored.utf8) == Array(folder.utf8), "each file's own bytes: \(Array(stored.utf8))")
        }
        _ = try sessions.deleteFile(session.id, path: composed + "/x.txt", as: .operator)
        #expect(read(decomposed + "/x.txt") == decomposed + "\n", "the other folder's file is untouched")
        #expect(read(composed + "/x.txt") == nil)
    }

    /// `K.txt` and the Kelvin sign's `\u{212A}.txt` are one String to Swift, two files to git: an
    /// edit of one is stored as its own, and the session goes on (the fast paths, keyed by String,
    /// once stored the edit under the twin's name and then failed every snapshot).
    @Test func anASCIINameAndItsKelvinTwinStayApart() throws {
        let kelvin = "\u{212A}.txt"
        _ = try sessions.writeFile(session.id, path: "K.txt", bytes: Array("ascii\n".utf8), as: .operator)
        _ = try sessions.writeFile(session.id, path: kelvin, bytes: Array("kelvin\n".utf8), as: .operator)
        try Data("ascii edited\n".utf8).write(to: URL(fileURLWithPath: session.workdir + "/K.txt"))
        let snapshot = try sessions.snapshot(session.id, message: "edit K", as: .operator)
        let commit = snapshot.session.workingCopy
        #expect(try git(["cat-file", "blob", "\(commit):K.txt"]) == "ascii edited")
        #expect(try git(["cat-file", "blob", "\(commit):\(kelvin)"]) == "kelvin")
        _ = try sessions.undo(session.id, as: .operator)
        #expect(read("K.txt") == "ascii\n" && read(kelvin) == "kelvin\n")
        _ = try sessions.redo(session.id, as: .operator)
        #expect(read("K.txt") == "ascii edited\n" && read(kelvin) == "kelvin\n")
        _ = try sessions.deleteFile(session.id, path: kelvin, as: .operator)
        #expect(read("K.txt") == "ascii edited\n" && read(kelvin) == nil)
    }

    static func listing(_ path: String) -> String {
        (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? []).map { "\($0) \(Array($0.utf8))" }.joined(separator: "; ")
    }

    @Test func aWriteFirstKeepsEditsMadeInTheWorkingDirectory() throws {
        try "edited by hand\n".write(toFile: session.workdir + "/README.md", atomically: true, encoding: .utf8)
        let result = try sessions.writeFile(session.id, path: "other.txt", bytes: Array("x".utf8), as: .operator)
        #expect(try sessions.operations(session.id, as: .operator).map(\.kind) == ["write", "snapshot", "new"])
        #expect(try git(["cat-file", "blob", "\(result.session.workingCopy):README.md"]) == "edited by hand")
        _ = try sessions.undo(session.id, as: .operator)
        #expect(read("README.md") == "edited by hand\n" && read("other.txt") == nil)
    }

    @Test func aDeletedFileComesBackWithUndoAndAMissingOneIsNotFound() throws {
        let key = session.workdir + "/src/main.swift"
        chmod(key, 0o600)
        let deleted = try sessions.deleteFile(session.id, path: "src/main.swift", as: .operator)
        #expect(deleted.operation?.kind == "delete" && read("src/main.swift") == nil)
        #expect(try !git(["ls-tree", "-r", "--name-only", deleted.session.workingCopy]).contains("main.swift"))
        _ = try sessions.undo(session.id, as: .operator)
        #expect(read("src/main.swift") == "print(1)\n" && (mode("src/main.swift")) & 0o777 == 0o600, "bytes and bits come back")
        #expect(plueError { _ = try sessions.deleteFile(session.id, path: "nothing.txt", as: .operator) }?.code == .notFound)
        #expect(plueError { _ = try sessions.deleteFile(session.id, path: "src", as: .operator) }?.code == .invalidInput)
    }

    @Test func hostilePathsAreRefusedBeforeAnythingIsWritten() throws {
        let outside = forge.directory.child("outside")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try "secret\n".write(toFile: outside + "/file", atomically: true, encoding: .utf8)
        symlink(outside, session.workdir + "/link")
        symlink(outside + "/file", session.workdir + "/file-link")
        for path in ["../escape", "/etc/passwd", "a/../../b", ".git/config", "src/.GIT/hooks/x", ".git./x", "a\u{0}b", "a\nb",
                     "a//b", "a/", "", String(repeating: "a/", count: 2100) + "x", String(repeating: "x", count: 256), "link/file"] {
            let error = plueError { _ = try sessions.writeFile(session.id, path: path, bytes: Array("evil".utf8), as: .operator) }
            #expect(error?.code == .invalidInput, "\(path.prefix(40)): \(String(describing: error))")
        }
        // A link is replaced, never written through.
        let result = try sessions.writeFile(session.id, path: "file-link", bytes: Array("mine\n".utf8), as: .operator)
        #expect(result.operation != nil && (mode("file-link")) & S_IFMT == S_IFREG && read("file-link") == "mine\n")
        #expect(try String(contentsOfFile: outside + "/file", encoding: .utf8) == "secret\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["file"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: forge.directory.path).sorted() == ["home", "outside", "work"])
        // Undo brings the link back as a link.
        _ = try sessions.undo(session.id, as: .operator)
        #expect(mode("file-link") & S_IFMT == S_IFLNK)
    }

    @Test func aLinkIsWrittenAsData() throws {
        let result = try sessions.writeFile(session.id, path: "to-readme", bytes: Array("README.md".utf8), mode: .link, as: .operator)
        #expect(result.operation != nil && (mode("to-readme")) & S_IFMT == S_IFLNK)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: session.workdir + "/to-readme") == "README.md")
        #expect(try git(["ls-tree", result.session.workingCopy, "to-readme"]).hasPrefix("120000 blob"))
        #expect(plueError { _ = try sessions.writeFile(session.id, path: "to-readme/x", bytes: [1], as: .operator) }?.code == .invalidInput)
        #expect(plueError { _ = try sessions.writeFile(session.id, path: "empty", bytes: [], mode: .link, as: .operator) }?.code == .invalidInput)
    }

    @Test func aPatchAppliesAsGitApplyDoesAndUndoTakesItBack() throws {
        let patch = """
            diff --git a/README.md b/README.md
            --- a/README.md
            +++ b/README.md
            @@ -1 +1,2 @@
             # Demo
            +patched
            diff --git a/tools/run.sh b/tools/run.sh
            new file mode 100755
            --- /dev/null
            +++ b/tools/run.sh
            @@ -0,0 +1 @@
            +echo run
            diff --git a/src/main.swift b/src/main.swift
            deleted file mode 100644
            --- a/src/main.swift
            +++ /dev/null
            @@ -1 +0,0 @@
            -print(1)

            """
        let result = try sessions.applyPatch(session.id, patch: Array(patch.utf8), as: .operator)
        #expect(result.operation?.kind == "patch")
        #expect(result.operation?.description == "apply a patch to README.md, src/main.swift and tools/run.sh")
        #expect(read("README.md") == "# Demo\npatched\n" && read("tools/run.sh") == "echo run\n" && read("src/main.swift") == nil)
        #expect(mode("tools/run.sh") & 0o777 == 0o755)
        #expect(try sessions.diff(session.id, format: .nameStatus, as: .operator) == "M\tREADME.md\nD\tsrc/main.swift\nA\ttools/run.sh\n")
        _ = try sessions.undo(session.id, as: .operator)
        #expect(read("README.md") == "# Demo\n" && read("tools/run.sh") == nil && read("src/main.swift") == "print(1)\n")

        // One that does not apply changes nothing.
        let stale = "--- a/README.md\n+++ b/README.md\n@@ -1 +1 @@\n-not there\n+x\n"
        #expect(plueError { _ = try sessions.applyPatch(session.id, patch: Array(stale.utf8), as: .operator) }?.code == .failed)
        let nonsense = plueError { _ = try sessions.applyPatch(session.id, patch: Array("nonsense\n".utf8), as: .operator) }
        #expect(nonsense?.code == .invalidInput && nonsense?.message.contains("--allow-empty") == false, "\(String(describing: nonsense))")
        // The usual slip of a patch written by hand or by a model: no line break at its end.
        let unended = "diff --git a/n b/n\nnew file mode 100644\n--- /dev/null\n+++ b/n\n@@ -0,0 +1 @@\n+n"
        let error = plueError { _ = try sessions.applyPatch(session.id, patch: Array(unended.utf8), as: .operator) }
        #expect(error?.message.contains("must end with a line break") == true, "\(String(describing: error))")
        #expect(try sessions.operations(session.id, as: .operator).first?.kind == "undo")
    }

    @Test func hostilePatchesAreRefusedAndTouchNothing() throws {
        let outside = forge.directory.child("outside")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        symlink(outside, session.workdir + "/link")
        _ = try sessions.snapshot(session.id, as: .operator)
        func added(_ path: String, mode: String = "100644", _ line: String = "evil") -> String {
            "diff --git a/\(path) b/\(path)\nnew file mode \(mode)\n--- /dev/null\n+++ b/\(path)\n@@ -0,0 +1 @@\n+\(line)\n"
        }
        let patches = [
            added("../escape"), added("/tmp/absolute"), added(".git/hooks/post-checkout", mode: "100755"), added("sub/.Git/config"),
            added("link/file"),
            // A link the patch creates, then a file written through it.
            "diff --git a/made b/made\nnew file mode 120000\n--- /dev/null\n+++ b/made\n@@ -0,0 +1 @@\n+\(outside)\n\\ No newline at end of file\n"
                + added("made/file"),
            // Names git apply takes and no file system here holds the same: a part over 255 bytes
            // (which left every later command failing to write it), a line break, bytes not UTF-8.
            added(String(repeating: "a", count: 300)), added("dir/" + String(repeating: "b", count: 256) + "/file"),
            #"diff --git "a/new\nline" "b/new\nline"\nnew file mode 100644\n--- /dev/null\n+++ "b/new\nline"\n@@ -0,0 +1 @@\n+x\n"#,
            #"diff --git "a/bad\377name" "b/bad\377name"\nnew file mode 100644\n--- /dev/null\n+++ "b/bad\377name"\n@@ -0,0 +1 @@\n+x\n"#,
        ]
        let before = try sessions.operations(session.id, as: .operator).count
        for patch in patches {
            let error = plueError { _ = try sessions.applyPatch(session.id, patch: Array(patch.utf8), as: .operator) }
            #expect(error?.code == .invalidInput, "\(patch.prefix(60)): \(String(describing: error))")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: forge.directory.child("escape")) && !FileManager.default.fileExists(atPath: "/tmp/absolute"))
        #expect(!FileManager.default.fileExists(atPath: session.workdir + "/.git/hooks/post-checkout"))
        #expect(try sessions.operations(session.id, as: .operator).count == before)
        // The session goes on working.
        _ = try sessions.applyPatch(session.id, patch: Array(added("fine.txt", "fine").utf8), as: .operator)
        #expect(try String(contentsOfFile: session.workdir + "/fine.txt", encoding: .utf8) == "fine\n")
        _ = try sessions.undo(session.id, as: .operator)
        #expect(!FileManager.default.fileExists(atPath: session.workdir + "/fine.txt"))
    }

    /// What `git diff --cached --binary` prints in the work tree the repository came from.
    func stagedPatch(_ work: String) throws -> [UInt8] {
        try Command.git(["add", "-A"], in: work)
        let result = try Command.run("/usr/bin/git", ["diff", "--cached", "--binary", "-M"], in: work, environment: Command.environment())
        try Command.git(["commit", "-q", "-m", "step"], in: work)
        return [UInt8](result.output)
    }

    @Test func binaryPatchesAndRenamesApplyAsGitMadeThem() throws {
        let work = forge.directory.child("work")
        var image = [UInt8](repeating: 0, count: 3000)
        for index in image.indices { image[index] = UInt8(truncatingIfNeeded: index * 7) }
        try Data(image).write(to: URL(fileURLWithPath: work + "/logo.png"))
        _ = try sessions.applyPatch(session.id, patch: try stagedPatch(work), as: .operator)

        image[10] = 1
        try Data(image).write(to: URL(fileURLWithPath: work + "/logo.png"))
        try FileManager.default.moveItem(atPath: work + "/src/main.swift", toPath: work + "/src/app.swift")
        try "# Demo\nmore\n".write(toFile: work + "/README.md", atomically: true, encoding: .utf8)
        let result = try sessions.applyPatch(session.id, patch: try stagedPatch(work), as: .operator)
        // The session's tree is the work tree's, object for object.
        #expect(try git(["rev-parse", "\(result.session.workingCopy)^{tree}"]) == (try Command.git(["rev-parse", "HEAD^{tree}"], in: work)))
        #expect(try Data(contentsOf: URL(fileURLWithPath: session.workdir + "/logo.png")) == Data(image))
        #expect(read("src/app.swift") == "print(1)\n" && read("src/main.swift") == nil)
    }

    /// A binary patch naming a result git already has would make git take that object: any id in
    /// the repository (another user's session, an object no ref reaches) read back as a file.
    @Test func aBinaryPatchCannotReadAnObjectItDoesNotCarry() throws {
        let secret = try Command.run("/usr/bin/git", ["-C", repository.path, "hash-object", "-w", "--stdin"],
                                     input: Data("API_KEY=secret\n".utf8)).trimmed
        let commit = try git(["rev-parse", "main"])
        for id in [secret, commit] {
            let patch = "diff --git a/o b/o\nnew file mode 100644\nindex 0000000000000000000000000000000000000000..\(id)\n"
                + "GIT binary patch\nliteral 0\nHcmV?d00001\n\nliteral 0\nHcmV?d00001\n\n"
            let error = plueError { _ = try sessions.applyPatch(session.id, patch: Array(patch.utf8), as: .operator) }
            #expect(error?.message.contains("incorrect result") == true, "\(String(describing: error))")
            #expect(read("o") == nil)
        }
        // A file of the session's own, which the patch reads, is the caller's to name: its bytes come back.
        let readme = try git(["rev-parse", "main:README.md"])
        let copy = "diff --git a/README.md b/README.md\n--- a/README.md\n+++ b/README.md\n@@ -1 +1,2 @@\n # Demo\n+more\n"
            + "diff --git a/copy b/copy\nnew file mode 100644\nindex 0000000000000000000000000000000000000000..\(readme)\n"
            + "GIT binary patch\nliteral 0\nHcmV?d00001\n\nliteral 0\nHcmV?d00001\n\n"
        _ = try sessions.applyPatch(session.id, patch: Array(copy.utf8), as: .operator)
        #expect(read("copy") == "# Demo\n" && read("README.md") == "# Demo\nmore\n")
    }

    /// A binary patch of a few kilobytes can describe a file of gigabytes; past the limit it is
    /// refused before anything reaches the repository or the working directory.
    @Test func aPatchCannotMakeAHugeFile() throws {
        let work = forge.directory.child("work")
        let size = SessionService.maxPatchedFileBytes + 1
        try Data(count: size).write(to: URL(fileURLWithPath: work + "/zeros.bin"))
        let patch = try stagedPatch(work)
        #expect(patch.count < 1_000_000)
        let before = try sessions.operations(session.id, as: .operator).count
        let error = plueError { _ = try sessions.applyPatch(session.id, patch: patch, as: .operator) }
        #expect(error?.code == .invalidInput && error?.message.contains("\(size) bytes, past the") == true, "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: session.workdir + "/zeros.bin"))
        let blob = try Command.git(["rev-parse", "HEAD:zeros.bin"], in: work)
        #expect(try Command.run("/usr/bin/git", ["-C", repository.path, "cat-file", "-e", blob]).status != 0, "not stored")
        #expect(try sessions.operations(session.id, as: .operator).count == before)

        // Under the limit each, over it together.
        try Command.git(["rm", "-q", "zeros.bin"], in: work)
        try Command.git(["commit", "-q", "-m", "gone"], in: work)
        try Command.git(["reset", "-q", "--hard", "HEAD~2"], in: work)
        for name in ["half1.bin", "half2.bin"] {
            var bytes = Data(count: size / 2 + 1)
            bytes[0] = name == "half1.bin" ? 1 : 2
            try bytes.write(to: URL(fileURLWithPath: work + "/" + name))
        }
        let pair = plueError { _ = try sessions.applyPatch(session.id, patch: try stagedPatch(work), as: .operator) }
        #expect(pair?.code == .invalidInput && pair?.message.contains("in all") == true, "\(String(describing: pair))")
        #expect(try sessions.operations(session.id, as: .operator).count == before)
    }

    /// A text file past the diff's limit is compared as binary: a line diff of it would take
    /// fifty times its size in memory. The patch still carries it, and git applies it.
    @Test func aHugeTextFileIsDiffedAsBinary() throws {
        let line = String(repeating: "x", count: 63) + "\n"
        let text = String(repeating: line, count: (9 << 20) / 64)
        let written = try sessions.writeFile(session.id, path: "big.txt", bytes: Array(text.utf8), as: .operator)
        let report = try sessions.diffReport(session.id, as: .operator)
        let file = try #require(report.files.first { $0.path == "big.txt" })
        #expect(file.binary && file.additions == text.utf8.count)
        #expect(report.patch.contains("GIT binary patch") && report.patch.utf8.count < 1 << 20)
        let work = forge.directory.child("work")
        let patchFile = forge.directory.child("big.patch")
        try report.patch.write(toFile: patchFile, atomically: true, encoding: .utf8)
        try Command.git(["apply", "--cached", patchFile], in: work)
        #expect(try Command.git(["write-tree"], in: work) == (try git(["rev-parse", "\(written.session.workingCopy)^{tree}"])))

        // Many files just under the limit: past 16 MiB in one diff (big.txt's 9 MiB, then m1's 7),
        // the rest are binary too.
        let seven = String(repeating: line, count: (7 << 20) / 64)
        for name in ["m1.txt", "m2.txt", "m3.txt"] {
            _ = try sessions.writeFile(session.id, path: name, bytes: Array(seven.utf8), as: .operator)
        }
        let many = try sessions.diffReport(session.id, as: .operator)
        #expect(many.files.filter { $0.path.hasPrefix("m") }.map(\.binary) == [false, true, true], "\(many.files)")
        #expect(many.patch.utf8.count < 12 << 20 && many.patch.contains("diff --git a/m3.txt b/m3.txt\nnew file mode 100644\nindex"))
        #expect(try sessions.diff(session.id, as: .operator) == many.patch)
    }

    /// A branch can hold a name no file here can have (git takes any length); a session on it is
    /// refused as bad input, and leaves nothing behind.
    @Test func aBaseWithANameTooLongIsRefusedAndLeavesNothing() throws {
        let repository = self.repository.path
        let blob = try Command.run("/usr/bin/git", ["-C", repository, "hash-object", "-w", "--stdin"], input: Data("x\n".utf8)).trimmed
        let tree = try Command.run("/usr/bin/git", ["-C", repository, "mktree"],
                                   input: Data("100644 blob \(blob)\t\(String(repeating: "a", count: 300))\n".utf8)).trimmed
        let commit = try Command.git(["-C", repository, "commit-tree", "-m", "long", tree])
        try Command.git(["-C", repository, "update-ref", "refs/heads/longname", commit])
        let before = try FileManager.default.contentsOfDirectory(atPath: forge.home.root + "/sessions").sorted()
        let error = plueError { _ = try sessions.new(repository: "alice/demo", base: "longname", as: .operator) }
        #expect(error?.code == .invalidInput && error?.message.contains("longer than this file system holds") == true, "\(String(describing: error))")
        #expect(error?.message.contains(forge.home.root) == false, "the message names no server path")
        #expect(try FileManager.default.contentsOfDirectory(atPath: forge.home.root + "/sessions").sorted() == before)
    }

    /// Trees a working directory cannot hold (folders hundreds deep, a link's target past
    /// PATH_MAX) are refused before anything is recorded: every later command failed on such a
    /// state, and no undo could get past it.
    @Test func whatNoWorkingDirectoryHoldsIsRefusedAndTheSessionGoesOn() throws {
        let deep = Array(repeating: "d", count: 300).joined(separator: "/") + "/f"
        let before = try sessions.operations(session.id, as: .operator).count
        var error = plueError { _ = try sessions.writeFile(session.id, path: deep, bytes: [1], as: .operator) }
        #expect(error?.code == .invalidInput && error?.message.contains("folders deep") == true, "\(String(describing: error))")
        let longLink = "diff --git a/ll b/ll\nnew file mode 120000\n--- /dev/null\n+++ b/ll\n@@ -0,0 +1 @@\n+"
            + String(repeating: "y", count: 5000) + "\n\\ No newline at end of file\n"
        error = plueError { _ = try sessions.applyPatch(session.id, patch: Array(longLink.utf8), as: .operator) }
        #expect(error?.code == .invalidInput && error?.message.contains("symbolic link") == true, "\(String(describing: error))")
        error = plueError { _ = try sessions.writeFile(session.id, path: "l2", bytes: Array(repeating: 121, count: 4096), mode: .link, as: .operator) }
        #expect(error?.code == .invalidInput)
        #expect(try sessions.operations(session.id, as: .operator).count == before)
        _ = try sessions.writeFile(session.id, path: "ok.txt", bytes: Array("ok".utf8), as: .operator)
        #expect(try sessions.files(session.id, as: .operator).contains { $0.path == "ok.txt" })
    }

    /// An agent can make such a tree in its working directory, and a snapshot records it; going
    /// back to that state later is refused before the move is recorded as begun, so the session
    /// goes on rather than every later command failing to finish the move.
    @Test func aStateNoWorkingDirectoryHoldsIsNeverHalfEntered() throws {
        let deep = Array(repeating: "d", count: 80).joined(separator: "/")
        try FileManager.default.createDirectory(atPath: session.workdir + "/" + deep, withIntermediateDirectories: true)
        try "deep\n".write(toFile: session.workdir + "/" + deep + "/f", atomically: false, encoding: .utf8)
        _ = try sessions.snapshot(session.id, as: .operator)
        _ = try sessions.undo(session.id, as: .operator)
        #expect(!FileManager.default.fileExists(atPath: session.workdir + "/d"))
        let error = plueError { _ = try sessions.redo(session.id, as: .operator) }
        #expect(error?.code == .invalidInput && error?.message.contains("folders deep") == true, "\(String(describing: error))")
        _ = try sessions.writeFile(session.id, path: "after.txt", bytes: Array("ok\n".utf8), as: .operator)
        #expect(try sessions.operations(session.id, as: .operator).first?.kind == "write")
        #expect(read("after.txt") == "ok\n")

        // Deeper than libgit2 walks: the snapshot says so, and the session is back once it is gone.
        let deeper = Array(repeating: "e", count: 150).joined(separator: "/")
        try FileManager.default.createDirectory(atPath: session.workdir + "/" + deeper, withIntermediateDirectories: true)
        try "x\n".write(toFile: session.workdir + "/" + deeper + "/f", atomically: false, encoding: .utf8)
        let walk = plueError { _ = try sessions.snapshot(session.id, as: .operator) }
        #expect(walk?.code == .invalidInput && walk?.message.contains("more than 100 deep") == true, "\(String(describing: walk))")
        try FileManager.default.removeItem(atPath: session.workdir + "/e")
        _ = try sessions.writeFile(session.id, path: "later.txt", bytes: Array("ok\n".utf8), as: .operator)
        #expect(read("later.txt") == "ok\n")
    }

    /// A pushed branch can hold such a tree; a session on it is refused and leaves nothing.
    @Test func aBaseTooDeepIsRefusedAndLeavesNothing() throws {
        let blob = try Command.run("/usr/bin/git", ["-C", repository.path, "hash-object", "-w", "--stdin"], input: Data("x\n".utf8)).trimmed
        var tree = try Command.run("/usr/bin/git", ["-C", repository.path, "mktree"], input: Data("100644 blob \(blob)\tf\n".utf8)).trimmed
        for _ in 0..<300 {
            tree = try Command.run("/usr/bin/git", ["-C", repository.path, "mktree"], input: Data("040000 tree \(tree)\td\n".utf8)).trimmed
        }
        let commit = try Command.git(["-C", repository.path, "commit-tree", "-m", "deep", tree])
        try Command.git(["-C", repository.path, "update-ref", "refs/heads/deep", commit])
        let before = try FileManager.default.contentsOfDirectory(atPath: forge.home.root + "/sessions").sorted()
        let error = plueError { _ = try sessions.new(repository: "alice/demo", base: "deep", as: .operator) }
        #expect(error?.code == .invalidInput && error?.message.contains("folders deep") == true, "\(String(describing: error))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: forge.home.root + "/sessions").sorted() == before)
    }

    /// `café` spelt with `é` (NFC) and with `e` and a combining accent (NFD) are one String in
    /// Swift and two names to git and the file system: both are kept, and the session goes on.
    @Test func namesThatDifferOnlyInNormalizationAreTwoFiles() throws {
        let nfd = "cafe\u{301}.txt", nfc = "caf\u{E9}.txt"
        #expect(Array(nfd.utf8) != Array(nfc.utf8) && nfd == nfc)
        _ = try sessions.writeFile(session.id, path: nfd, bytes: Array("nfd\n".utf8), as: .operator)
        let written = try sessions.writeFile(session.id, path: nfc, bytes: Array("nfc\n".utf8), as: .operator)
        func listed(_ commit: String) throws -> [String] {
            try Command.run("/usr/bin/git", ["-C", repository.path, "-c", "core.quotePath=false", "ls-tree", "--name-only", commit]).trimmed
                .split(separator: "\n").map(String.init)
        }
        #expect(try listed(written.session.workingCopy).filter { $0.hasPrefix("caf") }.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
                == [Array(nfd.utf8), Array(nfc.utf8)].sorted { $0.lexicographicallyPrecedes($1) })
        // Edited in the working directory, as an agent does: each is recorded as itself.
        try "nfd edited\n".write(toFile: session.workdir + "/" + nfd, atomically: false, encoding: .utf8)
        try "new\n".write(toFile: session.workdir + "/new-caf\u{E9}.txt", atomically: false, encoding: .utf8)
        try "new nfd\n".write(toFile: session.workdir + "/new-cafe\u{301}.txt", atomically: false, encoding: .utf8)
        let snapshot = try sessions.snapshot(session.id, as: .operator)
        let commit = snapshot.session.workingCopy
        #expect(try git(["cat-file", "blob", "\(commit):\(nfd)"]) == "nfd edited" && git(["cat-file", "blob", "\(commit):\(nfc)"]) == "nfc")
        let all = try listed(commit)
        #expect(all.count == 6, "\(all)")
        _ = try sessions.diff(session.id, as: .operator)
        _ = try sessions.undo(session.id, as: .operator)
        _ = try sessions.undo(session.id, as: .operator)
        #expect(!FileManager.default.fileExists(atPath: session.workdir + "/new-caf\u{E9}.txt"))
        let names = try FileManager.default.contentsOfDirectory(atPath: session.workdir).filter { $0.hasPrefix("caf") }
        #expect(names.count == 1, "\(names)")
        _ = try sessions.redo(session.id, as: .operator)
        _ = try sessions.redo(session.id, as: .operator)
        #expect(try FileManager.default.contentsOfDirectory(atPath: session.workdir).filter { $0.contains("caf") }.count == 4)
    }

    @Test func editsNeedWriteOnTheSession() throws {
        let bob = try forge.plue.users.create(name: "bob", email: "bob@example.com", admin: false, as: .operator)
        _ = try forge.plue.access.addCollaborator(repository: "alice/demo", user: "bob", permission: .write, as: .operator)
        // The operator's session is not bob's: not found, as a missing one.
        let error = plueError { _ = try sessions.writeFile(session.id, path: "x", bytes: [1], as: .user(bob)) }
        #expect(error?.code == .notFound)
        #expect(plueError { _ = try sessions.applyPatch(session.id, patch: Array("x".utf8), as: .user(bob)) }?.code == .notFound)
        #expect(read("x") == nil)
    }
}
