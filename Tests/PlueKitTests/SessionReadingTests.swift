import Foundation
import PlueKit
import PlueTestSupport
import Testing

@Suite struct SessionReadingTests {
    let forge: Forge
    let repository: Repository
    let session: Session
    let seed: String

    init() throws {
        forge = try Forge(user: "alice")
        repository = try forge.plue.repositories.create("alice/demo", as: .operator)
        seed = try forge.workTree(files: ["a.txt": "a\n", "move/me.txt": String(repeating: "rename me\n", count: 20),
                                          "gone.txt": "gone\n", "tool.sh": "#!/bin/sh\n"])
        try Command.git(["push", "-q", repository.path, "main"], in: seed)
        session = try forge.plue.sessions.new(repository: "alice/demo", as: .operator)
    }

    func git(_ arguments: [String], in directory: String? = nil) throws -> String {
        try Command.git((directory == nil ? ["-C", repository.path] : []) + arguments, in: directory)
    }

    func editEverything() throws {
        let work = session.workdir
        try "a, changed\n".write(toFile: work + "/a.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: work + "/moved", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: work + "/move/me.txt", toPath: work + "/moved/me.txt")
        try FileManager.default.removeItem(atPath: work + "/gone.txt")
        try Data((0..<300).map { UInt8($0 % 256) }).write(to: URL(fileURLWithPath: work + "/bytes.bin"))
        chmod(work + "/tool.sh", 0o755)
        symlink("a.txt", work + "/link")
    }

    @Test func theDiffRebuildsTheTargetStateWithGitApply() throws {
        try editEverything()
        let patch = try forge.plue.sessions.diff(session.id, as: .operator)
        #expect(patch.contains("GIT binary patch") && patch.contains("rename from move/me.txt") && patch.contains("new mode 100755"))
        // Apply to a checkout of the base with the real git client: the result is the working copy exactly.
        let checkout = forge.directory.child("apply")
        try Command.git(["clone", "-q", repository.path, checkout])
        let patchFile = forge.directory.child("session.patch")
        try patch.write(toFile: patchFile, atomically: true, encoding: .utf8)
        _ = try git(["apply", "--index", patchFile], in: checkout)
        let appliedTree = try git(["write-tree"], in: checkout)
        let current = try forge.plue.sessions.show(session.id, as: .operator)
        #expect(appliedTree == (try git(["rev-parse", "\(current.workingCopy)^{tree}"])))

        let names = try forge.plue.sessions.diff(session.id, format: .nameOnly, as: .operator).split(separator: "\n").map(String.init)
        #expect(Set(names) == ["a.txt", "bytes.bin", "gone.txt", "link", "moved/me.txt", "tool.sh"])
        #expect(try forge.plue.sessions.diff(session.id, format: .stat, as: .operator).contains("files changed"))
        #expect(try forge.plue.sessions.diff(session.id, from: "@", to: "@", as: .operator).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: repository.path + "/index"), "the bare repository never gets an index")
    }

    @Test func revisionsNameChangesCommitsBaseAndTheWorkingCopy() throws {
        try "one\n".write(toFile: session.workdir + "/one.txt", atomically: true, encoding: .utf8)
        let first = try forge.plue.sessions.commit(session.id, message: "one", as: .operator)
        try "two\n".write(toFile: session.workdir + "/two.txt", atomically: true, encoding: .utf8)
        _ = try forge.plue.sessions.commit(session.id, message: "two", as: .operator)
        let changes = try forge.plue.sessions.changes(session.id, as: .operator)
        let oneChange = try #require(changes.first { $0.description == "one\n" })
        #expect(oneChange.changeID == session.currentChange)
        let prefix = String(oneChange.changeID.prefix(12))
        #expect(try forge.plue.sessions.resolve(prefix, session.id, as: .operator) == oneChange.commit)
        #expect(try forge.plue.sessions.resolve(String(oneChange.commit.prefix(8)), session.id, as: .operator) == oneChange.commit)
        #expect(try forge.plue.sessions.resolve("base", session.id, as: .operator) == session.baseCommit)
        #expect(try forge.plue.sessions.diff(session.id, from: prefix, to: "@", format: .nameOnly, as: .operator) == "two.txt\n")
        #expect(first.session.currentChange != session.currentChange)

        let sessions = forge.plue.sessions
        let shown = try sessions.change(session.id, prefix, as: .operator)
        #expect(shown.changeID == oneChange.changeID && shown.commit == oneChange.commit && shown.filesChanged == ["one.txt"])
        #expect(plueError { _ = try sessions.resolve("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", session.id, as: .operator) }?.code == .notFound)
        #expect(plueError { _ = try sessions.resolve("0000000000", session.id, as: .operator) }?.code == .notFound)
        for bad in ["", "HEAD", "main~1", "-x", "../x", "abc", "a b", String(repeating: "k", count: 33)] {
            #expect(plueError { _ = try sessions.resolve(bad, session.id, as: .operator) }?.code == .invalidInput, "\(bad)")
        }
    }

    /// With 17 changes, two share a first letter (there are 16): that one-letter prefix is ambiguous.
    @Test func anAmbiguousChangePrefixIsRefused() throws {
        for index in 0..<16 { _ = try forge.plue.sessions.commit(session.id, message: "change \(index)", as: .operator) }
        let changes = try forge.plue.sessions.changes(session.id, as: .operator)
        #expect(changes.count == 17)
        let letters = Dictionary(grouping: changes, by: { $0.changeID.first! })
        let shared = try #require(letters.first { $0.value.count > 1 }?.key)
        let error = plueError { _ = try forge.plue.sessions.resolve(String(shared), session.id, as: .operator) }
        #expect(error?.code == .invalidInput && error?.message.contains("ambiguous") == true)
    }

    /// A symbolic link that points outside the working directory is recorded as a link; its target
    /// is never read into a snapshot, and reading it gives the link text.
    @Test func symlinksOutsideTheWorkdirAreRecordedAsLinks() throws {
        symlink("/etc/passwd", session.workdir + "/outside")
        symlink("../../../../../../etc", session.workdir + "/up")
        _ = try forge.plue.sessions.snapshot(session.id, as: .operator)
        let files = try forge.plue.sessions.files(session.id, as: .operator)
        #expect(files.first { $0.path == "outside" }?.mode == "120000" && files.first { $0.path == "up" }?.mode == "120000")
        #expect(String(decoding: try forge.plue.sessions.cat(session.id, path: "outside", as: .operator), as: UTF8.self) == "/etc/passwd")
        #expect(plueError { _ = try forge.plue.sessions.cat(session.id, path: "up/passwd", as: .operator) } != nil, "a link is not a directory")
        #expect(!files.contains { $0.path.hasPrefix("up/") })
    }

    @Test func filesAndCatReadAnyState() throws {
        try editEverything()
        let files = try forge.plue.sessions.files(session.id, as: .operator)
        let listing = try git(["ls-tree", "-r", try forge.plue.sessions.show(session.id, as: .operator).workingCopy]).split(separator: "\n")
            .map { line in String(line.split(separator: "\t")[1]) }
        #expect(files.map(\.path) == listing)
        #expect(files.first { $0.path == "link" }?.mode == "120000" && files.first { $0.path == "tool.sh" }?.mode == "100755")
        #expect(try forge.plue.sessions.files(session.id, prefix: "moved", as: .operator).map(\.path) == ["moved/me.txt"])
        #expect(try forge.plue.sessions.files(session.id, at: "base", as: .operator).map(\.path) == ["a.txt", "gone.txt", "move/me.txt", "tool.sh"])
        #expect(Data(try forge.plue.sessions.cat(session.id, path: "bytes.bin", as: .operator)) == Data((0..<300).map { UInt8($0 % 256) }))
        #expect(String(decoding: try forge.plue.sessions.cat(session.id, path: "link", as: .operator), as: UTF8.self) == "a.txt",
                "a symlink is read as its target, never followed")
        #expect(String(decoding: try forge.plue.sessions.cat(session.id, path: "gone.txt", at: "base", as: .operator), as: UTF8.self) == "gone\n")
        for path in ["../etc/passwd", "/etc/passwd/../x", "a/../../b", "a\0b"] {
            #expect(plueError { _ = try forge.plue.sessions.cat(session.id, path: path, as: .operator) }?.code == .invalidInput, "\(path)")
        }
        #expect(plueError { _ = try forge.plue.sessions.cat(session.id, path: "gone.txt", as: .operator) }?.code == .notFound)
        #expect(plueError { _ = try forge.plue.sessions.cat(session.id, path: "moved", as: .operator) }?.code == .invalidInput)
    }

