import Foundation
import PlueTestSupport
import Testing

/// A home served by `plue serve` for git over HTTP: alice/demo (public, one commit), alice/secret
/// (private), bob, tokens, and the real git client pointed at the server, never prompting.
struct GitHTTPForge {
    let directory: TemporaryDirectory
    let plue: PlueRunner
    let server: ServeProcess
    /// alice's write:repository, alice's read:repository, alice's limited to alice/secret, bob's all.
    let tokens: [String: String]

    init(serveArguments: [String] = [], serveEnvironment: [String: String] = [:]) throws {
        directory = TemporaryDirectory("plue-githttp")
        plue = try PlueRunner(home: directory.child("home"))
        try plue.setUpDemo(seed: directory.child("seed"), files: ["README": "hello\n"])
        try plue.ok(["repo", "create", "alice/secret", "--private"])
        try plue.ok(["user", "create", "bob", "--email", "bob@example.com"])
        tokens = [
            "alice": try Self.token(plue, "alice", "push", ["--scope", "write:repository"]),
            "alice-read": try Self.token(plue, "alice", "read", ["--scope", "read:repository"]),
            "alice-secret": try Self.token(plue, "alice", "secret", ["--scope", "write:repository", "--repo", "alice/secret"]),
            "bob": try Self.token(plue, "bob", "all", ["--scope", "all"]),
        ]
        server = try ServeProcess(plue: plue, arguments: serveArguments, logPath: directory.child("serve.log"),
                                  environment: serveEnvironment)
    }

    static func token(_ plue: PlueRunner, _ user: String, _ name: String, _ extra: [String]) throws -> String {
        let json = try #require(try plue.json(["token", "create", user, "--name", name] + extra) as? [String: Any])
        return try #require(json["token"] as? String)
    }

    /// `http://127.0.0.1:PORT/PATH`, with `x:TOKEN@` when a token is given (git sends it as Basic).
    func url(_ path: String, token: String? = nil) -> String {
        guard let token else { return server.url + "/" + path }
        return server.url.replacingOccurrences(of: "http://", with: "http://x:\(token)@") + "/" + path
    }

    /// The real git, with no credential helper and no prompt, so a 401 fails at once.
    func git(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> CommandResult {
        try Command.run("/usr/bin/git", ["-c", "credential.helper="] + arguments, in: directory ?? self.directory.path,
                        environment: Command.environment(["GIT_TERMINAL_PROMPT": "0"].merging(environment) { $1 }))
    }

    /// `refname objectname` lines of the bare repository itself, read with git on its path.
    func refs(_ repository: String = "alice/demo") throws -> String {
        try Command.git(["ls-remote", plue.home + "/repos/\(repository).git"])
    }

    /// The push events of alice/demo, newest first.
    func events() throws -> [[String: Any]] {
        try #require(try plue.json(["repo", "events", "alice/demo"]) as? [[String: Any]])
    }

    /// The server's child processes (git while it serves); zombies included.
    var children: [String] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(server.process.processIdentifier)/task")) ?? []
        return tasks.flatMap { task in
            ((try? String(contentsOfFile: "/proc/\(server.process.processIdentifier)/task/\(task)/children", encoding: .utf8)) ?? "")
                .split(separator: " ").map(String.init)
        }
    }

    /// Waits up to `seconds` for the server to have no child left.
    func childrenGone(within seconds: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !children.isEmpty && Date() < deadline { usleep(20_000) }
        return children.isEmpty
    }

    /// A work tree cloned anonymously from alice/demo.
    func clone(_ name: String) throws -> String {
        let path = directory.child(name)
        let result = try git(["clone", "-q", url("alice/demo.git"), path])
        guard result.status == 0 else { throw CommandFailure(description: "clone failed: \(result.errorOutput)") }
        return path
    }
}
