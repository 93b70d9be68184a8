import ArgumentParser
import PlueKit

extension PlueCommand.SessionCommand {
    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete",
            abstract: "Delete a session: its directory, its refs and its history. This cannot be undone.",
            discussion: """
                Removes HOME/sessions/ID (working directory, index, lock), the bookmark refs/plue/sessions/ID, the \
                refs/plue/keep/ refs of commits no other session reaches (a fork keeps what it shares), and the \
                session's operations and turns. Commits already landed stay on their branch; land entries stay and \
                name the session by id. Pass --yes to confirm. A session with a running turn is refused (exit 75) \
                unless --force; stop the turn first with `plue session abort ID`. To free only the working \
                directory and keep the history, use `plue session gc`.
                """)
        @Argument(help: "The session id.") var id: String
        @Flag(help: "Confirm the deletion.") var yes = false
        @Flag(help: "Delete even while a turn is marked running (its agent is not stopped).") var force = false
        @OptionGroup var options: ReportOptions

        func run() throws {
            let deletion = try options.open().sessions.delete(id, confirmed: yes, force: force, as: .operator)
            options.render(deletion) { deletion in
                "Deleted session \(deletion.id) of \(deletion.repository): \(deletion.bytesFreed) bytes freed, "
                    + "\(deletion.refsRemoved.count) refs, \(deletion.operationsRemoved) operations and \(deletion.turnsRemoved) turns removed"
            }
        }
    }

    struct GC: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gc",
            abstract: "Remove the working directories of landed and aborted sessions idle for a while; keep their history.",
            discussion: """
                For each landed or aborted session (of OWNER/NAME, or of every repository) whose newest operation is \
                older than --older-than days, removes HOME/sessions/ID/work and HOME/sessions/ID/index. Operations, \
                turns and refs/plue/ refs stay, so `plue session show`, `diff`, `files` and `fork` go on working; \
                fork one to get a working directory again. A session is left, with the reason, when another command \
                is working on it, a turn still runs, or its working directory holds files its last operation does \
                not (changed after it, or too large or special to record): copy them out, then pass --force. Files \
                .gitignore names are never recorded and are removed with the directory; so is the agent's own .git, \
                unless it holds commits, a stash or branches of its own (then the session is left). Without a \
                repository, folders an hour old that no session records (a killed session new or fork) go too. \
                Reports each directory removed and the bytes freed.
                """)
        @Argument(help: ArgumentHelp("Only this repository's sessions.", valueName: "owner/name")) var fullName: String?
        @Option(help: ArgumentHelp("Only sessions whose last operation is older than this many days.", valueName: "days"))
        var olderThan = 14
        @Flag(help: "Remove working directories even when they hold files no operation recorded.") var force = false
        @OptionGroup var options: ReportOptions

        func run() throws {
            let collection = try options.open().sessions.collectGarbage(repository: fullName, olderThan: olderThan, force: force,
                                                                        as: .operator)
            options.render(collection) { collection in
                var lines = collection.removed.map {
                    "removed \($0.id) (\($0.repository), last active \(Timestamp.iso8601($0.lastActivity))): \($0.bytesFreed) bytes"
                }
                lines += collection.left.map { "left \($0.id) (\($0.repository)): \($0.reason)" }
                lines += collection.abandoned.map { "removed \($0.path), left by a killed session new or fork: \($0.bytesFreed) bytes" }
                lines.append("\(collection.removed.count) working directories removed, \(collection.bytesFreed) bytes freed")
                return lines.joined(separator: "\n")
            }
        }
    }
}
