import PlueKit
import PlueTestSupport
import Testing

@Suite struct ValidationTests {
    @Test(arguments: ["alice", "a", "Bob-2", "x_y", String(repeating: "a", count: 39)])
    func acceptsUserNames(_ name: String) throws {
        #expect(try Validation.userName(name) == name)
    }

    @Test(arguments: ["", "-alice", "_a", "a b", "a/b", "..", "a.b", "ä", "a\n", "a\0b",
                      String(repeating: "a", count: 40), "admin", "API", "Login", "git"])
    func refusesUserNames(_ name: String) {
        #expect(plueError { _ = try Validation.userName(name) }?.code == .invalidInput)
    }

    @Test(arguments: ["demo", "a", ".github", "my.repo", "x_y-z", "v1.0", String(repeating: "r", count: 100)])
    func acceptsRepositoryNames(_ name: String) throws {
        #expect(try Validation.repositoryName(name) == name)
    }

    @Test(arguments: [".", "..", "", "-x", "a/b", "a b", "demo.git", "demo.GIT", "a\0", "a\nb", "a;b", "$(id)",
                      "a`b", "ä", String(repeating: "r", count: 101)])
    func refusesRepositoryNames(_ name: String) {
        #expect(plueError { _ = try Validation.repositoryName(name) }?.code == .invalidInput)
    }

    @Test(arguments: ["main", "release/2.0", "feature-x", "v1", "a.b", "user/alice/work"])
    func acceptsBranchNames(_ name: String) throws {
        #expect(try Validation.branchName(name) == name)
    }

    /// One rule on every path: what `git check-ref-format --branch` refuses, and what it allows but
    /// would be read as something else (an option, HEAD, a full ref name).
    @Test(arguments: ["", "-evil", "@", "HEAD", "refs/plue/keep/x", "refs/heads/main", "a..b", "a b", "a\nb", "a\0b",
                      "heads/main", "tags/v1", "remotes/origin/x", "HEAD/x", "FETCH_HEAD", "ORIG_HEAD", "a~1", "a^", "a:b", "a?", "a*", "a[", "a\\b", "a.lock", "a/", "/a", "a//b", ".a", "a@{1}",
                      String(repeating: "b", count: 256)])
    func refusesBranchNames(_ name: String) {
        #expect(plueError { _ = try Validation.branchName(name) }?.code == .invalidInput)
    }

    @Test(arguments: [
        ("https://alice:s3cret@example.com/x.git", "https://***@example.com/x.git"),
        ("fatal: unable to access 'http://TOKEN@host:8080/a/b/': refused", "fatal: unable to access 'http://***@host:8080/a/b/': refused"),
        ("ssh://git@example.com/x.git", "ssh://git@example.com/x.git"),
        ("ssh://git:pw@example.com/x.git", "ssh://***@example.com/x.git"),
        ("two https://a:b@h1/ and https://c@h2/x", "two https://***@h1/ and https://***@h2/x"),
        ("https://example.com/user@host", "https://example.com/user@host"),
        ("no url at all, a@b", "no url at all, a@b"),
        ("http:///u:SECRET@127.0.0.1:1/r", "http:///***@127.0.0.1:1/r"),
        ("http:/u:SECRET@127.0.0.1:1/r", "http:/***@127.0.0.1:1/r"),
        ("git://u:SECRET@host/r", "git://***@host/r"),
        ("https://host/r.git?access_token=SECRET&x=1", "https://host/r.git?access_token=***&x=1"),
        ("scp form git@host:/srv/r.git", "scp form git@host:/srv/r.git"),
    ])
    func redactsCredentialsInURLs(_ text: String, _ expected: String) {
        #expect(Redaction.credentials(in: text) == expected)
    }

