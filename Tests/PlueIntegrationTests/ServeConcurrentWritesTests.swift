import Foundation
import PlueTestSupport
import Testing

/// The same write sent six times at once, as the threat model asks of every new command: one
/// request wins, the others are told the name or key is taken, and one row is left.
@Suite struct ServeConcurrentWritesTests {
    let directory = TemporaryDirectory("plue-api-concurrent")

    func sixAtOnce(_ forge: APIForge, _ path: String, body: String) -> [Int] {
        let statuses = Statuses()
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            statuses.add((try? forge.send("POST", path, token: "alice", json: body).status) ?? 0)
        }
        return statuses.sorted
    }

    final class Statuses: @unchecked Sendable {
        // @unchecked: every access holds `lock`.
        private let lock = NSLock()
        private var values: [Int] = []
        func add(_ value: Int) { lock.lock(); values.append(value); lock.unlock() }
        var sorted: [Int] { lock.lock(); defer { lock.unlock() }; return values.sorted() }
    }

    @Test func sixTokensOrKeysOfOneNameAtOnceLeaveOne() throws {
        let forge = try APIForge(directory)
        let before = try #require(try forge.plue.json(["token", "list", "alice"]) as? [[String: Any]]).count
        let tokens = sixAtOnce(forge, "/api/v1/users/alice/tokens", body: #"{"name": "twin", "scopes": ["read:user"]}"#)
        #expect(tokens == [201, 409, 409, 409, 409, 409], "\(tokens)")
        #expect(try #require(try forge.plue.json(["token", "list", "alice"]) as? [[String: Any]]).count == before + 1)

        let key = try GeneratedKey.make("ed25519", in: directory.path)
        let keys = sixAtOnce(forge, "/api/v1/user/keys", body: #"{"title": "twin", "key": "\#(key.publicKeyLine)"}"#)
        #expect(keys == [201, 409, 409, 409, 409, 409], "\(keys)")
        #expect(try #require(try forge.plue.json(["ssh-key", "list", "alice"]) as? [[String: Any]]).count == 1)
    }

    @Test func sixDeletesOfOneRepositoryAtOnceAreOneDeleteAndFive404s() throws {
        let forge = try APIForge(directory)
        let statuses = Statuses()
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            statuses.add((try? forge.curl("/api/v1/repos/alice/demo", token: "alice", ["-X", "DELETE"]).status) ?? 0)
        }
        #expect(statuses.sorted == [204, 404, 404, 404, 404, 404], "\(statuses.sorted)")
        #expect(!FileManager.default.fileExists(atPath: forge.plue.home + "/repos/alice/demo.git"))
    }
}
