import Foundation
import PlueTestSupport
import Testing

/// Pushes over the real transports start workflows with no call from anyone: over HTTP to a
/// `plue serve` that runs the trigger and a runner, and over SSH through sshd.
@Suite struct WorkflowTransportTests {
    static let workflows = [
        ".plue/workflows/ci.yml": "name: CI\non:\n  push: {branches: [main]}\n  manual: {}\njobs:\n  build:\n    steps:\n      - run: echo \"built on $PLUE_REF by $PLUE_EVENT\"\n",
        ".plue/workflows/release.yml": "on:\n  push: {branches: [release]}\njobs: {r: {steps: [{run: \"true\"}]}}\n",
    ]

    @Test func anHTTPPushToPlueServeIsBuiltByTheServersRunner() throws {
        try WorkflowForge.ensureAccount()
        let forge = try GitHTTPForge(serveArguments: ["--runner-account", WorkflowForge.account])
        let clone = forge.directory.child("clone")
        #expect(try forge.git(["clone", "-q", forge.url("alice/demo.git"), clone]).status == 0)
        for (name, contents) in Self.workflows {
            try FileManager.default.createDirectory(atPath: clone + "/.plue/workflows", withIntermediateDirectories: true)
            try contents.write(toFile: clone + "/" + name, atomically: true, encoding: .utf8)
        }
        try Command.git(["add", "-A"], in: clone)
        try Command.git(["commit", "-q", "-m", "ci"], in: clone)
        let push = try forge.git(["push", "-q", forge.url("alice/demo", token: forge.tokens["alice"]), "main"], in: clone)
        #expect(push.status == 0, "\(push.errorOutput)")

        func runs() throws -> [[String: Any]] {
            let answer = try forge.server.curl("/api/v1/repos/alice/demo/runs")
            return (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [[String: Any]]) ?? []
        }
        // Nobody asks for the run: the server's trigger sees the push event, its runner runs the job.
        var listed: [[String: Any]] = []
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            listed = try runs()
            if listed.first?["status"] as? String == "success" { break }
            usleep(100_000)
        }
        #expect(listed.map { $0["workflow"] as? String } == ["CI"], "only the main-branch workflow: \(listed)")
        #expect(listed.first?["status"] as? String == "success", "\(listed)\n\(forge.server.log)")
        let id = try #require(listed.first?["id"] as? Int)
        let logs = try forge.server.curl("/api/v1/repos/alice/demo/runs/\(id)/logs")
        #expect(logs.status == 200 && logs.body.contains("built on refs/heads/main by push"), "\(logs)")

        // Started by hand over the API, followed as it runs: JSON lines until the run ends.
        let token = try #require(forge.tokens["bob"])
        let denied = try forge.server.curl("/api/v1/repos/alice/demo/workflows/CI/dispatches",
                                           ["-X", "POST", "-H", "Authorization: Bearer \(try #require(forge.tokens["alice-read"]))"])
        #expect(denied.status == 403, "read:repository cannot start a run")
        let dispatched = try forge.server.curl("/api/v1/repos/alice/demo/workflows/CI/dispatches",
                                               ["-X", "POST", "-H", "Authorization: Bearer \(try #require(forge.tokens["alice"]))",
                                                "-H", "Content-Type: application/json", "--data-binary", "{\"ref\": \"main\"}"])
        #expect(dispatched.status == 201, "\(dispatched)")
        let manual = try #require((try JSONSerialization.jsonObject(with: Data(dispatched.body.utf8)) as? [[String: Any]])?.first?["id"] as? Int)
        let followed = try forge.server.curl("/api/v1/repos/alice/demo/runs/\(manual)/logs?follow=true", ["-H", "Authorization: Bearer \(token)"])
        #expect(followed.status == 200 && followed.headers["content-type"]?.hasPrefix("application/x-ndjson") == true)
        #expect(followed.body.contains("by manual"), "\(followed.body)")
        let shown = try forge.server.curl("/api/v1/repos/alice/demo/runs/\(manual)")
        #expect(shown.body.contains("\"status\": \"success\""), "the stream ended with the run: \(shown.body)")
        let cancelled = try forge.server.curl("/api/v1/repos/alice/demo/runs/\(manual)/cancel",
                                              ["-X", "POST", "-H", "Authorization: Bearer \(try #require(forge.tokens["alice"]))"])
        #expect(cancelled.status == 409, "a finished run cannot be cancelled: \(cancelled)")
        let hidden = try forge.server.curl("/api/v1/repos/alice/secret/runs/\(manual)")
        #expect(hidden.status == 401 || hidden.status == 404)
    }

    @Test func anSSHPushStartsItsWorkflowToo() throws {
        let server = try SSHServer()
        defer { server.stop() }
        let (alice, _, work) = try SSHAccessTests.ownerAndReader(server)
        let clone = work + "/alice"
        for (name, contents) in Self.workflows {
            try FileManager.default.createDirectory(atPath: clone + "/.plue/workflows", withIntermediateDirectories: true)
            try contents.write(toFile: clone + "/" + name, atomically: true, encoding: .utf8)
        }
        try Command.git(["add", "-A"], in: clone)
        try Command.git(["commit", "-q", "-m", "ci"], in: clone)
        let push = try SSHAccessTests.git(server, ["push", "-q", "origin", "HEAD:main"], key: alice, in: clone)
        #expect(push.status == 0, "\(push.errorOutput)")
        // The home's owner (git) runs the runner for itself here: no namespaces without root.
        try server.asGit(["runner", "--once", "--same-account"])
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(try server.asGit(["workflow", "runs", "alice/demo", "--json"]).utf8)) as? [[String: Any]])
        #expect(runs.map { $0["workflow"] as? String } == ["CI"], "\(runs)")
        #expect(runs.first?["status"] as? String == "success")
        #expect(runs.first?["pushEvent"] as? Int != nil)
        let logs = try server.asGit(["workflow", "logs", String(try #require(runs.first?["id"] as? Int))])
        #expect(logs.contains("built on refs/heads/main by push"))
    }
}
