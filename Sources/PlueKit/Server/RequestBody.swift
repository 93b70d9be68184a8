import Foundation
import Hummingbird
import PlueKit

/// A JSON request body: read up to the server's limit (413 past it), parsed as one object (400
/// when it is not JSON or not an object), its fields read with their types checked (400 when a
/// field has the wrong type, `null` included: leave a field out to leave it unset). Unknown fields
/// are refused, where Gitea ignores them.
struct JSONBody {
    private let fields: [String: Any]

    /// `allowingEmpty`: for routes whose fields are all optional, no body at all reads as `{}`.
    /// `fields`: the names the route reads; any other is refused (400), so a misspelt limit or
    /// permission (`"privat": true`, `"perm": "read"`) is not silently left at its default.
    static func read(_ request: Request, limit: Int, allowingEmpty: Bool = false, fields: [String]) async throws -> JSONBody {
        try RawBody.refuseContentEncoding(request)
        let buffer = try await request.body.collect(upTo: limit)
        let data = Data(buffer.readableBytesView)
        if data.isEmpty && allowingEmpty { return JSONBody(fields: [:]) }
        guard !data.isEmpty else { throw PlueError.usage("the request needs a JSON object as its body") }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw PlueError.usage("the request body is not valid JSON; send one JSON object")
        }
        guard let object = parsed as? [String: Any] else { throw PlueError.usage("the request body must be a JSON object") }
        if let unknown = object.keys.filter({ !fields.contains($0) }).min() {
            throw PlueError.usage("the request body has a field this route does not take, \(Validation.quoted(unknown)); "
                                  + (fields.isEmpty ? "it takes none: send no body or {}" : "it takes \(fields.joined(separator: ", "))"))
        }
        return JSONBody(fields: object)
    }

    /// For a route that takes no fields: no body or `{}`, anything else refused (400) rather than
    /// ignored (`{"count": 2}` to undo would otherwise undo one step and say nothing).
    static func refuseFields(_ request: Request, limit: Int) async throws {
        _ = try await read(request, limit: limit, allowingEmpty: true, fields: [])
    }

    func string(_ key: String) throws -> String? {
        guard let value = fields[key] else { return nil }
        guard let text = value as? String else { throw PlueError.usage("the field \(key) must be a string") }
        return text
    }

    func requiredString(_ key: String) throws -> String {
        guard let text = try string(key) else { throw PlueError.usage("the field \(key) is required") }
        return text
    }

    /// A whole number; 400 for a string, a boolean or a fraction.
    func int(_ key: String) throws -> Int64? {
        guard let value = fields[key] else { return nil }
        guard let number = value as? NSNumber, String(cString: number.objCType) != "c", let whole = Int64(number.stringValue) else {
            throw PlueError.usage("the field \(key) must be a whole number")
        }
        return whole
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = fields[key] else { return nil }
        // JSONSerialization gives NSNumber for numbers and booleans alike, and 1 converts to Bool:
        // only a number whose type is C's `char` came from true or false.
        guard let number = value as? NSNumber, String(cString: number.objCType) == "c" else {
            throw PlueError.usage("the field \(key) must be true or false")
        }
        return number.boolValue
    }

    func stringArray(_ key: String) throws -> [String]? {
        guard let value = fields[key] else { return nil }
        let array = value as? [Any] ?? []
        let strings = array.compactMap { $0 as? String }
        guard value is [Any], strings.count == array.count else {
            throw PlueError.usage("the field \(key) must be an array of strings")
        }
        return strings
    }
}

/// A body taken as it is (a file's bytes, a patch): read up to the server's limit, 413 past it.
enum RawBody {
    static func read(_ request: Request, limit: Int) async throws -> [UInt8] {
        try refuseContentEncoding(request)
        return Array(try await request.body.collect(upTo: limit).readableBytesView)
    }

    /// 415 for a body sent compressed (`Content-Encoding: gzip` and the like), before any of it is
    /// read: the API takes bodies as they are, and reading gzip as JSON would say "not JSON", or
    /// worse, write a file's compressed bytes in place of the file. git's own requests may be gzip.
    static func refuseContentEncoding(_ request: Request) throws {
        switch request.headers[.contentEncoding]?.trimmingCharacters(in: .whitespaces).lowercased() {
        case nil, "identity": return
        default:
            throw HTTPError(.unsupportedMediaType, message: "the API takes request bodies uncompressed; send this one without Content-Encoding")
        }
    }
}
