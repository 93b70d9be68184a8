import Foundation

/// The registry of agents a turn started over HTTP may run. Only the operator (the command line,
/// the account that owns the home) registers and removes them: a registered command runs on the
/// server, as the server's account.
public struct AgentService: Sendable {
    let database: AppDatabase

    public static let defaultTimeout: Int64 = 3600

    /// Registers `command` under `name`. `environment` names variables of the server's environment
    /// to pass on (an API key); the agent gets only those besides PATH, HOME, USER, LANG, LC_*,
    /// TERM, TZ and TMPDIR.
    public func add(name: String, command: [String], environment: [String] = [], timeoutSeconds: Int64 = defaultTimeout,
                    as principal: Principal) throws -> Agent {
        try Self.requireOperator(principal)
        let name = try AgentName.validated(name)
        try TurnCommand.validate(command)
        guard (1...604_800).contains(timeoutSeconds) else {
            throw PlueError.invalidInput("the timeout must be 1 to 604800 seconds")
        }
        for variable in environment where !AgentEnvironment.isValidName(variable) || variable.hasPrefix("GIT_") || variable.hasPrefix("PLUE_") {
            throw PlueError.invalidInput("cannot pass \(Validation.quoted(variable)) on: name a variable of letters, digits and '_', not GIT_* or PLUE_*")
        }
        var names: [String] = []
        for variable in environment where !names.contains(variable) { names.append(variable) }
        return try database.addAgent(name: name, command: command, environment: names, timeoutSeconds: timeoutSeconds, at: Timestamp.now())
    }

    public func list(as principal: Principal) throws -> [Agent] {
        try Self.requireOperator(principal)
        return try database.agents()
    }

    public func remove(name: String, as principal: Principal) throws -> Agent {
        try Self.requireOperator(principal)
        let name = try AgentName.validated(name)
        guard let agent = try database.agent(named: name), try database.removeAgent(named: agent.name) else {
            throw PlueError.notFound("no agent named \(name) is registered; list them with `plue agent list`")
        }
        return agent
    }

    static func requireOperator(_ principal: Principal) throws {
        guard principal == .operator else {
            throw PlueError(.permissionDenied, "only the operator registers agents, with `plue agent add` on the server")
        }
    }

    static func noAgent(_ name: String) -> PlueError {
        .invalidInput("no agent named \(Validation.quoted(name)) is registered; a turn may run only an agent the operator registered",
                      hint: "register one with `plue agent add NAME -- COMMAND` (see `plue agent list`)")
    }
}
