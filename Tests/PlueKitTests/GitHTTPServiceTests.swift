import Foundation
import PlueKit
import PlueTestSupport
import Testing

/// The decisions behind git over HTTP, without a server (the end-to-end tests have one): one 401
/// for every anonymous refusal, not found for an account that may not see, the token's scope and
/// limits, and the command each allowed request runs.
@Suite struct GitHTTPServiceTests {
    let forge: Forge
    var service: GitHTTPService { forge.plue.gitHTTP }

    init() throws {
        forge = try Forge(user: "alice")
        _ = try forge.plue.users.create(name: "bob", email: "bob@example.com", admin: false, as: .operator)
        _ = try forge.plue.repositories.create("alice/public", as: .operator)
        _ = try forge.plue.repositories.create("alice/secret", isPrivate: true, as: .operator)
    }

    func request(_ repository: String, _ service: GitHTTPService.Service, advertisement: Bool = true,
                 gitProtocol: String? = nil, maxPackBytes: Int? = nil) -> GitHTTPService.Request {
        GitHTTPService.Request(repository: repository, service: service, advertisement: advertisement, gitProtocol: gitProtocol,
                               maxPackBytes: maxPackBytes, route: "GET /{owner}/{repo}/info/refs", remoteAddress: "127.0.0.1")
    }

    func token(_ user: String, _ scopes: [String], repositories: [String] = []) throws -> AuthenticatedToken {
        let tokens = forge.plue.tokens
        return try tokens.authenticate(tokens.create(user: user, name: "t\(UUID().uuidString.prefix(8))", scopes: scopes,
                                                     repositories: repositories, as: .operator).secret)
    }

    func refusal(_ request: GitHTTPService.Request, _ token: AuthenticatedToken?) -> PlueError? {
        plueError { _ = try service.plan(request, as: token.map { .user($0.user) } ?? .anonymous, token: token) }
    }

    /// What every git command for a client starts with, the pack-objects hook's script elided
    /// (the end-to-end tests show what it does).
    static let transport = ["-c", "uploadpack.hideRefs=refs/plue/", "-c", "receive.hideRefs=refs/plue/",
                            "-c", "uploadpack.packObjectsHook=...", "-c", "uploadarchive.allowUnreachable=false"]

    static func elided(_ arguments: [String]) -> [String] {
        arguments.map { $0.hasPrefix("uploadpack.packObjectsHook=") ? "uploadpack.packObjectsHook=..." : $0 }
    }

