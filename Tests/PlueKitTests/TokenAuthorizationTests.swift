import Foundation
import GRDB
@testable import PlueKit
import PlueTestSupport
import Testing

/// What the HTTP server will ask for every request: who a token speaks for, and whether it may do
/// what the route needs, on real databases, repositories and sessions.
@Suite struct TokenAuthorizationTests {
    let forge: Forge
    let one: Repository
    let two: Repository
    var tokens: TokenService { forge.plue.tokens }

    init() throws {
        forge = try Forge(user: "alice")
        _ = try forge.plue.users.create(name: "root1", email: "root1@example.com", admin: true, as: .operator)
        one = try forge.plue.repositories.create("alice/one", as: .operator)
        two = try forge.plue.repositories.create("alice/two", as: .operator)
        let work = try forge.workTree(files: ["README.md": "hello\n"])
        for repository in [one, two] { try Command.git(["push", "-q", repository.path, "main"], in: work) }
    }

    func token(_ user: String = "alice", name: String = "t", scopes: [String] = ["all"], repositories: [String] = [],
               session: String? = nil) throws -> AuthenticatedToken {
        try tokens.authenticate(tokens.create(user: user, name: name, scopes: scopes, repositories: repositories, session: session, as: .operator).secret)
    }

    /// The refusal's code, or nil when the request may go on.
    func refusal(_ token: AuthenticatedToken, _ scope: TokenScope, repository: Repository? = nil, session: String? = nil) -> PlueError.Code? {
        plueError { try tokens.authorize(token, needs: scope, repository: repository, session: session, route: "GET /test") }?.code
    }

    @Test func malformedUnknownRevokedExpiredAndUserlessTokensGetOneAnswer() throws {
        let start = Timestamp.now()
        let clock = TestClock(start)
        let service = tokens.at { clock.now }
        _ = try forge.plue.users.create(name: "gone", email: "gone@example.com", admin: false, as: .operator)
        _ = try forge.plue.users.create(name: "dangling", email: "dangling@example.com", admin: false, as: .operator)
        let good = try service.create(user: "alice", name: "good", scopes: ["all"], as: .operator).secret
        let revoked = try service.create(user: "alice", name: "revoked", scopes: ["all"], as: .operator)
        _ = try service.revoke(id: revoked.token.id, as: .operator)
        let expired = try service.create(user: "alice", name: "expired", scopes: ["all"], expiresInDays: 1, as: .operator).secret
        let ofDeletedUser = try service.create(user: "gone", name: "x", scopes: ["all"], as: .operator).secret
        let ofDanglingUser = try service.create(user: "dangling", name: "x", scopes: ["all"], as: .operator).secret
        // A user deleted with foreign keys on takes its tokens along; one deleted without them
        // (by hand, with the sqlite3 shell) leaves a row that must not authenticate either.
        let queue = try DatabaseQueue(path: forge.home.databasePath)
        try queue.write { try $0.execute(sql: "DELETE FROM user WHERE name = 'gone'") }
        var unchecked = Configuration()
        unchecked.foreignKeysEnabled = false
        try DatabaseQueue(path: forge.home.databasePath, configuration: unchecked).write {
            try $0.execute(sql: "DELETE FROM user WHERE name = 'dangling'")
        }
        clock.now = start.addingTimeInterval(86_400)

        let body = String(good.dropFirst(5))
        let refused = ["", "plue_", body, "plue-" + body, "plue_" + body.uppercased(), "PLUE_" + body, String(good.dropLast()),
                       good + "0", good + "\n", " " + good, String(good.dropLast()) + "g", String(good.dropLast()) + "\0", "Bearer " + good,
                       "plue_" + String(repeating: "0", count: 40), "plue_" + String(repeating: "é", count: 20),
                       revoked.secret, expired, ofDeletedUser, ofDanglingUser]
        for secret in refused {
            let error = plueError { _ = try service.authenticate(secret) }
            #expect(error?.code == .unauthenticated && error?.message == TokenService.unauthenticated.message, "\(secret.debugDescription)")
            #expect(error?.description.contains(secret) != true || secret.isEmpty, "the secret is never in the error")
        }
        #expect(PlueError.Code.unauthenticated.httpStatus == 401 && PlueError.Code.unauthenticated.exitCode == 77)
        let accepted = try service.authenticate(good)
        #expect(accepted.user.name == "alice" && accepted.name == "good" && accepted.scopes == [.all])
        #expect(accepted.repositoryIDs == nil && accepted.session == nil)
    }

