import Foundation
import GRDB
@testable import PlueKit
import PlueTestSupport
import Testing

/// Creating, listing and revoking tokens on a real database; what is stored is read back with SQL.
@Suite struct TokenServiceTests {
    let forge: Forge
    var tokens: TokenService { forge.plue.tokens }

    init() throws {
        forge = try Forge(user: "alice")
        _ = try forge.plue.users.create(name: "bob", email: "bob@example.com", admin: false, as: .operator)
        _ = try forge.plue.users.create(name: "root1", email: "root1@example.com", admin: true, as: .operator)
        _ = try forge.plue.repositories.create("alice/one", as: .operator)
        _ = try forge.plue.repositories.create("alice/two", as: .operator)
    }

    static func isSecret(_ text: String) -> Bool {
        text.count == 45 && text.hasPrefix("plue_") && text.dropFirst(5).allSatisfy { "0123456789abcdef".contains($0) }
    }

    @Test func createReturnsTheSecretOnceAndListShowsEverythingButIt() throws {
        let start = Timestamp.now()
        let created = try tokens.create(user: "alice", name: "ci", scopes: ["write:repository", "read:user"],
                                        repositories: ["alice/two", "alice/one"], expiresInDays: 30, as: .operator)
        #expect(Self.isSecret(created.secret), "\(created.secret)")
        let token = created.token
        #expect(token.user == "alice" && token.name == "ci" && token.state == .active)
        #expect(token.scopes == [.writeRepository, .readUser])
        #expect(token.repositories == ["alice/one", "alice/two"] && token.session == nil)
        #expect(token.createdAt >= start && token.revokedAt == nil && token.lastUsedAt == nil)
        #expect(token.expiresAt == token.createdAt.addingTimeInterval(30 * 86_400))

        let other = try tokens.create(user: "alice", name: "forever", scopes: ["all"], as: .operator)
        #expect(other.secret != created.secret && other.token.expiresAt == nil && other.token.repositories == nil)
        #expect(try tokens.list(user: "alice", as: .operator) == [token, other.token])
        #expect(try tokens.list(user: "bob", as: .operator).isEmpty)

        let listed = try tokens.list(user: "alice", as: .operator).json.rendered()
        #expect(!listed.contains(created.secret) && !listed.contains(other.secret) && !listed.contains("plue_"))
        #expect(!listed.contains(TokenSecret.sha256(created.secret)))
        #expect(created.json.rendered().components(separatedBy: created.secret).count == 2, "the secret once")
    }

    @Test func scopesAreParsedOnceEachInOneOrderAndUnknownOnesListTheValidOnes() throws {
        let created = try tokens.create(user: "alice", name: "joined", scopes: ["write:user,read:repository", "read:repository"], as: .operator)
        #expect(created.token.scopes == [.readRepository, .writeUser])
        for scopes in [["bogus"], ["read:repository", "write:everything"], ["read:repository,"], ["READ:REPOSITORY"], [], [""]] {
            let error = plueError { _ = try tokens.create(user: "alice", name: "bad", scopes: scopes, as: .operator) }
            #expect(error?.code == .invalidInput, "\(scopes)")
            #expect(error?.message.contains(TokenScope.validList) == true, "\(scopes): \(error?.message ?? "")")
        }
        #expect(TokenScope.validList == "read:repository, write:repository, read:user, write:user, read:admin, write:admin, all")
    }

    @Test func onlyAnAdministratorsTokenMayHoldAdminScopes() throws {
        for scope in ["read:admin", "write:admin"] {
            #expect(plueError { _ = try tokens.create(user: "alice", name: "a", scopes: [scope], as: .operator) }?.code == .invalidInput)
            #expect(try tokens.create(user: "root1", name: scope, scopes: [scope], as: .operator).token.scopes.map(\.rawValue) == [scope])
        }
        // `all` is everything its user has: an ordinary account may hold it.
        #expect(try tokens.create(user: "alice", name: "everything", scopes: ["all"], as: .operator).token.scopes == [.all])
    }

