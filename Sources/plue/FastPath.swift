import PlueKit

/// The few commands that run once per push or per connection, recognised without ArgumentParser:
/// its reflection over the command tree cost about 3 ms of every process (a third of
/// `plue repo show`). Only the plain forms match: any other flag, `--help`, `--`, or a missing
/// value falls through to ArgumentParser, which parses and reports as usual. Each match calls the
/// same `execute` the parsed command calls, so both paths behave the same.
enum FastPath {
    /// The arguments after the program name, read from `argv` with a plain loop: the standard
    /// library's `CommandLine.arguments` builds them with a generic `map` whose first use cost
    /// 0.2 ms in the runtime's conformance lookups.
    static func arguments() -> ArraySlice<String> {
        let count = Int(CommandLine.argc)
        var result: [String] = []
        result.reserveCapacity(count)
        var index = 1
        while index < count {
            if let argument = CommandLine.unsafeArgv[index] { result.append(String(cString: argument)) }
            index += 1
        }
        return result[...]
    }

    /// Runs the command if it is one of the fast forms; returns false to let ArgumentParser handle it.
    static func run(_ arguments: ArraySlice<String>) throws -> Bool {
        if arguments.elementsEqual(["--version"]) {
            print(PlueCommand.version)
            return true
        }
        if let match = match(arguments, words: ["repo", "show"], positionals: 1, options: ["--home"], flags: ["--json"]) {
            try PlueCommand.Repo.Show.execute(match.positionals[0], match.invocation)
            return true
        }
        if let match = match(arguments, words: ["hook", "pre-receive"], positionals: 0, options: ["--home", "--repo"]),
           let repo = match.value("--repo") {
            try PlueCommand.Hook.PreReceive.execute(repo, match.invocation)
            return true
        }
        if let match = match(arguments, words: ["hook", "post-receive"], positionals: 0, options: ["--home", "--repo"]),
           let repo = match.value("--repo") {
            try PlueCommand.Hook.PostReceive.execute(repo, match.invocation)
            return true
        }
        if let match = match(arguments, words: ["session", "snapshot"], positionals: 1, options: ["--home", "-m"], flags: ["--json"]) {
            try PlueCommand.SessionCommand.Snapshot.execute(match.positionals[0], message: match.value("-m"), match.invocation)
            return true
        }
        if let match = match(arguments, words: ["land", "check"], positionals: 1, options: ["--home", "--session", "--branch", "--onto"],
                             flags: ["--json"]) {
            let source = try LandSourceOptions.source(session: match.value("--session"), branch: match.value("--branch"))
            try PlueCommand.Land.Check.execute(match.positionals[0], source: source, onto: match.value("--onto"), match.invocation)
            return true
        }
        if let match = match(arguments, words: ["ssh-authorize"], positionals: 3, options: ["--home", "--git-user"]) {
            let values = match.positionals
            PlueCommand.SSHAuthorize.execute(account: values[0], type: values[1], key: values[2],
                                             gitUser: match.value("--git-user"), match.invocation)
            return true
        }
        if let match = match(arguments, words: ["ssh-serve"], positionals: 1, options: ["--home"]) {
            try PlueCommand.SSHServe.execute(key: match.positionals[0], match.invocation)
            return true
        }
        return false
    }

    struct Match {
        var positionals: [String] = []
        // Arrays of String only, not sets, dictionaries or tuples: instantiating the generic
        // metadata of those took longer than these few lookups (Array<String> comes ready-made).
        var names: [String] = []
        var values: [String] = []
        var flags: [String] = []
        var invocation: Invocation { Invocation(home: value("--home"), json: flags.contains("--json")) }

        func value(_ name: String) -> String? {
            var index = 0
            while index < names.count {
                if names[index] == name { return values[index] }
                index += 1
            }
            return nil
        }
    }

    /// `words`, then exactly `positionals` plain arguments mixed with the given options
    /// (`--name VALUE` or `--name=VALUE`, each at most once) and flags; nil for anything else.
    static func match(_ arguments: ArraySlice<String>, words: [String], positionals: Int,
                      options: [String] = [], flags: [String] = []) -> Match? {
        guard arguments.count >= words.count, arguments.prefix(words.count).elementsEqual(words) else { return nil }
        var result = Match()
        var rest = arguments.dropFirst(words.count)[...]
        while let argument = rest.popFirst() {
            if flags.contains(argument) {
                guard !result.flags.contains(argument) else { return nil }
                result.flags.append(argument)
            } else if argument.hasPrefix("-") {
                let equals = argument.firstIndex(of: "=")
                let name = equals.map { String(argument[..<$0]) } ?? argument
                guard options.contains(name), result.value(name) == nil else { return nil }
                let value: String
                if let equals {
                    value = String(argument[argument.index(after: equals)...])
                } else {
                    guard let next = rest.popFirst(), !next.hasPrefix("-") else { return nil }
                    value = next
                }
                result.names.append(name)
                result.values.append(value)
            } else {
                result.positionals.append(argument)
            }
        }
        return result.positionals.count == positionals ? result : nil
    }
}
