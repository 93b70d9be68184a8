import Foundation
import PlueKit
import PlueTestSupport
import Testing

/// pre-receive refuses deleting or force-pushing the default branch unless the pusher has admin
/// permission. Pushes go through the real git client; PLUE_PUSHER stands in for ssh-serve.
@Suite struct DefaultBranchProtectionTests {
    let forge: Forge
    let repository: Repository
    let work: String

    init() throws {
        forge = try Forge(user: "alice")
        _ = try forge.plue.users.create(name: "bob", email: "bob@example.com", admin: false, as: .operator)
        repository = try forge.plue.repositories.create("alice/demo", as: .operator)
        _ = try forge.plue.access.addCollaborator(repository: "alice/demo", user: "bob", permission: .write, as: .operator)
        work = try forge.workTree(files: ["a.txt": "one\n"])
        try Command.git(["push", "-q", repository.path, "main", "main:topic"], in: work)
    }

    func push(_ arguments: [String], as pusher: String?) throws -> CommandResult {
        var environment = Command.environment()
        if let pusher { environment["PLUE_PUSHER"] = pusher }
        return try Command.run("/usr/bin/git", ["push"] + arguments, in: work, environment: environment)
    }

    func tip(_ branch: String) throws -> String? {
        let result = try Command.run("/usr/bin/git", ["-C", repository.path, "rev-parse", "--verify", "-q", "refs/heads/" + branch])
        return result.status == 0 ? result.trimmed : nil
    }

    func rewriteLastCommit() throws {
        try "rewritten\n".write(toFile: work + "/a.txt", atomically: true, encoding: .utf8)
        try Command.git(["commit", "-q", "-a", "--amend", "-m", "rewritten"], in: work)
    }

    @Test func aWriterCanFastForwardButNotRewriteOrDeleteTheDefaultBranch() throws {
        try "two\n".write(toFile: work + "/a.txt", atomically: true, encoding: .utf8)
        try Command.git(["commit", "-q", "-am", "two"], in: work)
        #expect(try push([repository.path, "main"], as: "bob").status == 0)
        let fastForwarded = try tip("main")

        try rewriteLastCommit()
        let forced = try push(["--force", repository.path, "main"], as: "bob")
        #expect(forced.status != 0 && forced.errorOutput.contains("force-push main"))
        #expect(try tip("main") == fastForwarded)

        let deleted = try push([repository.path, ":main"], as: "bob")
        #expect(deleted.status != 0 && deleted.errorOutput.contains("delete main"))
        #expect(try tip("main") == fastForwarded)

        // Other branches are the writer's to rewrite and delete.
        #expect(try push(["--force", repository.path, "HEAD:topic"], as: "bob").status == 0)
        #expect(try push([repository.path, ":topic"], as: "bob").status == 0)
        #expect(try tip("topic") == nil)
        // Refused pushes leave no event.
        let events = try forge.plue.pushes.events("alice/demo", as: .operator)
        #expect(events.filter { $0.ref == "refs/heads/main" }.count == 2)
        #expect(events.first?.pusher == "bob")
    }

    @Test func anAdminOrALocalPushMayRewriteIt() throws {
        try rewriteLastCommit()
        #expect(try push(["--force", repository.path, "main"], as: "alice").status == 0)
        #expect(try tip("main") == (try Command.git(["rev-parse", "HEAD"], in: work)))
        try "three\n".write(toFile: work + "/a.txt", atomically: true, encoding: .utf8)
        try Command.git(["commit", "-q", "-a", "--amend", "-m", "again"], in: work)
        #expect(try push(["--force", repository.path, "main"], as: nil).status == 0)
        #expect(try tip("main") == (try Command.git(["rev-parse", "HEAD"], in: work)))
    }
}
