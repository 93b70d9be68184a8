import Foundation
import PlueTestSupport
import Testing

/// Jujutsu's example of undo through the built binary: after A, B, C, an undo, then E, undo twice
/// goes back to A, jumping over C, and redo walks the same stack forward.
@Suite struct SessionUndoEndToEndTests {
    @Test func undoAfterANewOperationJumpsOverTheOlderUndoAndRedoMirrorsIt() throws {
        let directory = TemporaryDirectory("plue-undo-e2e")
        let home = directory.child("home")
        let plue = try PlueRunner(home: home)
        try plue.setUpDemo(seed: directory.child("seed"), files: ["README": "base\n"])
        let session = try #require(try plue.json(["session", "new", "alice/demo"]) as? [String: Any])
        let id = try #require(session["id"] as? String)
        let work = home + "/sessions/\(id)/work"

        func write(_ path: String, _ text: String) throws {
            try text.write(toFile: work + "/" + path, atomically: true, encoding: .utf8)
        }
        /// The working directory's files and their contents.
        func files() throws -> [String: String] {
            var files: [String: String] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: work) where name != ".git" {
                files[name] = try String(contentsOfFile: work + "/" + name, encoding: .utf8)
            }
            return files
        }
        /// Runs snapshot, undo or redo with --json and returns the operation it recorded.
        func operation(_ arguments: [String]) throws -> [String: Any] {
            let result = try #require(try plue.json(["session"] + arguments) as? [String: Any])
            return try #require(result["operation"] as? [String: Any], "plue session \(arguments.joined(separator: " ")) recorded nothing")
        }

        try write("a.txt", "A\n")
        let a = try operation(["snapshot", id, "-m", "A"])
        try write("b.txt", "B\n")
        let b = try operation(["snapshot", id, "-m", "B"])
        try write("c.txt", "C\n")
        let c = try operation(["snapshot", id, "-m", "C"])
        let stateA = ["README": "base\n", "a.txt": "A\n"]
        let stateB = stateA.merging(["b.txt": "B\n"]) { $1 }
        let stateE = stateB.merging(["a.txt": "E\n"]) { $1 }

        let undoC = try operation(["undo", id])
        #expect(undoC["target"] as? Int == c["id"] as? Int && undoC["restored"] as? Int == b["id"] as? Int)
        #expect(try files() == stateB)

        try write("a.txt", "E\n")
        let e = try operation(["snapshot", id, "-m", "E"])
        #expect(try files() == stateE)

        // Undo E goes back to B, the view the undo of C brought back, not to that undo itself.
        let undoE = try operation(["undo", id])
        #expect(undoE["target"] as? Int == e["id"] as? Int && undoE["restored"] as? Int == b["id"] as? Int)
        #expect(try files() == stateB)

        // Undo again takes back B, not the undo of C: back to A, and C is jumped over.
        let undoB = try operation(["undo", id])
        #expect(undoB["target"] as? Int == b["id"] as? Int && undoB["restored"] as? Int == a["id"] as? Int)
        #expect(try files() == stateA)
        let workingCopy = try #require(undoB["workingCopy"] as? String)
        let repository = home + "/repos/alice/demo.git"
        #expect(try Command.git(["-C", repository, "ls-tree", "-r", "--name-only", workingCopy]) == "README\na.txt")
        #expect(try Command.git(["-C", repository, "cat-file", "-p", workingCopy + ":a.txt"]) == "A")
        #expect(workingCopy == a["workingCopy"] as? String, "undo brings back A's commit itself")

        // Redo walks the same stack forward: B, then E, then nothing (C was undone before E).
        let redoB = try operation(["redo", id])
        #expect(redoB["target"] as? Int == undoB["id"] as? Int && redoB["restored"] as? Int == undoE["id"] as? Int)
        #expect(try files() == stateB)
        let redoE = try operation(["redo", id])
        #expect(redoE["target"] as? Int == undoE["id"] as? Int && redoE["restored"] as? Int == e["id"] as? Int)
        #expect(try files() == stateE)
        #expect(try Command.git(["-C", repository, "cat-file", "-p", (redoE["workingCopy"] as? String ?? "") + ":a.txt"]) == "E")
        let nothing = try plue.run(["session", "redo", id])
        #expect(nothing.status == 1 && nothing.errorOutput.contains("nothing to redo"), "\(nothing.status): \(nothing.errorOutput)")
        #expect(try files() == stateE)

        // And back again: undo after the redos retraces them.
        _ = try operation(["undo", id])
        #expect(try files() == stateB)
        _ = try operation(["undo", id])
        #expect(try files() == stateA)
        _ = try operation(["undo", id])
        #expect(try files() == ["README": "base\n"])
        let nothingToUndo = try plue.run(["session", "undo", id])
        #expect(nothingToUndo.status == 1 && nothingToUndo.errorOutput.contains("nothing to undo"), "\(nothingToUndo.errorOutput)")
        #expect(try files() == ["README": "base\n"])
    }
}
