import PlueKit
import PlueTestSupport
import Testing

@Suite struct UserServiceTests {
    @Test func createListShow() throws {
        let forge = try Forge(user: nil)
        let bob = try forge.plue.users.create(name: "bob", email: "bob@example.com", admin: true, as: .operator)
        _ = try forge.plue.users.create(name: "Alice", email: "alice@example.com", admin: false, as: .operator)
        #expect(bob.admin && bob.name == "bob" && bob.email == "bob@example.com")
        #expect(try forge.plue.users.list(as: .operator).map(\.name) == ["Alice", "bob"])
        #expect(try forge.plue.users.show("BOB", as: .operator) == bob, "lookups ignore case")
    }

    @Test func namesAndEmailsAreUniqueIgnoringCase() throws {
        let forge = try Forge(user: "alice")
        #expect(plueError { _ = try forge.plue.users.create(name: "ALICE", email: "other@example.com", admin: false, as: .operator) }?.code == .alreadyExists)
        #expect(plueError { _ = try forge.plue.users.create(name: "carol", email: "Alice@Example.com", admin: false, as: .operator) }?.code == .alreadyExists)
        #expect(try forge.plue.users.list(as: .operator).map(\.name) == ["alice"], "a refused create writes nothing")
    }

    @Test func badInputIsRefused() throws {
        let forge = try Forge(user: nil)
        #expect(plueError { _ = try forge.plue.users.create(name: "admin", email: "a@example.com", admin: false, as: .operator) }?.code == .invalidInput)
        #expect(plueError { _ = try forge.plue.users.create(name: "-x", email: "a@example.com", admin: false, as: .operator) }?.code == .invalidInput)
        #expect(plueError { _ = try forge.plue.users.create(name: "ok", email: "not-an-email", admin: false, as: .operator) }?.code == .invalidInput)
        #expect(plueError { _ = try forge.plue.users.show("nobody", as: .operator) }?.code == .notFound)
        #expect(try forge.plue.users.list(as: .operator).isEmpty)
    }
}