    @Test func anyoneWithoutATokenReadsPublicRepositoriesAndIsAskedForOneOtherwise() throws {
        let plan = try service.plan(request("alice/public.git", .uploadPack), as: .anonymous, token: nil)
        #expect(plan.repository == "alice/public" && plan.announcesService)
        #expect(Self.elided(plan.arguments)
            == Self.transport + ["upload-pack", "--stateless-rpc", "--advertise-refs", forge.home.root + "/repos/alice/public.git"])
        #expect(plan.environment.isEmpty)
        // Private, missing, and a push anywhere: one answer, word for word.
        let answers = [request("alice/secret", .uploadPack), request("alice/nothing", .uploadPack),
                       request("alice/public", .receivePack), request("alice/secret", .receivePack, advertisement: false)]
            .map { refusal($0, nil) }
        #expect(answers.allSatisfy { $0?.code == .unauthenticated && $0?.message == GitHTTPService.credentialsNeeded.message }, "\(answers)")
    }

    @Test func accountsSeeWhatTheirPermissionsAllowThroughTheirTokens() throws {
        let bob = try token("bob", ["all"])
        let hidden = refusal(request("alice/secret", .uploadPack), bob)
        let missing = refusal(request("alice/nothing", .uploadPack), bob)
        #expect(hidden?.code == .notFound && hidden?.message.replacingOccurrences(of: "secret", with: "X")
            == missing?.message.replacingOccurrences(of: "nothing", with: "X"))
        #expect(refusal(request("alice/public", .receivePack), bob)?.code == .permissionDenied)

        let alice = try token("alice", ["write:repository"])
        let push = try service.plan(request("alice/secret", .receivePack, advertisement: false, gitProtocol: "version=2",
                                            maxPackBytes: 1000), as: .user(alice.user), token: alice)
        #expect(Self.elided(push.arguments) == Self.transport + ["-c", "receive.maxInputSize=1000", "receive-pack", "--stateless-rpc",
                                                                 forge.home.root + "/repos/alice/secret.git"])
        // The pusher the hooks record, as over SSH; a push is never protocol v2, so it keeps its service line.
        #expect(push.environment == ["PLUE_PUSHER": "alice", "GIT_PROTOCOL": "version=2"] && push.announcesService)
    }

    @Test func fetchesInProtocolVersion2HaveNoServiceLineAndOddProtocolValuesAreDropped() throws {
        let v2 = try service.plan(request("alice/public", .uploadPack, gitProtocol: "version=2"), as: .anonymous, token: nil)
        #expect(!v2.announcesService && v2.environment == ["GIT_PROTOCOL": "version=2"])
        let odd = try service.plan(request("alice/public", .uploadPack, gitProtocol: "version=2; rm -rf /"), as: .anonymous, token: nil)
        #expect(odd.announcesService && odd.environment.isEmpty)
    }

    @Test func tokensAreHeldToTheirScopesAndLimitsAndRefusalsAreAudited() throws {
        let reader = try token("alice", ["read:repository"])
        #expect(throws: Never.self) { try service.plan(request("alice/secret", .uploadPack), as: .user(reader.user), token: reader) }
        #expect(refusal(request("alice/secret", .receivePack), reader)?.code == .insufficientScope)
        let elsewhere = try token("alice", ["write:repository"], repositories: ["alice/public"])
        #expect(refusal(request("alice/secret", .uploadPack), elsewhere)?.code == .insufficientScope)
        let user = try token("alice", ["read:user"])
        #expect(refusal(request("alice/public", .uploadPack), user)?.code == .insufficientScope)
        let events = try forge.plue.audit.list(as: .operator)
        #expect(events.map(\.outcome).sorted() == ["missing_scope", "missing_scope", "outside_repositories"], "\(events)")
        #expect(events.allSatisfy { $0.route == "GET /{owner}/{repo}/info/refs" && $0.remoteAddress == "127.0.0.1" })
    }

    @Test func childrenGetTheAllowListedEnvironmentAndAreReaped() throws {
        let alice = try token("alice", ["all"])
        let plan = try service.plan(request("alice/public", .receivePack, advertisement: false), as: .user(alice.user), token: alice)
        let child = try plan.start()
        // receive-pack waits for its input: its environment can be read meanwhile. Only the
        // allow-list of this process's variables, and what the plan sets (the end-to-end test
        // sets a variable in the server and looks for it).
        let environment = processEnvironment(child.pid)
        #expect(environment.contains("PLUE_PUSHER=alice"), "\(environment)")
        let allowed: Set<String> = ["PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TERM", "TZ", "TMPDIR", "PLUE_PUSHER"]
        let names = environment.map { String($0.prefix { $0 != "=" }) }
        #expect(names.allSatisfy { allowed.contains($0) || $0.hasPrefix("LC_") }, "\(names)")
        close(child.input)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while read(child.output, &buffer, buffer.count) > 0 {}
        close(child.output)
        close(child.errorOutput)
        var status: Int32?
        for _ in 0..<500 where status == nil {
            status = child.exitStatus()
            if status == nil { usleep(10_000) }
        }
        #expect(status != nil)
        #expect(kill(child.pid, 0) == -1 && errno == ESRCH, "reaped, not a zombie")
    }

    /// The environment of a running process. posix_spawn returns once the child's exec has begun,
    /// before the kernel has set up the new environment: read again until it is there.
    func processEnvironment(_ pid: Int32) -> [String] {
        for _ in 0..<200 {
            let text = String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ"))) ?? Data(), as: UTF8.self)
            if !text.isEmpty { return text.split(separator: "\0").map(String.init) }
            usleep(10_000)
        }
        return []
    }
}
