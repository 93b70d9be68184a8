import Foundation
import PlueTestSupport
import Testing

/// man/plue.1 and completions/ are generated from the argument parser; these fail when a change to
/// the commands was not followed by `scripts/docs`.
@Suite struct DocsAreCurrentTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionsAreCurrent(_ shell: String) throws {
        let generated = try Command.run(try PlueBinary.path, ["--generate-completion-script", shell])
        #expect(generated.status == 0)
        let committed = try Data(contentsOf: URL(fileURLWithPath: Self.root + "/completions/plue.\(shell)"))
        #expect(generated.output == committed, "completions/plue.\(shell) is stale: run scripts/docs and commit the result")
    }

    @Test func manPageIsCurrent() throws {
        let tool = Self.root + "/.build/debug/generate-manual"
        try #require(FileManager.default.isExecutableFile(atPath: tool),
                     "\(tool) is not built; scripts/test builds it (swift build --product generate-manual)")
        let committed = try String(contentsOfFile: Self.root + "/man/plue.1", encoding: .utf8)
        // Regenerate with the committed page's own date, so only the content is compared.
        let dateLine = try #require(committed.split(separator: "\n").first { $0.hasPrefix(".Dd ") })
        let date = try Self.isoDate(fromMdocDate: String(dateLine.dropFirst(4)))
        let output = TemporaryDirectory("plue-man")
        let result = try Command.run(tool, [try PlueBinary.path, "--date", date, "--output-directory", output.path])
        #expect(result.status == 0, "\(result.errorOutput)")
        let generated = try String(contentsOfFile: output.path + "/plue.1", encoding: .utf8)
        #expect(generated == committed, "man/plue.1 is stale: run scripts/docs and commit the result")
    }

    @Test func theReadmeNamesTheTwoCommandsAndCIRunsTheTestOne() throws {
        let readme = try String(contentsOfFile: Self.root + "/README.md", encoding: .utf8)
        #expect(readme.contains("scripts/run") && readme.contains("scripts/test"))
        let ci = try String(contentsOfFile: Self.root + "/.ci/run", encoding: .utf8)
        #expect(ci.contains("scripts/test"))
    }

    /// `.Dd November 25, 2026` → `2026-11-25`.
    static func isoDate(fromMdocDate text: String) throws -> String {
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                      "October", "November", "December"]
        let parts = text.replacingOccurrences(of: ",", with: "").split(separator: " ")
        guard parts.count == 3, let month = months.firstIndex(of: String(parts[0])), let day = Int(parts[1]) else {
            throw CommandFailure(description: "unexpected man page date '\(text)'")
        }
        return String(format: "%@-%02d-%02d", String(parts[2]), month + 1, day)
    }
}