    /// Every scope against every scope a route may need: write implies read of its own kind, `all`
    /// implies everything, and nothing else covers anything.
    @Test func theScopeMatrix() throws {
        let covers: [TokenScope: Set<TokenScope>] = [
            .readRepository: [.readRepository],
            .writeRepository: [.readRepository, .writeRepository],
            .readUser: [.readUser],
            .writeUser: [.readUser, .writeUser],
            .readAdmin: [.readAdmin],
            .writeAdmin: [.readAdmin, .writeAdmin],
            .all: Set(TokenScope.allCases),
        ]
        var refusals = 0
        for held in TokenScope.allCases {
            // An administrator's tokens, so that only the scope decides.
            let token = try token("root1", name: held.rawValue, scopes: [held.rawValue])
            for needed in TokenScope.allCases {
                let allowed = covers[held]!.contains(needed)
                #expect(held.covers(needed) == allowed, "\(held) covers \(needed)")
                #expect(refusal(token, needed, repository: one) == (allowed ? nil : .insufficientScope), "\(held) for \(needed)")
                if !allowed { refusals += 1 }
            }
        }
        #expect(refusals == 49 - 16, "16 of the 49 pairs are allowed")
        let events = try forge.plue.audit.list(limit: 1000, as: .operator)
        #expect(events.count == refusals && Set(events.map(\.outcome)) == [AuditEvent.Outcome.missingScope.rawValue])
    }

    @Test func aTokenNeverGivesSiteAdministrationToAUserWhoIsNotAnAdministrator() throws {
        let token = try token(scopes: ["all"])
        for scope in [TokenScope.readAdmin, .writeAdmin] {
            let error = plueError { try tokens.authorize(token, needs: scope, route: "GET /admin/users") }
            #expect(error?.code == .permissionDenied && error?.message.contains(scope.rawValue) == true, "\(String(describing: error))")
        }
        #expect(try forge.plue.audit.list(as: .operator).map(\.outcome) == ["not_admin", "not_admin"])
        #expect(refusal(try self.token("root1", scopes: ["all"]), .writeAdmin) == nil)
    }

    @Test func aRepositoryLimitAdmitsOnlyItsRepositoriesAndTheirSessions() throws {
        let limited = try token(scopes: ["write:repository"], repositories: ["alice/one"])
        #expect(limited.repositoryIDs == [one.id])
        let inOne = try forge.plue.sessions.new(repository: "alice/one", as: .operator)
        let inTwo = try forge.plue.sessions.new(repository: "alice/two", as: .operator)
        #expect(refusal(limited, .writeRepository, repository: one) == nil)
        #expect(refusal(limited, .readRepository, repository: one, session: inOne.id) == nil)
        #expect(refusal(limited, .readRepository, session: inOne.id) == nil)
        #expect(refusal(limited, .readRepository, repository: two) == .insufficientScope)
        #expect(refusal(limited, .readRepository, session: inTwo.id) == .insufficientScope)
        #expect(refusal(limited, .readRepository, repository: one, session: inTwo.id) == .insufficientScope)
        #expect(refusal(limited, .readRepository, session: "0123456789abcdef") == .insufficientScope)
        #expect(refusal(limited, .readRepository) == .insufficientScope, "a route about no repository")
        #expect(try forge.plue.audit.list(as: .operator).map(\.outcome) == Array(repeating: "outside_repositories", count: 5))

        let unlimited = try token(name: "u", scopes: ["read:repository"])
        #expect(refusal(unlimited, .readRepository, repository: two) == nil && refusal(unlimited, .readRepository) == nil)
    }

