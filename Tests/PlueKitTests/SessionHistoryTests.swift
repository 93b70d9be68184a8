import Foundation
import PlueKit
import PlueTestSupport
import Testing

/// Undo, redo and restore bring the working directory back byte for byte, untracked and deleted
/// files included, and are themselves operations that can be undone.
@Suite struct SessionHistoryTests {
    let forge: Forge
    let session: Session

    init() throws {
        forge = try Forge(user: "alice")
        let repository = try forge.plue.repositories.create("alice/demo", as: .operator)
        let work = try forge.workTree(files: ["a.txt": "a1\n", "keep.txt": "keep\n", ".gitignore": "*.log\n"])
        try Command.git(["push", "-q", repository.path, "main"], in: work)
        session = try forge.plue.sessions.new(repository: "alice/demo", as: .operator)
    }

    /// Every file under the working directory (but .log files, which are ignored) with its bytes.
    func state() throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: session.workdir)
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: session.workdir + "/" + path, isDirectory: &isDirectory)
            if !isDirectory.boolValue && !path.hasSuffix(".log") {
                files[path] = try Data(contentsOf: URL(fileURLWithPath: session.workdir + "/" + path))
            }
        }
        return files
    }

    func write(_ path: String, _ text: String) throws {
        let full = session.workdir + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: true, encoding: .utf8)
    }

    /// Undo after redo after undo names the operation it takes back with a brief of its
    /// description, not the whole chain: forty pairs made one description of 2 KB.
    @Test func descriptionsDoNotNestWithoutEnd() throws {
        try "b\n".write(toFile: session.workdir + "/b.txt", atomically: true, encoding: .utf8)
        _ = try forge.plue.sessions.snapshot(session.id, message: "add b", as: .operator)
        for _ in 0..<20 {
            _ = try forge.plue.sessions.undo(session.id, as: .operator)
            _ = try forge.plue.sessions.redo(session.id, as: .operator)
        }
        let descriptions = try forge.plue.sessions.operations(session.id, as: .operator).map(\.description)
        #expect(descriptions.allSatisfy { $0.count <= 120 }, "\(descriptions.max { $0.count < $1.count } ?? "")")
        #expect(descriptions.first?.hasPrefix("redo operation") == true)
    }

    @Test func undoRedoAndRestoreWalkTheLog() throws {
        let sessions = forge.plue.sessions
        let s0 = try state()
        try write("a.txt", "a2\n")
        try write("new/untracked.txt", "new\n")
        _ = try sessions.snapshot(session.id, message: "one", as: .operator)
        let s1 = try state()
        try FileManager.default.removeItem(atPath: session.workdir + "/keep.txt")
        try write("b.txt", "b\n")
        _ = try sessions.snapshot(session.id, message: "two", as: .operator)
        let s2 = try state()
        #expect(s0 != s1 && s1 != s2)

        // Undo twice goes two steps back; ignored files are left alone.
        try write("debug.log", "ignored\n")
        _ = try sessions.undo(session.id, as: .operator)
        #expect(try state() == s1)
        _ = try sessions.undo(session.id, as: .operator)
        #expect(try state() == s0)
        #expect(plueError { _ = try sessions.undo(session.id, as: .operator) }?.code == .failed, "nothing before the first operation")
        #expect(FileManager.default.fileExists(atPath: session.workdir + "/debug.log"))

        // Redo walks forward again, and no further than where the undos started.
        _ = try sessions.redo(session.id, as: .operator)
        #expect(try state() == s1)
        _ = try sessions.redo(session.id, as: .operator)
        #expect(try state() == s2)
        #expect(plueError { _ = try sessions.redo(session.id, as: .operator) }?.code == .failed)

        // Restore any operation; a restore is undone like any other operation.
        let operations = try sessions.operations(session.id, as: .operator)
        let one = try #require(operations.first { $0.description == "one" })
        _ = try sessions.restore(session.id, operation: one.id, as: .operator)
        #expect(try state() == s1)
        _ = try sessions.undo(session.id, as: .operator)
        #expect(try state() == s2)
        // Restore of a restore.
        let restoreOp = try #require(try sessions.operations(session.id, as: .operator).first { $0.kind == "restore" })
        _ = try sessions.restore(session.id, operation: restoreOp.id, as: .operator)
        #expect(try state() == s1)
        #expect(plueError { _ = try sessions.restore(session.id, operation: 99_999, as: .operator) }?.code == .notFound)
    }

    @Test func editsMadeBeforeAnUndoAreKept() throws {
        let sessions = forge.plue.sessions
        try write("a.txt", "first edit\n")
        _ = try sessions.snapshot(session.id, message: "first", as: .operator)
        try write("a.txt", "unsnapshotted edit\n")
        try write("fresh.txt", "never snapshotted\n")
        let before = try state()
        let undone = try sessions.undo(session.id, as: .operator)
        // The undo snapshotted first: the unsnapshotted edit is in the log, and undo took back that snapshot.
        let snapshot = try #require(try sessions.operations(session.id, as: .operator).first { $0.description == "snapshot before undo" })
        #expect(undone.operation?.target == snapshot.id)
        #expect(try String(contentsOfFile: session.workdir + "/a.txt", encoding: .utf8) == "first edit\n")
        _ = try sessions.restore(session.id, operation: snapshot.id, as: .operator)
        #expect(try state() == before)
    }
}
