/// Listings of repositories a page at a time, each holding only what the principal may read.
extension RepositoryService {
    /// One page of the repositories whose name contains `text` (case ignored; `%` and `_` are
    /// characters like any other) that the principal may read, by owner and name. Empty text
    /// lists every one it may read.
    public func search(_ text: String, page: Page, as principal: Principal) throws -> Paged<Repository> {
        let text = try Validation.searchText(text)
        let found = try database.repositories(nameContaining: text).map(repository)
        return page.slice(try authorizer.readable(found, by: principal))
    }

    /// One page of the repositories the principal's account owns or collaborates on, by owner and
    /// name (Gitea's `/user/repos`). Only an account has any.
    public func accountRepositories(page: Page, as principal: Principal) throws -> Paged<Repository> {
        let all = try database.repositories(owner: nil).map(repository)
        return page.slice(try authorizer.ownedOrShared(all, with: principal))
    }
}
