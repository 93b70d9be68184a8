import Foundation
import PlueKit
import PlueTestSupport
import Testing

/// Searches of accounts and repositories and the pages every listing is cut into: what matches
/// (`%`, `_` and `\` as themselves, SQL as text), what each caller may see, and how pages count.
@Suite struct SearchAndPagingTests {
    @Test func pagesRefuseWhatIsOutOfRangeAndCutListingsTheSameWay() throws {
        for (number, size) in [(0, 20), (-1, 20), (1, 0), (1, 51), (1, -5), (Int.max, 50)] {
            #expect(plueError { _ = try Page(number: number, size: size) }?.code == .usage, "\(number) \(size)")
        }
        let page = try Page(number: 2, size: 3)
        let cut = page.slice(Array(1...8))
        #expect(cut.items == [4, 5, 6] && cut.total == 8 && cut.lastPage == 3)
        #expect(try Page(number: 4, size: 3).slice(Array(1...8)).items.isEmpty)
        #expect(try Page().slice([Int]()).lastPage == 1)
        #expect(try Page(number: 3, size: 50).offset == 100)
    }

    @Test func userSearchMatchesMetacharactersAsThemselves() throws {
        let forge = try Forge(user: nil)
        for name in ["alice", "al_ce", "alxce", "bob", "a_b", "carol-1"] {
            _ = try forge.plue.users.create(name: name, email: "\(name)@example.com", admin: false, as: .operator)
        }
        let alice = try forge.plue.users.show("alice", as: .operator)
        func names(_ text: String, _ page: Page? = nil) throws -> [String] {
            try forge.plue.users.search(text, page: page ?? Page(), as: .user(alice)).items.map(\.name)
        }
        #expect(try names("_") == ["a_b", "al_ce"], "_ is a character, not any character")
        #expect(try names("al_c") == ["al_ce"])
        #expect(try names("%").isEmpty && names("\\").isEmpty, "% and \\ are characters too")
        #expect(try names("AL") == ["al_ce", "alice", "alxce"], "case is ignored")
        #expect(try names("") == ["a_b", "al_ce", "alice", "alxce", "bob", "carol-1"])
        #expect(try names("' OR 1=1 --").isEmpty && names("x'; DROP TABLE user;--").isEmpty)
        #expect(try forge.plue.users.list(as: .operator).count == 6, "the users are all still there")

        let second = try forge.plue.users.search("", page: Page(number: 2, size: 4), as: .user(alice))
        #expect(second.items.map(\.name) == ["bob", "carol-1"] && second.total == 6 && second.lastPage == 2)
        #expect(plueError { _ = try names("a\u{0}b") }?.code == .invalidInput)
        #expect(plueError { _ = try names(String(repeating: "a", count: 101)) }?.code == .invalidInput)
    }

    @Test func accountsSeeOtherAccountsWithoutTheirEmailsAndAnonymousSeesNone() throws {
        let forge = try Forge(user: "alice")
        let admin = try forge.plue.users.create(name: "root1", email: "root@example.com", admin: true, as: .operator)
        let alice = try forge.plue.users.show("alice", as: .operator)
        let byAlice = try forge.plue.users.profile("root1", as: .user(alice))
        #expect(byAlice.name == "root1" && byAlice.email == nil && byAlice.admin == nil)
        let ownProfile = try forge.plue.users.profile("ALICE", as: .user(alice))
        #expect(ownProfile.email == "alice@example.com" && ownProfile.admin == false)
        #expect(try forge.plue.users.profile("alice", as: .user(admin)).email == "alice@example.com")
        #expect(try forge.plue.users.search("root", page: Page(), as: .user(alice)).items.first?.email == nil)
        #expect(plueError { _ = try forge.plue.users.profile("alice", as: .anonymous) }?.code == .permissionDenied)
        #expect(plueError { _ = try forge.plue.users.search("", page: Page(), as: .anonymous) }?.code == .permissionDenied)
        #expect(plueError { _ = try forge.plue.users.profile("nobody", as: .user(alice)) }?.code == .notFound)
        #expect(plueError { _ = try forge.plue.users.create(name: "search", email: "s@example.com", admin: false, as: .operator) }?.code == .invalidInput,
                "search is reserved: /api/v1/users/search would hide such an account")
    }

    @Test func repositorySearchAndAccountListingHoldOnlyWhatTheCallerMaySee() throws {
        let forge = try Forge(user: "alice")
        let bob = try forge.plue.users.create(name: "bob", email: "bob@example.com", admin: false, as: .operator)
        let alice = try forge.plue.users.show("alice", as: .operator)
        for (name, isPrivate) in [("alice/open_1", false), ("alice/hidden", true), ("alice/shared", true), ("bob/open-2", false)] {
            _ = try forge.plue.repositories.create(name, isPrivate: isPrivate, as: .operator)
        }
        _ = try forge.plue.access.addCollaborator(repository: "alice/shared", user: "bob", permission: .read, as: .operator)
        func search(_ text: String, _ principal: Principal) throws -> [String] {
            try forge.plue.repositories.search(text, page: Page(), as: principal).items.map(\.fullName)
        }
        #expect(try search("", .anonymous) == ["alice/open_1", "bob/open-2"])
        #expect(try search("", .user(bob)) == ["alice/open_1", "alice/shared", "bob/open-2"])
        #expect(try search("", .user(alice)) == ["alice/hidden", "alice/open_1", "alice/shared", "bob/open-2"])
        #expect(try search("_", .user(alice)) == ["alice/open_1"])
        #expect(try search("HID", .user(bob)).isEmpty, "a private repository is not found by its name either")
        let page = try forge.plue.repositories.search("", page: Page(number: 2, size: 1), as: .anonymous)
        #expect(page.items.map(\.fullName) == ["bob/open-2"] && page.total == 2)

        let bobs = try forge.plue.repositories.accountRepositories(page: Page(), as: .user(bob))
        #expect(bobs.items.map(\.fullName) == ["alice/shared", "bob/open-2"] && bobs.total == 2)
        #expect(plueError { _ = try forge.plue.repositories.accountRepositories(page: Page(), as: .anonymous) }?.code == .permissionDenied)
    }

    @Test func pushEventsComeAPageAtATimeNewestFirst() throws {
        let forge = try Forge()
        let repository = try forge.plue.repositories.create("alice/demo", as: .operator)
        let work = try forge.workTree(files: ["a": "1\n"])
        for branch in ["b1", "b2", "b3"] {
            try Command.git(["push", "-q", repository.path, "main:\(branch)"], in: work)
        }
        let first = try forge.plue.pushes.events("alice/demo", page: Page(number: 1, size: 2), as: .anonymous)
        #expect(first.items.map(\.ref) == ["refs/heads/b3", "refs/heads/b2"] && first.total == 3)
        let second = try forge.plue.pushes.events("alice/demo", page: Page(number: 2, size: 2), as: .anonymous)
        #expect(second.items.map(\.ref) == ["refs/heads/b1"])
    }
}