    @Test func badRequestsAreRefusedAndCreateNothing() throws {
        _ = try tokens.create(user: "alice", name: "Taken", scopes: ["read:user"], as: .operator)
        let cases: [(String, PlueError.Code, () throws -> Void)] = [
            ("empty name", .invalidInput, { _ = try tokens.create(user: "alice", name: "", scopes: ["all"], as: .operator) }),
            ("newline", .invalidInput, { _ = try tokens.create(user: "alice", name: "a\nb", scopes: ["all"], as: .operator) }),
            ("escape", .invalidInput, { _ = try tokens.create(user: "alice", name: "a\u{1B}[2Jb", scopes: ["all"], as: .operator) }),
            ("NUL", .invalidInput, { _ = try tokens.create(user: "alice", name: "a\0b", scopes: ["all"], as: .operator) }),
            ("101 characters", .invalidInput, { _ = try tokens.create(user: "alice", name: String(repeating: "x", count: 101), scopes: ["all"], as: .operator) }),
            ("100 KB", .invalidInput, { _ = try tokens.create(user: "alice", name: String(repeating: "é", count: 50_000), scopes: ["all"], as: .operator) }),
            ("combining marks", .invalidInput, { _ = try tokens.create(user: "alice", name: "a" + String(repeating: "\u{301}", count: 200), scopes: ["all"], as: .operator) }),
            ("same name, other case", .alreadyExists, { _ = try tokens.create(user: "alice", name: "taken", scopes: ["all"], as: .operator) }),
            ("unknown user", .notFound, { _ = try tokens.create(user: "nobody", name: "x", scopes: ["all"], as: .operator) }),
            ("malformed user", .invalidInput, { _ = try tokens.create(user: "-alice", name: "x", scopes: ["all"], as: .operator) }),
            ("unknown repository", .notFound, { _ = try tokens.create(user: "alice", name: "x", scopes: ["all"], repositories: ["alice/one", "alice/nope"], as: .operator) }),
            ("malformed repository", .invalidInput, { _ = try tokens.create(user: "alice", name: "x", scopes: ["all"], repositories: ["../etc"], as: .operator) }),
            ("unknown session", .notFound, { _ = try tokens.create(user: "alice", name: "x", scopes: ["all"], session: "0123456789abcdef", as: .operator) }),
            ("malformed session", .invalidInput, { _ = try tokens.create(user: "alice", name: "x", scopes: ["all"], session: "../x", as: .operator) }),
            ("zero days", .invalidInput, { _ = try tokens.create(user: "alice", name: "x", scopes: ["all"], expiresInDays: 0, as: .operator) }),
            ("negative days", .invalidInput, { _ = try tokens.create(user: "alice", name: "x", scopes: ["all"], expiresInDays: -1, as: .operator) }),
            ("too many days", .invalidInput, { _ = try tokens.create(user: "alice", name: "x", scopes: ["all"], expiresInDays: 36_501, as: .operator) }),
        ]
        for (label, code, body) in cases {
            let error = plueError(body)
            #expect(error?.code == code, "\(label): \(String(describing: error))")
        }
        #expect(try tokens.list(user: "alice", as: .operator).map(\.name) == ["Taken"])
        // A name is unique per user only, and may hold any printable text.
        #expect(try tokens.create(user: "bob", name: "Taken", scopes: ["all"], as: .operator).token.user == "bob")
        #expect(try tokens.create(user: "alice", name: "\u{202E}evil", scopes: ["all"], as: .operator).token.name == "\u{202E}evil")
    }

    @Test func revokeStopsTheTokenAndASecondRevokeIsNotFound() throws {
        let created = try tokens.create(user: "alice", name: "ci", scopes: ["all"], as: .operator)
        _ = try tokens.authenticate(created.secret)
        let revoked = try tokens.revoke(id: created.token.id, as: .operator)
        #expect(revoked.state == .revoked && revoked.revokedAt != nil && revoked.id == created.token.id)
        #expect(plueError { _ = try tokens.authenticate(created.secret) }?.code == .unauthenticated)
        #expect(plueError { _ = try tokens.revoke(id: created.token.id, as: .operator) }?.code == .notFound)
        #expect(plueError { _ = try tokens.revoke(id: 999, as: .operator) }?.code == .notFound)
        #expect(try tokens.list(user: "alice", as: .operator).map(\.state) == [.revoked])
    }

    @Test func aTokenExpiresAfterItsDaysAndListSaysSo() throws {
        let start = Timestamp.now()
        let clock = TestClock(start)
        let service = tokens.at { clock.now }
        let created = try service.create(user: "alice", name: "short", scopes: ["read:user"], expiresInDays: 2, as: .operator)
        clock.now = start.addingTimeInterval(2 * 86_400 - 1)
        #expect(try service.authenticate(created.secret).id == created.token.id)
        #expect(try service.list(user: "alice", as: .operator).first?.state == .active)
        clock.now = start.addingTimeInterval(2 * 86_400)
        #expect(plueError { _ = try service.authenticate(created.secret) }?.code == .unauthenticated)
        #expect(try service.list(user: "alice", as: .operator).first?.state == .expired)
    }