    @Test func aSessionLimitAdmitsOnlyItsSession() throws {
        let session = try forge.plue.sessions.new(repository: "alice/one", as: .operator)
        let other = try forge.plue.sessions.new(repository: "alice/one", as: .operator)
        let agent = try token(scopes: ["write:repository"], session: session.id)
        #expect(agent.session == session.id && agent.repositoryIDs == [one.id])
        let listed = try #require(try tokens.list(user: "alice", as: .operator).first)
        #expect(listed.session == session.id && listed.repositories == ["alice/one"])

        #expect(refusal(agent, .writeRepository, repository: one, session: session.id) == nil)
        #expect(refusal(agent, .readRepository, session: session.id) == nil)
        #expect(refusal(agent, .writeRepository, repository: one, session: other.id) == .insufficientScope)
        #expect(refusal(agent, .readRepository, repository: one) == .insufficientScope, "the repository without the session")
        #expect(refusal(agent, .readRepository, repository: two) == .insufficientScope)
        #expect(refusal(agent, .readRepository) == .insufficientScope, "a route about no session")
        #expect(try forge.plue.audit.list(as: .operator).map(\.outcome) == ["outside_session", "outside_session", "outside_session", "outside_session"])

        // --repo may only repeat the session's own repository.
        #expect(try tokens.create(user: "alice", name: "same", scopes: ["all"], repositories: ["alice/one"], session: other.id, as: .operator)
            .token.repositories == ["alice/one"])
        #expect(plueError {
            _ = try tokens.create(user: "alice", name: "wider", scopes: ["all"], repositories: ["alice/two"], session: other.id, as: .operator)
        }?.code == .usage)

        // The limit outlives the session: deleting it widens nothing.
        _ = try forge.plue.sessions.delete(session.id, confirmed: true, force: true, as: .operator)
        let again = try tokens.authenticate(tokens.create(user: "alice", name: "after", scopes: ["all"], as: .operator).secret)
        #expect(again.session == nil)
        #expect(try tokens.list(user: "alice", as: .operator).first?.session == session.id)
        #expect(refusal(agent, .readRepository, repository: one, session: other.id) == .insufficientScope)
    }

    @Test func aRefusalNamesTheScopeAndIsRecordedWithEveryField() throws {
        let start = Timestamp.now()
        let service = tokens.at { start }
        let token = try service.authenticate(service.create(user: "alice", name: "reader", scopes: ["read:repository"], as: .operator).secret)
        let route = "POST /api/v1/repos/{owner}/{repo}/sessions"
        let error = plueError {
            try service.authorize(token, needs: .writeRepository, repository: one, route: route, remoteAddress: "192.0.2.7")
        }
        #expect(error?.code == .insufficientScope && error?.code.rawValue == "insufficient_scope")
        #expect(error?.code.httpStatus == 403 && error?.code.exitCode == 77)
        #expect(error?.message.contains("write:repository") == true && error?.message.contains(route) == true, "\(error?.message ?? "")")
        #expect(error?.cause == nil)

        let events = try forge.plue.audit.list(as: .operator)
        #expect(events.count == 1)
        let event = try #require(events.first)
        #expect(event.time == start && event.tokenID == token.id && event.user == "alice" && event.route == route)
        #expect(event.scopeNeeded == "write:repository" && event.remoteAddress == "192.0.2.7" && event.outcome == "missing_scope")
        // A request that is let through leaves no event.
        try service.authorize(token, needs: .readRepository, repository: one, route: "GET /x")
        #expect(try forge.plue.audit.list(as: .operator).count == 1)
    }

    @Test func theAuditLogListsNewestFirstKeepsHostileTextExactAndCutsHugeText() throws {
        let token = try token(scopes: ["read:user"])
        let hostile = "GET /\u{1B}[2J\u{202E}evil\nline"
        for route in ["GET /first", hostile, String(repeating: "r", count: 100_000)] {
            _ = plueError { try tokens.authorize(token, needs: .writeUser, route: route, remoteAddress: nil) }
        }
        let events = try forge.plue.audit.list(as: .operator)
        #expect(events.count == 3 && events[2].route == "GET /first" && events[1].route == hostile)
        #expect(events[0].route.count == AuditLog.maximumFieldLength && events[0].remoteAddress == nil)
        #expect(try forge.plue.audit.list(limit: 1, as: .operator).map(\.id) == [events[0].id])
        #expect(plueError { _ = try forge.plue.audit.list(limit: 0, as: .operator) }?.code == .invalidInput)
    }

    @Test func anAuthorizationHeaderYieldsItsToken() {
        let secret = "plue_" + String(repeating: "ab", count: 20)
        let basic = Data("git:\(secret)".utf8).base64EncodedString()
        for header in ["Bearer \(secret)", "bearer \(secret)", "token \(secret)", "Token  \(secret) ", "Basic \(basic)", "\tBearer\t\(secret)\t"] {
            #expect(TokenCredential.secret(fromAuthorization: header) == secret, "\(header)")
        }
        let noPassword = Data("git:".utf8).base64EncodedString()
        for header in ["", "Bearer", "Bearer ", secret, "Digest \(secret)", "Basic \(noPassword)", "Basic !!!", "Bearer\u{A0}\(secret)"] {
            #expect(TokenCredential.secret(fromAuthorization: header) == nil, "\(header)")
        }
    }
}