    @Test func redactsTheURLsOwnCredentialsWhereverGitRepeatsThem() {
        let url = "git://u:SECRET@127.0.0.1:9/r"
        #expect(Redaction.credentials(in: "fatal: unable to look up u:SECRET@127.0.0.1 (port 9)", from: url)
                == "fatal: unable to look up *** @127.0.0.1 (port 9)".replacingOccurrences(of: "*** @", with: "***@"))
        #expect(!Redaction.credentials(in: "password SECRET rejected", from: url).contains("SECRET"))
        // A plain user name is no secret: git's message stays readable.
        let message = "fatal: could not read from git@github.com: git-upload-pack not found"
        #expect(Redaction.credentials(in: message, from: "ssh://git@github.com/o/r") == message)
        #expect(Redaction.credentials(in: "fatal: a", from: "https://a@example.com/x") == "fatal: a")
    }

    @Test func fullNameAcceptsTrailingGit() throws {
        let parsed = try Validation.fullName("alice/demo.git")
        #expect(parsed.owner == "alice" && parsed.name == "demo")
    }

    @Test(arguments: ["alice", "alice/", "/demo", "alice/demo/x", "../demo", "alice/..", "alice/../x", "-a/b", "a/-b"])
    func refusesFullNames(_ text: String) {
        #expect(plueError { _ = try Validation.fullName(text) }?.code == .invalidInput)
    }

    @Test(arguments: ["a@example.com", "first.last+tag@sub.example.org"])
    func acceptsEmails(_ email: String) throws {
        #expect(try Validation.email(email) == email)
    }

    @Test(arguments: ["", "a", "a@", "@example.com", "a@b", "a b@example.com", "a@@example.com", "a@example..com",
                      "a@.example.com", "a@example.com\n", "<a@example.com>", String(repeating: "a", count: 250) + "@example.com"])
    func refusesEmails(_ email: String) {
        #expect(plueError { _ = try Validation.email(email) }?.code == .invalidInput)
    }

    @Test func treePathsAreNormalised() throws {
        #expect(try Validation.treePath("") == "")
        #expect(try Validation.treePath("/") == "")
        #expect(try Validation.treePath("/src/main.swift") == "src/main.swift")
        #expect(try Validation.treePath("src/") == "src")
        #expect(try Validation.treePath("-weird name.txt") == "-weird name.txt")
    }

    @Test(arguments: ["..", "../etc/passwd", "a/../../b", "a/./b", "a//b", "a\0b", "a\nb", String(repeating: "a/", count: 3000)])
    func refusesTreePaths(_ path: String) {
        #expect(plueError { _ = try Validation.treePath(path) }?.code == .invalidInput)
    }

    @Test(arguments: ["main", "v1.0", "HEAD~2", "0123abcd", "refs/heads/main"])
    func acceptsRevisions(_ revision: String) throws {
        #expect(try Validation.revision(revision) == revision)
    }

    @Test(arguments: ["", "-n", "--upload-pack=x", "a b", "a\nb", "a\0b", String(repeating: "x", count: 300)])
    func refusesRevisions(_ revision: String) {
        #expect(plueError { _ = try Validation.revision(revision) }?.code == .invalidInput)
    }

    /// A few hundred generated strings that mix every hostile ingredient: none may pass as a name.
    @Test func refusesGeneratedHostileNames() {
        // Each ingredient is outside both alphabets, so any string containing one must be refused.
        let ingredients = ["/", "\0", "\n", "\r", " ", "$(", "`", ";", "|", "&", "'", "\"", "\\", "\u{7F}", "\t", "é", "*", "~"]
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<400 {
            var text = Bool.random(using: &generator) ? "-" : ""
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                text += ["a", "B", "7", "_"].randomElement(using: &generator)!
                text += ingredients.randomElement(using: &generator)!
            }
            #expect(plueError { _ = try Validation.repositoryName(text) }?.code == .invalidInput, "accepted \(text.debugDescription)")
            #expect(plueError { _ = try Validation.userName(text) }?.code == .invalidInput, "accepted \(text.debugDescription)")
        }
    }

    @Test func apiTokensAreCutWhereverTheyStand() {
        let token = "plue_" + String(repeating: "0123456789", count: 4)
        #expect(Redaction.apiTokens(in: "/api/v1/\(token)/x") == "/api/v1/plue_***/x")
        #expect(Redaction.apiTokens(in: token + token) == "plue_***plue_***")
        // Not a token: too short, upper-case hex, or only the prefix.
        #expect(Redaction.apiTokens(in: "plue_0123") == "plue_0123")
        #expect(Redaction.apiTokens(in: "plue_" + String(repeating: "A", count: 40)) == "plue_" + String(repeating: "A", count: 40))
        #expect(Redaction.apiTokens(in: "née plue_") == "née plue_")
        // A path, percent-encoded or not.
        #expect(Redaction.requestPath("/a/%70lue%5F\(token.dropFirst(5))/b") == "/a/plue_***/b")
        #expect(Redaction.requestPath("/a/\(token)/b%20c") == "/a/plue_***/b c", "decoded once a token is cut")
        #expect(Redaction.requestPath("/a/b%20c") == "/a/b%20c")
        #expect(Redaction.requestPath("/a/plue%255f\(token.dropFirst(5))") == "/a/plue_***", "encoded twice")
        #expect(Redaction.requestPath("/a/PLUE%5F\(token.dropFirst(5))") == "/a/plue_***", "upper-case prefix")
    }

    @Test func hugeInputIsRefusedQuickly() {
        let huge = String(repeating: "a", count: 1 << 20)
        #expect(plueError { _ = try Validation.repositoryName(huge) }?.code == .invalidInput)
        #expect(plueError { _ = try Validation.userName(huge) }?.code == .invalidInput)
        #expect(plueError { _ = try Validation.email(huge) }?.code == .invalidInput)
        #expect(plueError { _ = try Validation.description(huge) }?.code == .invalidInput)
    }
}

/// A small deterministic generator so generated cases are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
