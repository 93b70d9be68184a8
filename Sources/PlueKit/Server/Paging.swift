import Foundation
import Hummingbird
import PlueKit

/// Listings a page at a time, as Gitea's API pages them: `page` (from 1) and `limit` (1 to 50,
/// 20 unless given) from the query, and in the answer `X-Total-Count` and an RFC 8288 `Link` with
/// the first, previous, next and last pages.
enum Paging {
    static let totalCount = HTTPFields.Element.Name("X-Total-Count")!
    static let link = HTTPFields.Element.Name("Link")!

    /// The page a request asks for; 400 for a page or limit that is not a whole number in range.
    static func page(_ request: Request) throws -> Page {
        let query = request.uri.queryParameters
        return try Page(number: number(query["page"], "page") ?? 1, size: number(query["limit"], "limit") ?? Page.defaultSize)
    }

    private static func number(_ text: Substring?, _ name: String) throws -> Int? {
        guard let text else { return nil }
        let digits = text.hasPrefix("-") ? text.dropFirst() : text
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (48...57).contains($0) }), let value = Int(text) else {
            throw PlueError.usage("\(name) must be a whole number: page from 1, limit from 1 to \(Page.maximumSize)")
        }
        return value
    }

    /// `items`, one page of `paged`, as a JSON array (or Gitea's search answer, `{"ok": true,
    /// "data": [...]}`), with the headers that say where the page is.
    static func response<Item>(_ items: [JSON], of paged: Paged<Item>, for request: Request, searchResult: Bool = false) -> Response {
        let body: JSON = searchResult ? .object([("ok", .bool(true)), ("data", .array(items))]) : .array(items)
        var response = JSONResponse.make(body)
        response.headers[totalCount] = String(paged.total)
        response.headers[link] = links(paged, request: request)
        return response
    }

    /// The `Link` header: relative references to the same path and query with another page.
    static func links<Item>(_ paged: Paged<Item>, request: Request) -> String {
        let number = paged.page.number, last = paged.lastPage
        var relations: [(String, Int)] = []
        if number < last { relations.append(("next", number + 1)) }
        relations.append(("last", last))
        relations.append(("first", 1))
        if number > 1 { relations.append(("prev", min(number - 1, last))) }
        let base = encoded(request.uri.path, keeping: "/%") + "?" + otherQueryItems(request).map { $0 + "&" }.joined()
        return relations.map { "<\(base)page=\($0.1)&limit=\(paged.page.size)>; rel=\"\($0.0)\"" }.joined(separator: ", ")
    }

    /// The query's items other than page and limit, decoded and encoded again, so the header holds
    /// nothing but unreserved characters and percent escapes.
    private static func otherQueryItems(_ request: Request) -> [String] {
        guard let query = request.uri.query, !query.isEmpty else { return [] }
        return query.split(separator: "&").compactMap { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            guard key != "page", key != "limit", !key.isEmpty else { return nil }
            let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
            return encoded(key, keeping: "") + "=" + encoded(value, keeping: "")
        }
    }

    /// Percent-encodes every byte but RFC 3986's unreserved characters and `keeping`.
    private static func encoded(_ text: String, keeping: String) -> String {
        var result = ""
        for byte in text.utf8 {
            let character = Character(Unicode.Scalar(byte))
            if byte < 0x80 && (character.isLetter || character.isNumber || "-._~".contains(character) || keeping.contains(character)) {
                result.append(character)
            } else {
                result += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return result
    }
}
