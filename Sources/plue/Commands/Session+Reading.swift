import ArgumentParser
import Foundation
import PlueKit

extension PlueCommand.SessionCommand {
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff",
            abstract: "Show the difference between two states as a patch git apply accepts.",
            discussion: """
                REV is @ (the working copy, snapshotted first), base, a change id or unique prefix, or a commit id or \
                unique prefix. --stat draws exactly what `git diff --stat OLD NEW` draws for the same two states; \
                --name-status prints one line per file as git does (A added, M modified, D deleted, T type changed, \
                R100 renamed with its similarity, then the old and new paths). --json prints an object with `files` \
                (each with status, path, oldPath for a rename, additions, deletions and binary; a binary file counts \
                its sizes in bytes) and `patch`.
                """)
        @Argument(help: "The session id.") var id: String
        @Option(help: ArgumentHelp("The old state (default: base).", valueName: "rev")) var from: String?
        @Option(help: ArgumentHelp("The new state (default: @).", valueName: "rev")) var to: String?
        @Flag(help: "A summary of changed files and lines, as git diff --stat draws it, instead of the patch.") var stat = false
        @Flag(help: "Only the names of changed files.") var nameOnly = false
        @Flag(help: "The names of changed files with their status (A, M, D, T, R), as git diff --name-status.") var nameStatus = false

        @OptionGroup var limit: NewFileLimitOptions
        @OptionGroup var options: ReportOptions

        func run() throws {
            let formats = [stat, nameOnly, nameStatus, options.json].filter { $0 }.count
            guard formats <= 1 else {
                throw PlueError.usage("give at most one of --stat, --name-only, --name-status and --json")
            }
            let sessions = try limit.sessions(options.open())
            if options.json {
                options.render(try sessions.diffReport(id, from: from, to: to, as: .operator)) { _ in "" }
                return
            }
            let format: SessionService.DiffFormat = stat ? .stat : nameOnly ? .nameOnly : nameStatus ? .nameStatus : .patch
            FileHandle.standardOutput.write(Data(try sessions.diff(id, from: from, to: to, format: format, as: .operator).utf8))
        }
    }

    struct Files: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "files", abstract: "List the files of a state.",
            discussion: "Text: mode, object id and path. JSON: each entry with its size in bytes (null for a submodule).")
        @Argument(help: "The session id.") var id: String
        @Argument(help: "Only files below this path.") var prefix = ""
        @Option(help: ArgumentHelp("The state (default: @).", valueName: "rev")) var at: String?
        @OptionGroup var limit: NewFileLimitOptions
        @OptionGroup var options: ReportOptions

        func run() throws {
            let files = try limit.sessions(options.open()).files(id, at: at, prefix: prefix, as: .operator)
            options.render(files) { $0.map { "\($0.mode) \($0.object)\t\(TerminalText.line($0.path))" }.joined(separator: "\n") }
        }
    }

    struct Cat: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "cat", abstract: "Print a file's raw bytes in a state.")
        @Argument(help: "The session id.") var id: String
        @Argument(help: "The file's path.") var path: String
        @Option(help: ArgumentHelp("The state (default: @).", valueName: "rev")) var at: String?
        @OptionGroup var limit: NewFileLimitOptions
        @OptionGroup var options: HomeOptions

        func run() throws {
            FileHandle.standardOutput.write(Data(try limit.sessions(options.open()).cat(id, path: path, at: at, as: .operator)))
        }
    }

    struct Fork: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fork", abstract: "Start a new, independent session from a state of this one; the original is untouched.")
        @Argument(help: "The session id.") var id: String
        @Option(help: ArgumentHelp("Start from this change or commit.", valueName: "rev")) var at: String?
        @Option(help: ArgumentHelp("Start from the state this operation left.", valueName: "op")) var op: Int64?
        @Option(help: "A title (default: the original's).") var title: String?
        @OptionGroup var options: ReportOptions

        func run() throws {
            let session = try options.open().sessions.fork(id, at: at, operation: op, title: title, as: .operator)
            options.render(session) { "Forked session \($0.id) from \(id)\n  workdir: \($0.workdir)" }
        }
    }

    struct Conflicts: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "conflicts",
            abstract: "Would the session land cleanly on the current tip of its base branch? (as git merge-tree --write-tree says)")
        @Argument(help: "The session id.") var id: String
        @OptionGroup var limit: NewFileLimitOptions
        @OptionGroup var options: ReportOptions

        func run() throws {
            let report = try limit.sessions(options.open()).conflicts(id, as: .operator)
            options.render(report) { report in
                guard report.hasConflicts else { return "Clean: lands on \(report.target) (\(report.targetCommit.prefix(12))) without conflicts." }
                return (["Conflicts with \(report.target) (\(report.targetCommit.prefix(12))):"]
                    + report.conflicts.map { "  \($0.kind)\t\(TerminalText.line($0.path))" }).joined(separator: "\n")
            }
        }
    }
}
