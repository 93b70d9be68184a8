import ArgumentParser
import PlueKit

#if canImport(Glibc)
import Glibc
#endif

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
            70 internal error, 73 already exists, 75 temporarily unavailable (retry), 77 permission denied.
            """,
        version: version,
        subcommands: [Init.self, User.self, Repo.self, SSHKeyCommand.self, DeployKeyCommand.self,
                      SessionCommand.self, Land.self, SSHAuthorize.self, SSHServe.self, SSHDConfig.self, Hook.self]
    )

    static func main() {
        do {
            if try FastPath.run(FastPath.arguments()) { return }
            var command = try parseAsRoot()
            try command.run()
        } catch let error as PlueError {
            report(error)
            Glibc.exit(error.code.exitCode)
        } catch {
            exit(withError: error)
        }
    }

    static func report(_ error: PlueError) {
        var text = "error: \(error.message)\n"
        if let cause = error.cause, !cause.isEmpty {
            text += "  cause: \(cause.replacingControlCharacters())\n"
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