    @Test func aForkIsIndependent() throws {
        try "mine\n".write(toFile: session.workdir + "/mine.txt", atomically: true, encoding: .utf8)
        let snapshot = try #require(try forge.plue.sessions.snapshot(session.id, as: .operator).operation)
        try "later\n".write(toFile: session.workdir + "/later.txt", atomically: true, encoding: .utf8)
        _ = try forge.plue.sessions.snapshot(session.id, as: .operator)
        let originalOps = try forge.plue.sessions.operations(session.id, as: .operator)
        let originalState = try forge.plue.sessions.show(session.id, as: .operator)

        let fork = try forge.plue.sessions.fork(session.id, operation: snapshot.id, title: "fork", as: .operator)
        #expect(fork.id != session.id && fork.workingCopy == snapshot.workingCopy && fork.title == "fork")
        #expect(FileManager.default.fileExists(atPath: fork.workdir + "/mine.txt"))
        #expect(!FileManager.default.fileExists(atPath: fork.workdir + "/later.txt"))
        try "fork only\n".write(toFile: fork.workdir + "/fork.txt", atomically: true, encoding: .utf8)
        _ = try forge.plue.sessions.commit(fork.id, message: "in the fork", as: .operator)

        #expect(try forge.plue.sessions.operations(session.id, as: .operator) == originalOps)
        #expect(try forge.plue.sessions.show(session.id, as: .operator) == originalState)
        #expect(!FileManager.default.fileExists(atPath: session.workdir + "/fork.txt"))
        #expect(try forge.plue.sessions.operations(fork.id, as: .operator).map(\.kind) == ["commit", "fork"])
        let atChange = try forge.plue.sessions.fork(session.id, at: "base", as: .operator)
        #expect(atChange.workingCopy == session.baseCommit)
        #expect(plueError { _ = try forge.plue.sessions.fork(session.id, at: "@", operation: 1, as: .operator) }?.code == .usage)
        #expect(plueError { _ = try forge.plue.sessions.fork(session.id, operation: 9999, as: .operator) }?.code == .notFound)
    }

