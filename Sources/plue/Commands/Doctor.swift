import ArgumentParser
import PlueKit

#if canImport(Glibc)
import Glibc
#endif

extension PlueCommand {
    struct Doctor: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "doctor",
            abstract: "Check a home for problems; with --fix, repair what is safe to repair.",
            discussion: """
                Checks: the database (SQLite's integrity check; its migrations against the ones this plue \
                knows); HOME/secret (a file of mode 0600 holding 32 bytes); each repository's pre-receive and \
                post-receive hooks, which carry the absolute paths of the plue binary and of the home, so \
                moving or removing either breaks every push; repository and session folders no row records, and \
                rows whose folder is missing; what killed commands left in repos/.staging, repos/.trash and \
                sessions/.staging; turns marked running whose plue is gone.

                --fix rewrites hooks that are missing or exactly as Plue wrote them, to call the plue running \
                doctor (run the one the hooks should call); removes staging and trash entries untouched for an \
                hour, the age after which `repo create` and `session gc` remove them too, never through a \
                symbolic link; closes stuck turns as interrupted, as the session's next command would (their \
                agent is stopped, their files recorded); applies missing migrations; sets the secret's mode \
                to 0600. It leaves, and says how to handle by hand: a damaged or newer database, a wrong \
                secret, a hook edited by hand, and folders without rows or rows without folders (which half \
                to keep is your decision).

                Prints each finding with what was done or what to do. Works on a damaged home: a missing or \
                unreadable database is a finding, and only the checks that need it are skipped. Without \
                --fix it changes nothing. Exit status 0 when nothing remains, 1 while any finding remains. \
                --json prints {"home", "findings": [{"code", "path", "name", "message", "remedy", "fixable", \
                "fixed"}], "fixed", "remaining"}.
                """)
        @Flag(help: "Repair what is safe to repair: hooks Plue wrote, staging leftovers, stuck turns, migrations, the secret's mode.")
        var fix = false
        @OptionGroup var options: ReportOptions

        func run() throws {
            let report = try HomeDoctor(home: options.invocation.resolveHome()).examine(fix: fix)
            options.render(report, Self.describe)
            if report.remaining > 0 { Glibc.exit(PlueError.Code.failed.exitCode) }
        }

        static func describe(_ report: DoctorReport) -> String {
            guard !report.findings.isEmpty else { return "No problems found in \(TerminalText.line(report.home))" }
            var lines: [String] = []
            for finding in report.findings {
                let status = finding.fixed ? "fixed" : finding.fixable ? "fixable" : "manual"
                lines.append("[\(status)] \(TerminalText.line(finding.path ?? finding.name ?? report.home))")
                lines.append("  " + TerminalText.line(finding.message))
                lines.append("  " + TerminalText.line(finding.remedy))
            }
            let fixable = report.findings.filter { $0.fixable && !$0.fixed }.count
            if report.remaining == 0 {
                lines.append("\(report.fixed) fixed, none remain")
            } else {
                lines.append("\(report.remaining) of \(report.findings.count) findings remain (\(report.fixed) fixed)"
                             + (fixable > 0 ? "; `plue doctor --fix` repairs \(fixable) of them" : ""))
            }
            return lines.joined(separator: "\n")
        }
    }
}
