import Foundation
import PlueKit
import PlueTestSupport
import Testing

/// A session's commits live in the repository under refs/plue/, where git hides them from every
/// transport. The readers that take a revision must hide them too: a repository read at a ref
/// sees only what a branch or tag reaches, and a session read sees only its own history.
@Suite struct HiddenHistoryTests {
    let forge: Forge
    let repository: Repository
    let seed: String

    init() throws {
        forge = try Forge(user: "alice")
        _ = try forge.plue.users.create(name: "bob", email: "bob@example.com", admin: false, as: .operator)
        repository = try forge.plue.repositories.create("alice/demo", as: .operator)
        _ = try forge.plue.access.addCollaborator(repository: "alice/demo", user: "bob", permission: .write, as: .operator)
        seed = try forge.workTree(files: ["README": "hello\n"])
        try "second\n".write(toFile: seed + "/README", atomically: true, encoding: .utf8)
        try Command.git(["commit", "-q", "-am", "second"], in: seed)
        try Command.git(["tag", "-a", "-m", "one", "v1", "HEAD~1"], in: seed)
        try Command.git(["push", "-q", repository.path, "main", "v1"], in: seed)
    }

    /// A session of `user` on alice/demo whose working copy holds `notes.txt` = `text`; its commit.
    func session(_ user: String, writing text: String) throws -> (session: Session, commit: String) {
        let principal = Principal.user(try forge.plue.users.show(user, as: .operator))
        let session = try forge.plue.sessions.new(repository: "alice/demo", as: principal)
        try text.write(toFile: session.workdir + "/notes.txt", atomically: true, encoding: .utf8)
        _ = try forge.plue.sessions.snapshot(session.id, message: "notes", as: principal)
        return (session, try forge.plue.sessions.show(session.id, as: principal).workingCopy)
    }

    @Test func repositoryReadsSeeOnlyWhatBranchesAndTagsReach() throws {
        let (session, commit) = try session("alice", writing: "private notes\n")
        let notesBlob = try Command.git(["-C", repository.path, "rev-parse", "\(commit):notes.txt"])
        let message = plueError { _ = try forge.plue.repositories.cat("alice/demo", path: "README", ref: "nothing", as: .anonymous) }?.message
        for ref in ["refs/plue/sessions/\(session.id)", "plue/sessions/\(session.id)", commit, String(commit.prefix(7)),
                    "refs/plue/sessions/\(session.id)~0", "\(commit)^{commit}", ":/notes",
                    // Objects that are not commits answer as missing ones, or they would tell
                    // which paths and objects a session holds.
                    "\(commit):notes.txt", "\(commit.prefix(7)):notes.txt", "\(commit)^{tree}", notesBlob, String(notesBlob.prefix(7))] {
            for principal in [Principal.anonymous, .operator] {
                let refused = plueError { _ = try forge.plue.repositories.cat("alice/demo", path: "notes.txt", ref: ref, as: principal) }
                #expect(refused?.code == .notFound && refused?.message == message?.replacingOccurrences(of: "'nothing'", with: "'\(ref)'"),
                        "\(ref): \(String(describing: refused))")
                #expect(plueError { _ = try forge.plue.repositories.contents("alice/demo", ref: ref, as: principal) } != nil, "\(ref)")
                #expect(plueError { _ = try forge.plue.repositories.commits("alice/demo", ref: ref, page: Page(), as: principal) } != nil)
            }
        }
        // What branches and tags reach reads as before, by name, id, prefix or expression.
        let first = try Command.git(["rev-parse", "main~1"], in: seed)
        for ref in ["main", "refs/heads/main", "main~1", "v1", "refs/tags/v1", first, String(first.prefix(7)), ":/second"] {
            #expect(try forge.plue.repositories.cat("alice/demo", path: "README", ref: ref, as: .anonymous).isEmpty == false, "\(ref)")
        }
        #expect(try forge.plue.repositories.cat("alice/demo", path: "README", ref: "v1", as: .anonymous) == Array("hello\n".utf8))
    }

    @Test func theDefaultViewIsTheDefaultBranchEvenWhenATagTakesItsName() throws {
        try "a tag's README\n".write(toFile: seed + "/README", atomically: true, encoding: .utf8)
        try Command.git(["commit", "-q", "-am", "evil"], in: seed)
        // A push may not make such a tag; an imported repository may have one.
        let pushed = try Command.run("/usr/bin/git", ["push", "-q", repository.path, "HEAD:refs/tags/main"], in: seed)
        #expect(pushed.status != 0 && pushed.errorOutput.contains("refusing to create the tag main"), "\(pushed.errorOutput)")
        try Command.git(["fetch", "-q", seed, "HEAD:refs/tags/main"], in: repository.path)
        #expect(try forge.plue.repositories.cat("alice/demo", path: "README", as: .anonymous) == Array("second\n".utf8))
        guard case .file(_, let bytes) = try forge.plue.repositories.contents("alice/demo", path: "README", as: .anonymous) else {
            Issue.record("README is not a file"); return
        }
        #expect(bytes == Array("second\n".utf8))
        #expect(try forge.plue.repositories.commits("alice/demo", page: Page(), as: .anonymous).items.first?.message.hasPrefix("second") == true)
    }

    @Test func aSessionReadsItsOwnHistoryAndNoOtherSessions() throws {
        let (mine, myCommit) = try session("alice", writing: "mine\n")
        let (_, theirCommit) = try session("bob", writing: "theirs\n")
        let alice = Principal.user(try forge.plue.users.show("alice", as: .operator))
        let missing = plueError { _ = try forge.plue.sessions.cat(mine.id, path: "notes.txt", at: "0000000", as: alice) }
        #expect(missing?.code == .notFound)
        for revision in [theirCommit, String(theirCommit.prefix(7))] {
            let refused = plueError { _ = try forge.plue.sessions.cat(mine.id, path: "notes.txt", at: revision, as: .operator) }
            #expect(refused?.code == .notFound && refused?.message == missing?.message.replacingOccurrences(of: "0000000", with: revision),
                    "\(revision): \(String(describing: refused))")
            #expect(plueError { _ = try forge.plue.sessions.diff(mine.id, from: "base", to: revision, as: .operator) }?.code == .notFound)
            #expect(plueError { _ = try forge.plue.sessions.change(mine.id, revision, as: .operator) }?.code == .notFound)
            #expect(plueError { _ = try forge.plue.sessions.files(mine.id, at: revision, as: .operator) }?.code == .notFound)
        }
        // Its own states, by id or prefix, and the history before its base.
        #expect(try forge.plue.sessions.cat(mine.id, path: "notes.txt", at: myCommit, as: alice) == Array("mine\n".utf8))
        #expect(try forge.plue.sessions.cat(mine.id, path: "notes.txt", at: String(myCommit.prefix(8)), as: alice) == Array("mine\n".utf8))
        let first = try Command.git(["rev-parse", "main~1"], in: seed)
        #expect(try forge.plue.sessions.cat(mine.id, path: "README", at: first, as: alice) == Array("hello\n".utf8))
    }
}
