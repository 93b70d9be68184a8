import ArgumentParser
import PlueKit

extension PlueCommand {
    struct AgentCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "agent",
            abstract: "Register the commands a turn started over HTTP may run.",
            discussion: """
                A request to start a turn (POST /api/v1/repos/OWNER/NAME/sessions/ID/turns) names a registered \
                agent, never a command line: only what the operator registers here runs on the server, as the \
                server's account. The agent runs in the session's working directory in its own process group, \
                with standard input from /dev/null, an allow-listed environment (PATH, HOME, USER, LANG, LC_*, \
                TERM, TZ, TMPDIR and what --env names) and the turn in PLUE_SESSION, PLUE_TURN and PLUE_PROMPT \
                (the user's message). What it prints is the reply.
                """,
            subcommands: [Add.self, List.self, Remove.self])
    }
}

extension PlueCommand.AgentCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Register a command under a name.",
            discussion: """
                Example: plue agent add fixer --env ANTHROPIC_API_KEY -- sh -c 'my-agent --task "$PLUE_PROMPT"'. \
                Pass secrets with --env, never in the command: the command is recorded with every turn, \
                and whoever may see the session sees it.
                """)
        @Argument(help: "The name requests give: 1 to 64 letters, digits, '-', '_' or '.'.") var name: String
        @Option(name: .customLong("env"), help: ArgumentHelp(
            "Pass this variable of the server's environment on to the agent (repeatable).", valueName: "NAME")) var passing: [String] = []
        @Option(help: "Stop the agent's whole process group after this many seconds (default 3600).") var timeout: Int64 = AgentService.defaultTimeout
        @Argument(parsing: .postTerminator, help: "The command and its arguments, after --.") var command: [String] = []
        @OptionGroup var options: ReportOptions

        func run() throws {
            guard !command.isEmpty else { throw PlueError.usage("give the agent's command after --: plue agent add NAME -- COMMAND [ARGS...]") }
            let agent = try options.open().agents.add(name: name, command: command, environment: passing, timeoutSeconds: timeout,
                                                     as: .operator)
            options.render(agent) { "Registered agent \($0.name): \(PlueCommand.AgentCommand.commandLine($0))" }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the registered agents.")
        @OptionGroup var options: ReportOptions

        func run() throws {
            let agents = try options.open().agents.list(as: .operator)
            options.render(agents) { agents in
                TextTable.render(header: ["NAME", "TIMEOUT", "ENVIRONMENT", "CREATED", "COMMAND"],
                                 rows: agents.map { [$0.name, "\($0.timeoutSeconds)s", $0.environment.joined(separator: ","),
                                                     Timestamp.iso8601($0.createdAt), PlueCommand.AgentCommand.commandLine($0)] },
                                 empty: "No agents registered; register one with `plue agent add NAME -- COMMAND`.")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove", abstract: "Remove a registered agent; turns already running go on.")
        @Argument(help: "The agent's name.") var name: String
        @OptionGroup var options: ReportOptions

        func run() throws {
            let agent = try options.open().agents.remove(name: name, as: .operator)
            options.render(agent) { "Removed agent \($0.name)" }
        }
    }

    /// The command as a shell would need it typed.
    static func commandLine(_ agent: Agent) -> String {
        agent.command.map(FilePath.shellQuoted).joined(separator: " ")
    }
}
