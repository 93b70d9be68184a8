import ArgumentParser
import Foundation
import PlueKit

#if canImport(Glibc)
import Glibc
#endif

/// `--home`, shared by every command.
struct HomeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The Plue home directory (default: $PLUE_HOME, else $XDG_DATA_HOME/plue, else ~/.local/share/plue).",
        valueName: "dir"))
    var home: String?

    func resolve() throws -> PlueHome {
        try PlueHome.resolve(explicit: home, environment: ProcessInfo.processInfo.environment)
    }

    func open() throws -> Plue {
        try Plue.open(home: resolve())
    }
}

/// `--home` and `--json`, for every command that reports something.
struct ReportOptions: ParsableArguments {
    @OptionGroup var homeOptions: HomeOptions

    @Flag(name: .long, help: "Print one JSON document on standard output instead of text.")
    var json = false

    func open() throws -> Plue { try homeOptions.open() }

    /// Prints `value` as JSON, or the text `describe` makes of it.
    func render<T: JSONRepresentable>(_ value: T, _ describe: (T) -> String) throws {
        if json {
            print(value.json.rendered())
        } else {
            let text = describe(value)
            if !text.isEmpty { print(text) }
        }
    }
}
