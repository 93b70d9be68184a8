import Foundation
import PlueKit
import PlueTestSupport
import Testing

/// A snapshot whose only change is one deletion, or one executable bit: the kinds of change a
/// snapshot finds without reading any file's contents, so nothing else may stand in for them. Each
/// is checked through the service with the git CLI, and undone.
@Suite struct SnapshotSingleChangeTests {
    let forge: Forge
    let repository: Repository
    let session: Session

    init() throws {
        forge = try Forge(user: "alice")
        repository = try forge.plue.repositories.create("alice/demo", as: .operator)
        let work = try forge.workTree(files: ["a.txt": "a\n", "run.sh": "#!/bin/sh\necho hi\n", "src/deep/only.txt": "only\n"])
        try Command.git(["push", "-q", repository.path, "main"], in: work)
        session = try forge.plue.sessions.new(repository: "alice/demo", as: .operator)
        // Files checked out within the timestamp granularity of the session's index may be racily
        // clean (git's term), and a racy file is read again whatever changed, which could record a
        // mode change the quick check missed. An agent's edits come later: settle them first.
        usleep(20_000)
        _ = try forge.plue.sessions.snapshot(session.id, as: .operator)
    }

    func git(_ arguments: [String]) throws -> String { try Command.git(["-C", repository.path] + arguments) }

    /// `git ls-tree -r` of a commit as "mode path" lines.
    func files(_ commit: String) throws -> [String] {
        try git(["ls-tree", "-r", commit]).split(separator: "\n").map { line in
            let parts = line.split(separator: "\t")
            return "\(parts[0].split(separator: " ")[0]) \(parts[1])"
        }
    }

    func permissions(_ path: String) -> mode_t {
        var info = stat()
        return lstat(session.workdir + "/" + path, &info) == 0 ? info.st_mode & 0o7777 : 0
    }

    /// Snapshots, requires an operation, and returns the commit it recorded.
    func snapshotRecordingAChange() throws -> String {
        let before = try forge.plue.sessions.operations(session.id, as: .operator)
        let result = try forge.plue.sessions.snapshot(session.id, message: "the change", as: .operator)
        let operation = try #require(result.operation, "the snapshot recorded no operation")
        #expect(operation.kind == "snapshot" && operation.parent == before.first?.id)
        #expect(try forge.plue.sessions.operations(session.id, as: .operator).map(\.id) == [operation.id] + before.map(\.id))
        #expect(operation.workingCopy == result.session.workingCopy)
        #expect(try git(["rev-parse", session.bookmark]) == operation.workingCopy)
        return operation.workingCopy
    }

    /// Undoes the last operation and checks the session is back at `commit`'s tree, with nothing
    /// left for a further snapshot to find.
    func undoBringsBack(_ commit: String) throws {
        let undone = try forge.plue.sessions.undo(session.id, as: .operator)
        #expect(undone.operation?.kind == "undo")
        #expect(try git(["rev-parse", "\(undone.session.workingCopy)^{tree}"]) == (try git(["rev-parse", "\(commit)^{tree}"])))
        #expect(try forge.plue.sessions.snapshot(session.id, as: .operator).operation == nil, "the working directory matches what undo recorded")
    }

    @Test(arguments: ["a.txt", "src/deep/only.txt"])
    func aDeletionAloneIsRecordedAndUndone(path: String) throws {
        let before = try forge.plue.sessions.show(session.id, as: .operator).workingCopy
        let bytes = try Data(contentsOf: URL(fileURLWithPath: session.workdir + "/" + path))
        try FileManager.default.removeItem(atPath: session.workdir + "/" + path)

        let commit = try snapshotRecordingAChange()
        #expect(try git(["diff-tree", "-r", "--name-status", before, commit]) == "D\t\(path)")
        #expect(!(try files(commit)).contains { $0.hasSuffix(" " + path) })
        #expect(try files(commit).count == (try files(before)).count - 1)

        try undoBringsBack(before)
        #expect(try Data(contentsOf: URL(fileURLWithPath: session.workdir + "/" + path)) == bytes)
    }

    @Test func aModeChangeAloneIsRecordedAndUndone() throws {
        let before = try forge.plue.sessions.show(session.id, as: .operator).workingCopy
        let old = permissions("run.sh")
        #expect(try files(before).contains("100644 run.sh") && old & 0o111 == 0, "0644 under the usual umask")
        chmod(session.workdir + "/run.sh", 0o755)

        let commit = try snapshotRecordingAChange()
        #expect(try files(commit).contains("100755 run.sh"))
        // Only the mode changed: the same blob under a new mode, and nothing else.
        let blob = try git(["rev-parse", "\(before):run.sh"])
        #expect(try git(["diff-tree", "-r", before, commit]) == ":100644 100755 \(blob) \(blob) M\trun.sh")

        try undoBringsBack(before)
        #expect(permissions("run.sh") == old)
        #expect(try git(["show", "\(try forge.plue.sessions.show(session.id, as: .operator).workingCopy):run.sh"]) == "#!/bin/sh\necho hi")
    }
}
