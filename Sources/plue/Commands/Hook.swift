import ArgumentParser
import Foundation
import PlueKit

extension PlueCommand {
    /// Called by the hooks Plue installs in every repository; not for people.
    struct Hook: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hook",
            abstract: "Entry points for the git hooks Plue installs (called by git, not by people).",
            shouldDisplay: false,
            subcommands: [PreReceive.self, PostReceive.self])
    }
}

/// What both hooks take: the repository, and the ref updates git writes on standard input.
struct HookArguments: ParsableArguments {
    @OptionGroup var homeOptions: HomeOptions
    @Option(help: ArgumentHelp("The repository the hook belongs to.", valueName: "owner/name")) var repo: String

    var invocation: Invocation { Invocation(home: homeOptions.home, json: false) }
}

/// How the hooks read their input and learn who pushes.
enum HookInput {
    static func updates() throws -> [RefUpdate] {
        let input = FileHandle.standardInput.readDataToEndOfFile()
        guard input.count <= 16 << 20 else { throw PlueError.invalidInput("hook input is larger than 16 MiB") }
        return try RefUpdate.parse(hookInput: String(decoding: input, as: UTF8.self))
    }

    /// The account a transport (ssh-serve, the HTTP server) says is pushing; unset for local pushes.
    /// Who pushes, as the transport that ran git says (`plue ssh-serve` sets these); local otherwise.
    static var pusher: Pusher {
        get throws {
            if let name = Environment.value("PLUE_PUSHER"), !name.isEmpty { return .user(name) }
            if let text = Environment.value("PLUE_DEPLOY_KEY"), !text.isEmpty {
                guard let id = Int64(text) else { throw PlueError.invalidInput("PLUE_DEPLOY_KEY must be a key id") }
                return .deployKey(id)
            }
            return .local
        }
    }
}

extension PlueCommand.Hook {
    struct PreReceive: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pre-receive", abstract: "Check a push before git updates any ref.")
        @OptionGroup var arguments: HookArguments

        func run() throws { try Self.execute(arguments.repo, arguments.invocation) }

        /// Shared with `InternalCommandLine`: every push runs both hooks as Plue wrote them, so
        /// they skip ArgumentParser.
        static func execute(_ repo: String, _ invocation: Invocation) throws {
            try invocation.open().pushes.check(repo, updates: HookInput.updates(), pusher: try HookInput.pusher)
        }
    }

    struct PostReceive: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "post-receive", abstract: "Record a push as push events.")
        @OptionGroup var arguments: HookArguments

        func run() throws { try Self.execute(arguments.repo, arguments.invocation) }

        static func execute(_ repo: String, _ invocation: Invocation) throws {
            try invocation.open().pushes.record(repo, updates: HookInput.updates(), pusher: try HookInput.pusher)
        }
    }
}
