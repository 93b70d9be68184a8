import PlueKit

extension InternalCommandLine {
    /// Runs the line with the same `execute` its command's `run()` calls once ArgumentParser has
    /// parsed the same words, so both ways behave the same.
    func run() throws {
        switch self {
        case .hook(let name, let home, let repository):
            let invocation = Invocation(home: home, json: false)
            if name == "pre-receive" {
                try PlueCommand.Hook.PreReceive.execute(repository, invocation)
            } else {
                try PlueCommand.Hook.PostReceive.execute(repository, invocation)
            }
        case .sshAuthorize(let home, let account, let type, let key):
            PlueCommand.SSHAuthorize.execute(account: account, type: type, key: key, gitUser: nil, Invocation(home: home, json: false))
        case .sshServe(let home, let key):
            try PlueCommand.SSHServe.execute(key: key, Invocation(home: home, json: false))
        }
    }
}
