import Foundation
import PlueTestSupport
import Testing

/// A forge for the session and landing routes, served by the built binary on a free port: alice
/// owns alice/demo (README.md and src/main.swift on main) and a session of hers started over the
/// API; bob may write to alice/demo; carol has nothing. Tokens by name: alice (all), alice-read
/// (read:repository), alice-session (write:repository, limited to alice's session), bob (all).
struct SessionAPIForge {
    let directory: TemporaryDirectory
    let plue: PlueRunner
    let server: ServeProcess
    let tokens: [String: String]
    /// alice's session, started with her token.
    let session: String

    static let base = "/api/v1/repos/alice/demo"

    init(_ directory: TemporaryDirectory, maxBodySize: Int = 4096) throws {
        self.directory = directory
        let plue = try PlueRunner(home: directory.child("home"))
        self.plue = plue
        try plue.setUpDemo(seed: directory.child("seed"), files: ["README.md": "# Demo\n"])
        let seed = directory.child("seed")
        try FileManager.default.createDirectory(atPath: seed + "/src", withIntermediateDirectories: true)
        try "print(1)\n".write(toFile: seed + "/src/main.swift", atomically: true, encoding: .utf8)
        try Command.git(["add", "-A"], in: seed)
        try Command.git(["commit", "-q", "-m", "main.swift"], in: seed)
        try Command.git(["push", "-q", plue.home + "/repos/alice/demo.git", "main"], in: seed)
        for user in ["bob", "carol"] { try plue.ok(["user", "create", user, "--email", "\(user)@example.com"]) }
        try plue.ok(["repo", "collaborator", "add", "alice/demo", "bob", "--permission", "write"])
        func token(_ user: String, _ name: String, _ extra: [String]) throws -> String {
            let json = try #require(try plue.json(["token", "create", user, "--name", name] + extra) as? [String: Any])
            return try #require(json["token"] as? String)
        }
        var tokens = [
            "alice": try token("alice", "all", ["--scope", "all"]),
            "alice-read": try token("alice", "read", ["--scope", "read:repository"]),
            "bob": try token("bob", "all", ["--scope", "all"]),
            "carol": try token("carol", "all", ["--scope", "all"]),
        ]
        // The server's own landing queue waits an hour after its first pass: these tests watch
        // entries while they are queued.
        let server = try ServeProcess(plue: plue, arguments: ["--max-body-size", String(maxBodySize), "--land-interval", "3600"],
                                      logPath: directory.child("serve.log"))
        self.server = server
        let created = try server.curl(Self.base + "/sessions", ["-H", "Authorization: Bearer \(tokens["alice"]!)", "-X", "POST",
                                                                 "--data-binary", #"{"title": "alice's work"}"#])
        guard created.status == 201, let id = (try JSONSerialization.jsonObject(with: Data(created.body.utf8)) as? [String: Any])?["id"] as? String else {
            throw CommandFailure(description: "could not start a session over the API: \(created.status) \(created.body)")
        }
        session = id
        tokens["alice-session"] = try token("alice", "agent", ["--scope", "write:repository", "--session", id])
        self.tokens = tokens
    }

    var workdir: String { plue.home + "/sessions/\(session)/work" }
    var repository: String { plue.home + "/repos/alice/demo.git" }

    /// `curl` as `token` (a name in `tokens`, or nil for none) to `path` below the API's root.
    func call(_ method: String, _ path: String, as token: String? = "alice", body: String? = nil, _ extra: [String] = [])
        throws -> (status: Int, body: String, headers: [String: String]) {
        var arguments = ["-X", method]
        if let token { arguments += ["-H", "Authorization: Bearer \(tokens[token] ?? token)"] }
        if let body { arguments += ["--data-binary", body] }
        return try server.curl(path, arguments + extra)
    }

    /// `call` on a route of a session (alice's by default), for its JSON object.
    func object(_ method: String, _ suffix: String, session: String? = nil, as token: String? = "alice", body: String? = nil,
                _ extra: [String] = [], status: Int = 200) throws -> [String: Any] {
        let answer = try call(method, Self.base + "/sessions/\(session ?? self.session)" + suffix, as: token, body: body, extra)
        #expect(answer.status == status, "\(method) \(suffix): \(answer.status) \(answer.body)")
        return try Self.object(answer.body)
    }

    /// The route's JSON array.
    func array(_ path: String, as token: String? = "alice") throws -> [[String: Any]] {
        let answer = try call("GET", path, as: token)
        #expect(answer.status == 200, "GET \(path): \(answer.status) \(answer.body)")
        return try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [[String: Any]], "\(answer.body)")
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    static func errorCode(_ text: String) -> String? {
        ((try? object(text))?["error"] as? [String: Any])?["code"] as? String
    }

    /// The session's operation kinds, newest first, as the CLI lists them.
    func operationKinds(_ session: String? = nil) throws -> [String] {
        try #require(try plue.json(["session", "ops", session ?? self.session]) as? [[String: Any]]).compactMap { $0["kind"] as? String }
    }

    func read(_ path: String) -> Data? { FileManager.default.contents(atPath: workdir + "/" + path) }

    func git(_ arguments: [String]) throws -> String { try Command.git(["-C", repository] + arguments) }
}
