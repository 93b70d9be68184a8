/// `plue ssh-serve`: the forced command behind every SSH login. Decides, from the key sshd
/// authenticated and the command the client asked for, whether to run a git service and how.
public struct SSHSessionService: Sendable {
    let database: AppDatabase
    let repositories: RepositoryService
    let authorizer: Authorizer
    let log: SSHLog

    /// What to do with the session.
    public enum Plan: Sendable, Equatable {
        /// No command (a plain `ssh git@host`): greet and exit 1, like the big forges.
        case greeting(String)
        /// Replace this process with git serving the repository.
        case git(executable: String, arguments: [String], environment: [String: String])
    }

    /// `keyArgument` is `key-ID` from the forced command; `command` is `SSH_ORIGINAL_COMMAND`.
    public func plan(keyArgument: String, command: String?, gitProtocol: String?) throws -> Plan {
        let principal = try principal(keyArgument)
        guard let command, !command.isEmpty else {
            return .greeting("Hi \(Self.name(of: principal))! You have authenticated, but plue does not provide shell access.")
        }
        let parsed: SSHCommand
        do {
            parsed = try SSHCommand.parse(command)
        } catch {
            log.record("serve", ["result": "refused-command", "principal": Self.name(of: principal)])
            throw error
        }
        // Decided by the one Authorizer; the log alone tells a missing repository from an invisible
        // one, and the client gets the same answer for both, so private names do not leak.
        let needed = parsed.service.requiredPermission
        let repository: Repository
        switch try authorizer.decide(owner: parsed.owner, name: parsed.name, as: principal, needs: needed) {
        case .missing:
            log.record("serve", ["result": "not-found", "principal": Self.name(of: principal), "repository": parsed.fullName])
            throw Authorizer.noRepository(owner: parsed.owner, name: parsed.name, for: principal)
        case .hidden(let hidden):
            log.record("serve", ["result": "not-visible", "principal": Self.name(of: principal), "repository": hidden.fullName])
            throw Authorizer.noRepository(owner: parsed.owner, name: parsed.name, for: principal)
        case .denied(let refused, let permission):
            log.record("serve", ["result": "denied", "principal": Self.name(of: principal), "repository": refused.fullName,
                                 "service": parsed.service.rawValue])
            throw Authorizer.denied(principal, has: permission, needs: needed, on: refused.fullName)
        case .allowed(let allowed, _):
            repository = allowed
        }
        log.record("serve", ["result": "allowed", "principal": Self.name(of: principal), "repository": repository.fullName,
                             "service": parsed.service.rawValue])
        return .git(executable: try GitCommandLine.executable(),
                    arguments: GitTransport.hiddenRefArguments + [parsed.service.rawValue, repository.path],
                    environment: GitTransport.environment(for: principal, gitProtocol: gitProtocol))
    }

    private func principal(_ keyArgument: String) throws -> Principal {
        guard keyArgument.hasPrefix("key-"), let id = Int64(keyArgument.dropFirst(4)), id > 0 else {
            throw PlueError.invalidInput("expected key-ID, got \(Validation.quoted(keyArgument))")
        }
        if let key = try database.userKey(id: id) {
            return .user(try repositories.owner(named: key.user))
        }
        if let key = try database.deployKey(id: id) {
            return .deployKey(key)
        }
        throw PlueError(.permissionDenied, "this key is no longer registered", hint: "add it again with `plue ssh-key add`")
    }

    static func name(of principal: Principal) -> String {
        switch principal {
        case .user(let user): user.name
        case .deployKey(let key): "\(key.repository) (deploy key \(key.id))"
        case .operator: "operator"
        case .anonymous: "anonymous"
        }
    }
}
