/// The command lines Plue writes for other programs to start it with: git runs the hooks
/// `HookInstaller` writes on every push, sshd runs the key lookup `SSHDConfigText` configures and
/// the forced command `SSHAuthorizer` prints on every login. The writers build them from
/// `arguments`, and `init?(_:)` accepts only what `arguments` writes, so the two cannot drift.
///
/// The CLI runs these lines without swift-argument-parser, whose reflection over the command tree
/// costs about 3 ms of every push and login. Everything else, including these commands spelled
/// any other way, is parsed by ArgumentParser alone.
public enum InternalCommandLine: Equatable, Sendable {
    /// `hook NAME --home HOME --repo OWNER/NAME`, NAME one of `HookInstaller.hookNames`.
    case hook(name: String, home: String, repository: String)
    /// `ssh-authorize --home HOME ACCOUNT TYPE KEY`: sshd's AuthorizedKeysCommand with `%u %t %k`.
    case sshAuthorize(home: String, account: String, type: String, key: String)
    /// `ssh-serve --home HOME key-ID`: the forced command of a known key.
    case sshServe(home: String, key: String)

    /// The words after the program's name, with each value (a path, a name, a key; not a fixed
    /// word) passed through `value`, such as a shell quoting.
    public func arguments(value: (String) -> String = { $0 }) -> [String] {
        switch self {
        case .hook(let name, let home, let repository):
            return ["hook", name, "--home", value(home), "--repo", value(repository)]
        case .sshAuthorize(let home, let account, let type, let key):
            return ["ssh-authorize", "--home", value(home), value(account), value(type), value(key)]
        case .sshServe(let home, let key):
            return ["ssh-serve", "--home", value(home), value(key)]
        }
    }

    /// The line `words` (the arguments after the program's name) is, when `arguments` writes
    /// exactly these words; nil for anything else. A value that starts with `-` is refused too,
    /// since ArgumentParser would not read it as a value: a line that matches here means the same
    /// to ArgumentParser.
    public init?(_ words: [String]) {
        guard let command = words.first else { return nil }
        let line: InternalCommandLine
        switch command {
        case "hook" where words.count == 6 && HookInstaller.hookNames.contains(words[1]):
            line = .hook(name: words[1], home: words[3], repository: words[5])
        case "ssh-authorize" where words.count == 6:
            line = .sshAuthorize(home: words[2], account: words[3], type: words[4], key: words[5])
        case "ssh-serve" where words.count == 4:
            line = .sshServe(home: words[2], key: words[3])
        default:
            return nil
        }
        // Written back, the line must be the same words, with no value that looks like an option.
        var optionLike = false
        let written = line.arguments { value in
            if value.hasPrefix("-") { optionLike = true }
            return value
        }
        guard !optionLike, written == words else { return nil }
        self = line
    }
}
