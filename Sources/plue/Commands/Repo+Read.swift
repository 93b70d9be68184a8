import ArgumentParser
import Foundation
import PlueKit

extension PlueCommand.Repo {
    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "log", abstract: "List commits, newest first.")
        @Argument(help: ArgumentHelp("The repository.", valueName: "owner/name")) var fullName: String
        @Option(help: "A branch, tag or commit (default: the default branch).") var ref: String?
        @Option(name: .short, help: "How many commits at most.") var n = 20
        @OptionGroup var options: ReportOptions

        func run() throws {
            let commits = try options.open().repositories.log(fullName, ref: ref, limit: n, as: .operator)
            options.render(commits) { commits in
                commits.map { "\($0.commit.prefix(12))  \(Timestamp.iso8601($0.author.time))  \(TerminalText.line($0.author.name))  \(TerminalText.line($0.summary))" }
                    .joined(separator: "\n")
            }
        }
    }

    struct Tree: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tree", abstract: "List the files and directories at a path.")
        @Argument(help: ArgumentHelp("The repository.", valueName: "owner/name")) var fullName: String
        @Argument(help: "A directory in the repository (default: the root).") var path = ""
        @Option(help: "A branch, tag or commit (default: the default branch).") var ref: String?
        @OptionGroup var options: ReportOptions

        func run() throws {
            let entries = try options.open().repositories.tree(fullName, ref: ref, path: path, as: .operator)
            options.render(entries) { entries in
                entries.map { entry in
                    let size = entry.size.map(String.init) ?? "-"
                    return "\(entry.mode) \(entry.type) \(entry.object) \(String(repeating: " ", count: max(0, 7 - size.count)))\(size)\t\(TerminalText.line(entry.path))"
                }.joined(separator: "\n")
            }
        }
    }

    struct Cat: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cat", abstract: "Print a file's raw bytes.")
        @Argument(help: ArgumentHelp("The repository.", valueName: "owner/name")) var fullName: String
        @Argument(help: "The file's path in the repository.") var path: String
        @Option(help: "A branch, tag or commit (default: the default branch).") var ref: String?
        @OptionGroup var options: HomeOptions

        func run() throws {
            let bytes = try options.open().repositories.cat(fullName, path: path, ref: ref, as: .operator)
            FileHandle.standardOutput.write(Data(bytes))
        }
    }

    struct Events: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "events",
            abstract: "List push events, newest first: one per ref a push moved.",
            discussion: "The old commit is all zeros when a push created the ref, the new one when it deleted it.")
        @Argument(help: ArgumentHelp("The repository.", valueName: "owner/name")) var fullName: String
        @Option(name: .short, help: "How many events at most.") var n = 50
        @OptionGroup var options: ReportOptions

        func run() throws {
            let events = try options.open().pushes.events(fullName, limit: n, as: .operator)
            options.render(events) { events in
                TextTable.render(
                    header: ["ID", "TIME", "REF", "OLD", "NEW", "PUSHER"],
                    rows: events.map {
                        ["\($0.id)", Timestamp.iso8601($0.pushedAt), $0.ref, String($0.oldCommit.prefix(12)),
                         String($0.newCommit.prefix(12)), $0.pusher ?? "-"]
                    },
                    empty: "No pushes yet.")
            }
        }
    }
}