    @Test func lastUseIsRecordedAtMostOnceAMinute() throws {
        let start = Timestamp.now()
        let clock = TestClock(start)
        let service = tokens.at { clock.now }
        let created = try service.create(user: "alice", name: "ci", scopes: ["all"], as: .operator)
        _ = try service.authenticate(created.secret)
        #expect(try service.list(user: "alice", as: .operator).first?.lastUsedAt == start)
        clock.now = start.addingTimeInterval(59)
        _ = try service.authenticate(created.secret)
        #expect(try service.list(user: "alice", as: .operator).first?.lastUsedAt == start)
        clock.now = start.addingTimeInterval(60)
        _ = try service.authenticate(created.secret)
        #expect(try service.list(user: "alice", as: .operator).first?.lastUsedAt == start.addingTimeInterval(60))
    }

    /// Nothing in the database, neither any column nor the file's bytes, holds a secret: only the
    /// 64-hex SHA-256 of each, as `sha256sum` computes it.
    @Test func theDatabaseHoldsOnlyTheHashOfEachSecret() throws {
        let created = try (0..<3).map { try tokens.create(user: "alice", name: "t\($0)", scopes: ["all"], repositories: ["alice/one"], as: .operator) }
        let queue = try DatabaseQueue(path: forge.home.databasePath)
        let stored = try queue.read { db in
            try String.fetchAll(db, sql: "SELECT secret_sha256 FROM api_token ORDER BY id")
        }
        for (token, hash) in zip(created, stored) {
            let expected = try Command.run("/usr/bin/sha256sum", [], input: Data(token.secret.utf8)).text.prefix(64)
            #expect(hash == String(expected), "\(hash)")
        }
        let everyText = try queue.read { db in
            var values: [String] = []
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier)") {
                    values += row.databaseValues.map { String(describing: $0) }
                }
            }
            return values.joined(separator: "\n")
        }
        var fileBytes = Data()
        for suffix in ["", "-wal"] {
            fileBytes += (try? Data(contentsOf: URL(fileURLWithPath: forge.home.databasePath + suffix))) ?? Data()
        }
        let fileText = String(decoding: fileBytes, as: UTF8.self)
        for token in created {
            let hex = String(token.secret.dropFirst(5))
            #expect(!everyText.contains(hex) && !fileText.contains(hex), "the secret is stored")
        }
        #expect(!everyText.contains("plue_"))
    }

    /// The lookup by hash already finds only an equal hash, so authenticate alone cannot show
    /// that the second comparison works: it is checked here.
    @Test func theConstantTimeComparisonTellsEveryDifference() {
        let hash = TokenSecret.sha256("plue_" + String(repeating: "0", count: 40))
        #expect(hash.count == 64 && TokenSecret.constantTimeEqual(hash, hash))
        for index in [0, 31, 63] {
            var bytes = Array(hash.utf8)
            bytes[index] = bytes[index] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
            #expect(!TokenSecret.constantTimeEqual(hash, String(decoding: bytes, as: UTF8.self)), "\(index)")
        }
        #expect(!TokenSecret.constantTimeEqual(hash, String(hash.dropLast())) && !TokenSecret.constantTimeEqual("", hash))
        #expect(TokenSecret.constantTimeEqual("", ""))
    }

    @Test func deletingEveryRepositoryOfALimitedTokenLeavesItReachingNone() throws {
        let created = try tokens.create(user: "alice", name: "one", scopes: ["all"], repositories: ["alice/one"], as: .operator)
        _ = try forge.plue.repositories.delete("alice/one", as: .operator)
        #expect(try tokens.list(user: "alice", as: .operator).first?.repositories == [])
        let recreated = try forge.plue.repositories.create("alice/one", as: .operator)
        let token = try tokens.authenticate(created.secret)
        #expect(token.repositoryIDs == [])
        #expect(plueError {
            try tokens.authorize(token, needs: .readRepository, repository: recreated, route: "GET /repos/alice/one")
        }?.code == .insufficientScope)
    }
}

/// A clock tests move by hand.
final class TestClock: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var time: Date
    init(_ time: Date) { self.time = time }
    var now: Date {
        get { lock.lock(); defer { lock.unlock() }; return time }
        set { lock.lock(); time = newValue; lock.unlock() }
    }
}
