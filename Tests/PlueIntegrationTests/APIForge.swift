import Foundation
import PlueTestSupport
import Testing

/// A home served by a real `plue serve` on a free port, for the API's end-to-end tests: alice with
/// the public alice/demo (one commit of `files` on main) and the private alice/secret, bob, and
/// tokens made with the CLI. Requests go through the real `curl`.
struct APIForge: Sendable {
    let plue: PlueRunner
    let server: ServeProcess
    /// The work tree alice/demo was pushed from.
    let seed: String
    /// Tokens by name; "alice" and "bob" hold `all`.
    private(set) var tokens: [String: String] = [:]

    init(_ directory: TemporaryDirectory, files: [String: String] = ["README": "hello\n"], serveArguments: [String] = []) throws {
        plue = try PlueRunner(home: directory.child("home"))
        seed = directory.child("seed")
        try plue.setUpDemo(seed: seed, files: files)
        try plue.ok(["repo", "create", "alice/secret", "--private"])
        try plue.ok(["user", "create", "bob", "--email", "bob@example.com"])
        server = try ServeProcess(plue: plue, arguments: serveArguments, logPath: directory.child("serve.log"))
        try addToken("alice", user: "alice", ["--scope", "all"])
        try addToken("bob", user: "bob", ["--scope", "all"])
    }

    /// Makes a token for `user` with `plue token create` and keeps it as `name`.
    mutating func addToken(_ name: String, user: String, _ arguments: [String]) throws {
        let json = try #require(try plue.json(["token", "create", user, "--name", name] + arguments) as? [String: Any])
        tokens[name] = try #require(json["token"] as? String)
    }

    /// `curl` to `path` with the token named `token` (none when nil), `arguments` before the URL.
    func curl(_ path: String, token: String? = nil, _ arguments: [String] = []) throws -> APIAnswer {
        let header = try token.map { name in ["-H", "Authorization: Bearer \(try #require(tokens[name], "no token \(name)"))"] } ?? []
        let answer = try server.curl(path, header + arguments)
        return APIAnswer(status: answer.status, body: answer.body, headers: answer.headers)
    }

    /// `curl` to `path` sending `secret` as the bearer token as it is (none when nil).
    func curl(_ path: String, secret: String?, _ arguments: [String] = []) throws -> APIAnswer {
        let answer = try server.curl(path, (secret.map { ["-H", "Authorization: Bearer \($0)"] } ?? []) + arguments)
        return APIAnswer(status: answer.status, body: answer.body, headers: answer.headers)
    }

    /// The same with a JSON body, sent as `method`.
    func send(_ method: String, _ path: String, token: String?, json body: String) throws -> APIAnswer {
        try curl(path, token: token, ["-X", method, "-H", "Content-Type: application/json", "--data-binary", body])
    }

    /// The audit log, newest first, as `plue audit list --json` prints it.
    func auditEvents() throws -> [[String: Any]] {
        try #require(try plue.json(["audit", "list", "--limit", "100000"]) as? [[String: Any]])
    }
}

/// One answer of the server: status, body and headers (names in lower case).
struct APIAnswer: CustomStringConvertible {
    let status: Int
    let body: String
    let headers: [String: String]

    var description: String { "\(status) \(body)" }

    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed])
    }

    func object() throws -> [String: Any] {
        try #require(try json() as? [String: Any], "not a JSON object: \(body)")
    }

    func array() throws -> [[String: Any]] {
        try #require(try json() as? [[String: Any]], "not a JSON array of objects: \(body)")
    }

    /// The `code` of the API's one error body, nil when the body is not one.
    var errorCode: String? {
        ((try? object())?["error"] as? [String: Any])?["code"] as? String
    }

    /// The `Link` header's targets by relation: `["next": "/api/v1/...?page=2&limit=1", ...]`.
    var links: [String: String] {
        var result: [String: String] = [:]
        for part in (headers["link"] ?? "").components(separatedBy: ", ") {
            guard let open = part.firstIndex(of: "<"), let close = part.firstIndex(of: ">"),
                  let relation = part.range(of: "rel=\"") else { continue }
            let name = part[relation.upperBound...].prefix { $0 != "\"" }
            result[String(name)] = String(part[part.index(after: open)..<close])
        }
        return result
    }
}
