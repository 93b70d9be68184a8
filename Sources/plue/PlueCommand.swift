import ArgumentParser
import PlueKit

import Glibc

/// The `plue` root command: parses, runs one subcommand, and turns `PlueError`s into exit codes.
@main
struct PlueCommand: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "plue",
        abstract: "A self-hosted software forge for people and AI coding agents.",
        discussion: """
            Plue keeps bare git repositories and one SQLite metadata file in a home directory. \
            Every command takes --home DIR after its name; without it Plue uses $PLUE_HOME, \
            then $XDG_DATA_HOME/plue, then ~/.local/share/plue. Create a home with `plue init`.

            Exit codes: 0 ok, 1 the operation ran and failed, 64 usage, 65 invalid input, 66 not found, \
            70 internal error, 73 already exists, 75 temporarily unavailable (retry), 77 permission denied \
            (also an API token that is not valid, or lacks the scope, repository or session).
            """,
        version: version,
        subcommands: [Init.self, User.self, Repo.self, SSHKeyCommand.self, DeployKeyCommand.self,
                      SessionCommand.self, AgentCommand.self, Land.self, WorkflowCommand.self, Runner.self, Branch.self, Token.self, Audit.self, Serve.self, Doctor.self, SSHAuthorize.self, SSHServe.self, SSHDConfig.self, Hook.self]
    )

    static func main() {
        let arguments = commandLineArguments()
        do {
            if let line = InternalCommandLine(arguments) {
                try line.run()
                return
            }
            try refuseGroupedShortOptions(arguments)
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch let error as PlueError {
            report(error, json: wantsJSON(arguments))
            Glibc.exit(error.code.exitCode)
        } catch let interrupted as InterruptedBySignal {
            // What was staged is removed (the error unwound through it): end as the signal asked.
            signal(interrupted.signal, SIG_DFL)
            var only = sigset_t()
            sigemptyset(&only)
            sigaddset(&only, interrupted.signal)
            pthread_sigmask(SIG_UNBLOCK, &only, nil)
            raise(interrupted.signal)
            Glibc.exit(128 + interrupted.signal)
        } catch {
            // ArgumentParser's own errors (usage, --help, --version) and anything unexpected.
            let status = exitCode(for: error).rawValue
            guard status != 0, wantsJSON(arguments) else { exit(withError: error) }
            let code = PlueError.Code.allCases.first { $0.exitCode == status } ?? .internalError
            report(PlueError(code, message(for: error)), json: true)
            Glibc.exit(status)
        }
    }

    /// The arguments after the program name, read from `argv` with a plain loop: the standard
    /// library's `CommandLine.arguments` builds them with a generic `map` whose first use cost
    /// 0.2 ms in the runtime's conformance lookups, on every push and SSH login.
    static func commandLineArguments() -> [String] {
        let count = Int(CommandLine.argc)
        var result: [String] = []
        result.reserveCapacity(count)
        var index = 1
        while index < count {
            if let argument = CommandLine.unsafeArgv[index] { result.append(String(cString: argument)) }
            index += 1
        }
        return result
    }

    /// Plue has no short flags that combine, so `-dash` is a mistyped path or option, never `-d -a
    /// -s -h` (which ArgumentParser would answer with help and exit 0). A value that starts with
    /// `-` goes after `--`, or joined to its option (`--ref=-x`).
    static func refuseGroupedShortOptions(_ arguments: [String]) throws {
        for argument in arguments {
            if argument == "--" { return }
            let bytes = argument.utf8
            let letters = bytes.dropFirst().allSatisfy { (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
            guard bytes.count > 2, bytes.first == UInt8(ascii: "-"), letters else { continue }
            throw PlueError.usage("unknown option '\(argument)': Plue's short options do not combine; "
                                  + "to pass a name or path that starts with '-', put it after `--`")
        }
    }

    /// Whether `--json` is on the command line before any `--`: then an error is reported as JSON
    /// too, even one ArgumentParser found before the command could be parsed.
    static func wantsJSON(_ arguments: [String]) -> Bool {
        for argument in arguments {
            if argument == "--" { return false }
            if argument == "--json" { return true }
        }
        return false
    }

    /// `error: MESSAGE` on standard error, or with `json` one document
    /// `{"error": {"code": "notFound", "message": "...", "cause": "..."}}` (cause only when there is one).
    /// Credentials in a URL are redacted in both; text escapes control and bidi characters.
    static func report(_ error: PlueError, json: Bool = false) {
        let message = Redaction.credentials(in: error.message)
        let hint = error.hint.map(Redaction.credentials(in:))
        let cause = error.cause.map(Redaction.credentials(in:))
        if json {
            var members: [(String, JSON)] = [("code", .string(error.code.rawValue)), ("message", .string(message))]
            if let hint, !hint.isEmpty { members.append(("hint", .string(hint))) }
            if let cause, !cause.isEmpty { members.append(("cause", .string(cause))) }
            JSON.object([("error", .object(members))]).write(toDescriptor: 2)
            return
        }
        var text = "error: \(TerminalText.safe(message))"
        if let hint, !hint.isEmpty { text += "; \(TerminalText.safe(hint))" }
        text += "\n"
        if let cause, !cause.isEmpty {
            text += "  cause: \(TerminalText.line(cause.replacingControlCharacters()))\n"
        }
        var bytes = Array(text.utf8)
        _ = write(2, &bytes, bytes.count)
    }
}

extension String {
    /// Keeps a cause from a lower layer on one line.
    func replacingControlCharacters() -> String {
        String(unicodeScalars.map { $0.value < 0x20 ? " " : Character($0) })
    }
}
