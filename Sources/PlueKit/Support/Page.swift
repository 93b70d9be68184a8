/// One page of a listing, as the API asks for it: `page` counts from 1, `limit` items each (1 to
/// 50, 20 unless given, as Gitea's defaults). A service that lists takes one and answers with a
/// `Paged`, so every listing counts and cuts the same way.
public struct Page: Sendable, Equatable {
    public static let defaultSize = 20
    public static let maximumSize = 50

    public let number: Int
    public let size: Int

    /// Refuses a page below 1, a size outside 1...50, and a page so far out that its first item's
    /// offset would overflow.
    public init(number: Int = 1, size: Int = Page.defaultSize) throws {
        guard number >= 1 else {
            throw PlueError.usage("page must be a whole number from 1, got \(number)")
        }
        guard (1...Self.maximumSize).contains(size) else {
            throw PlueError.usage("limit must be a whole number from 1 to \(Self.maximumSize), got \(size)")
        }
        guard !(number - 1).multipliedReportingOverflow(by: size).overflow else {
            throw PlueError.usage("page \(number) is past the end of any listing")
        }
        self.number = number
        self.size = size
    }

    /// How many items come before this page.
    public var offset: Int { (number - 1) * size }

    /// This page of `items`, which hold the whole listing.
    public func slice<Item>(_ items: [Item]) -> Paged<Item> {
        let start = min(offset, items.count)
        let end = min(start + size, items.count)
        return Paged(items: Array(items[start..<end]), total: items.count, page: self)
    }
}

/// One page of a listing, and how many items the whole listing holds.
public struct Paged<Item> {
    public let items: [Item]
    public let total: Int
    public let page: Page

    public init(items: [Item], total: Int, page: Page) {
        self.items = items
        self.total = total
        self.page = page
    }

    /// The number of the last page: 1 for an empty listing.
    public var lastPage: Int { max(1, (total + page.size - 1) / page.size) }

    public func map<Other>(_ transform: (Item) throws -> Other) rethrows -> Paged<Other> {
        Paged<Other>(items: try items.map(transform), total: total, page: page)
    }
}

extension Paged: Sendable where Item: Sendable {}