    @Test func conflictsAgreeWithGitMergeTree() throws {
        // The session edits a.txt and deletes gone.txt; main meanwhile edits both and adds new.txt twice over.
        try "session side\n".write(toFile: session.workdir + "/a.txt", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: session.workdir + "/gone.txt")
        try "from the session\n".write(toFile: session.workdir + "/new.txt", atomically: true, encoding: .utf8)
        let clean = try forge.plue.sessions.conflicts(session.id, as: .operator)
        #expect(!clean.hasConflicts && clean.conflicts.isEmpty && clean.targetCommit == session.baseCommit)

        try "main side\n".write(toFile: seed + "/a.txt", atomically: true, encoding: .utf8)
        try "gone, edited\n".write(toFile: seed + "/gone.txt", atomically: true, encoding: .utf8)
        try "from main\n".write(toFile: seed + "/new.txt", atomically: true, encoding: .utf8)
        _ = try git(["add", "-A"], in: seed)
        _ = try git(["commit", "-q", "-m", "main moves on"], in: seed)
        _ = try git(["push", "-q", repository.path, "main"], in: seed)

        let report = try forge.plue.sessions.conflicts(session.id, as: .operator)
        #expect(report.hasConflicts)
        #expect(report.conflicts.map { "\($0.kind) \($0.path)" } == ["content a.txt", "modify/delete gone.txt", "add/add new.txt"])
        // The same commits through git merge-tree itself: the same conflicted paths, exit 1.
        let tip = try git(["rev-parse", "main"])
        let direct = try Command.run("/usr/bin/git", ["-C", repository.path, "merge-tree", "--write-tree", "--name-only", tip, report.source])
        #expect(direct.status == 1)
        let gitPaths = Array(Set(direct.text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().prefix { !$0.isEmpty }.map(String.init))).sorted()
        #expect(gitPaths == report.conflicts.map(\.path).sorted())
        #expect(try git(["rev-parse", "main"]) == tip, "checking moves nothing")
    }
}
