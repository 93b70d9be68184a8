import Foundation
import PlueKit
import PlueTestSupport
import Testing

/// `session diff --stat`, `--name-status` and `--json`, and `session files` sizes, checked against
/// what the git CLI says about the same two commits.
@Suite struct SessionDiffOutputTests {
    let forge: Forge
    let repository: Repository
    let session: Session

    init() throws {
        forge = try Forge(user: "alice")
        repository = try forge.plue.repositories.create("alice/demo", as: .operator)
        let seed = try forge.workTree(files: [
            "a.txt": "a\n", "move/me.txt": String(repeating: "rename me\n", count: 20), "gone.txt": "gone\n",
            "tool.sh": "#!/bin/sh\n", "typed": "x\n", "big.txt": (1...200).map { "\($0)\n" }.joined(),
            "deep/inside/a/very/long/directory/name/that/will/not/fit/in/eighty/columns.txt": "one\n",
        ])
        try Command.git(["push", "-q", repository.path, "main"], in: seed)
        session = try forge.plue.sessions.new(repository: "alice/demo", as: .operator)
    }

    func git(_ arguments: [String]) throws -> String {
        let result = try Command.run("/usr/bin/git", ["-C", repository.path] + arguments, environment: Command.environment(["COLUMNS": "80"]))
        #expect(result.status == 0, "\(result.errorOutput)")
        return result.text
    }

    /// Every kind of change: modified, added, deleted, renamed, binary, mode only, file to link,
    /// a quoted name, a long path, and one line added (which libgit2 drew as `1 +-`).
    func editEverything() throws {
        let work = session.workdir
        try "a, changed\n".write(toFile: work + "/a.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: work + "/moved", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: work + "/move/me.txt", toPath: work + "/moved/me.txt")
        try FileManager.default.removeItem(atPath: work + "/gone.txt")
        try Data((0..<300).map { UInt8($0 % 256) }).write(to: URL(fileURLWithPath: work + "/bytes.bin"))
        chmod(work + "/tool.sh", 0o755)
        symlink("a.txt", work + "/link")
        try FileManager.default.removeItem(atPath: work + "/typed")
        symlink("a.txt", work + "/typed")
        try stride(from: 1, through: 200, by: 2).map { "\($0)\n" }.joined().write(toFile: work + "/big.txt", atomically: true, encoding: .utf8)
        try "x\ny\n".write(toFile: work + "/sp ace \u{e9}\t\"q\".txt", atomically: true, encoding: .utf8)
        try "one\ntwo\n".write(toFile: work + "/deep/inside/a/very/long/directory/name/that/will/not/fit/in/eighty/columns.txt",
                               atomically: true, encoding: .utf8)
    }

    @Test func statAndNameStatusAreWhatGitPrints() throws {
        try editEverything()
        let stat = try forge.plue.sessions.diff(session.id, format: .stat, as: .operator)
        let current = try forge.plue.sessions.show(session.id, as: .operator)
        #expect(stat == (try git(["diff", "--stat", current.baseCommit, current.workingCopy])))
        #expect(try forge.plue.sessions.diff(session.id, format: .nameStatus, as: .operator)
                == (try git(["diff", "--name-status", current.baseCommit, current.workingCopy])))
        #expect(stat.contains("typed") && stat.contains("Bin 0 -> 300 bytes") && stat.contains("..."))
    }

    @Test func oneAddedLineIsOnePlus() throws {
        try "a\nb\n".write(toFile: session.workdir + "/a.txt", atomically: true, encoding: .utf8)
        let stat = try forge.plue.sessions.diff(session.id, format: .stat, as: .operator)
        #expect(stat == " a.txt | 1 +\n 1 file changed, 1 insertion(+)\n")
        let current = try forge.plue.sessions.show(session.id, as: .operator)
        #expect(stat == (try git(["diff", "--stat", current.baseCommit, current.workingCopy])))
        #expect(try forge.plue.sessions.diff(session.id, from: "@", to: "@", format: .stat, as: .operator).isEmpty)
    }

    @Test func theReportListsEachFileAndThePatch() throws {
        try editEverything()
        let report = try forge.plue.sessions.diffReport(session.id, as: .operator)
        #expect(report.patch == (try forge.plue.sessions.diff(session.id, as: .operator)))
        let byPath = Dictionary(uniqueKeysWithValues: report.files.map { ($0.path, $0) })
        #expect(byPath["a.txt"]?.status.letter == "M" && byPath["a.txt"]?.additions == 1 && byPath["a.txt"]?.deletions == 1)
        #expect(byPath["moved/me.txt"]?.status == .renamed(similarity: 100) && byPath["moved/me.txt"]?.oldPath == "move/me.txt")
        #expect(byPath["gone.txt"]?.status == .deleted && byPath["gone.txt"]?.deletions == 1)
        #expect(byPath["bytes.bin"]?.binary == true && byPath["bytes.bin"]?.additions == 300)
        #expect(byPath["typed"]?.status == .typeChanged)
        #expect(byPath["big.txt"]?.deletions == 100 && byPath["big.txt"]?.additions == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json.rendered().utf8)) as? [String: Any])
        let files = try #require(json["files"] as? [[String: Any]])
        #expect(files.count == report.files.count && json["patch"] as? String == report.patch)
        #expect(files.first { $0["path"] as? String == "moved/me.txt" }?["oldPath"] as? String == "move/me.txt")
        #expect(files.first { $0["path"] as? String == "a.txt" }?.keys.contains("oldPath") == false)
    }

    @Test func filesGiveEachBlobItsSize() throws {
        try editEverything()
        let files = try forge.plue.sessions.files(session.id, as: .operator)
        let commit = try forge.plue.sessions.show(session.id, as: .operator).workingCopy
        for file in files {
            #expect(file.size == Int64(try git(["cat-file", "-s", file.object]).trimmingCharacters(in: .whitespacesAndNewlines)), "\(file.path)")
        }
        #expect(files.first { $0.path == "bytes.bin" }?.size == 300 && files.first { $0.path == "link" }?.size == 5)
        // Packed objects too: the size comes from the object's header wherever it is stored.
        _ = try git(["gc", "-q"])
        #expect(try forge.plue.sessions.files(session.id, at: commit, as: .operator).map(\.size) == files.map(\.size))
    }
}
