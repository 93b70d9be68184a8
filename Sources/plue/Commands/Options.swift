import ArgumentParser
import Foundation
import PlueKit

/// `--home`, shared by every command.
struct HomeOptions: ParsableArguments {
    static let help = ArgumentHelp(
        "The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).",
        valueName: "dir")
    @Option(name: .long, help: help) var home: String?

    func open() throws -> Plue { try Invocation(home: home, json: false).open() }
}

/// `--home` and `--json`, for every command that reports something. It declares `--home` itself
/// rather than nesting `HomeOptions`: ArgumentParser reflects each nested group anew in every
/// process, and this one is in most commands.
struct ReportOptions: ParsableArguments {
    @Option(name: .long, help: HomeOptions.help) var home: String?

    @Flag(name: .long, help: "Print one JSON document on standard output instead of text.")
    var json = false

    var invocation: Invocation { Invocation(home: home, json: json) }
    func open() throws -> Plue { try invocation.open() }
    func render<T: JSONRepresentable>(_ value: T, _ describe: (T) -> String) { invocation.render(value, describe) }
}

/// What every command needs besides its own arguments, however it was parsed
/// (by ArgumentParser, or as an `InternalCommandLine`).
struct Invocation {
    let home: String?
    let json: Bool

    func resolveHome() throws -> PlueHome {
        try PlueHome.resolve(explicit: home, variable: Environment.value)
    }

    /// The one Plue of this process, never released: GRDB's DatabaseQueue unregisters Foundation
    /// notification observers when it goes away, which cost half a millisecond of dynamic casts at
    /// the end of every command. Committed data is on disk already; the kernel closes the file.
    func open() throws -> Plue {
        let plue = try Plue.open(home: resolveHome())
        _ = Unmanaged.passRetained(ProcessLifetime(plue))
        return plue
    }

    /// The same for a long-lived command (a runner): the database as a server opens it.
    func openServer() throws -> Plue {
        let plue = try Plue.open(home: resolveHome(), mode: .server)
        _ = Unmanaged.passRetained(ProcessLifetime(plue))
        return plue
    }

    /// Prints `value` as JSON, or the text `describe` makes of it.
    func render<T: JSONRepresentable>(_ value: T, _ describe: (T) -> String) {
        if json {
            let document = value.json
            document.write()
            // Left for the process's exit to reclaim: freeing the thousands of small objects of a
            // large listing one by one cost `repo show --json` 0.2 ms after its output was written.
            _ = Unmanaged.passRetained(ProcessLifetime((value, document)))
            return
        }
        // Whatever a repository, an agent or a user put in it is printed escaped (TerminalText).
        let text = TerminalText.safe(describe(value))
        if !text.isEmpty { print(text) }
    }
}

/// Holds a value (the process's Plue, a printed document) until the process exits.
private final class ProcessLifetime {
    let value: Any
    init(_ value: Any) { self.value = value }
}
