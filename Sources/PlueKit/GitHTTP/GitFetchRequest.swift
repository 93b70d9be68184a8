/// What a fetch asks for, read from its pkt-lines only as far as the fetch cache needs: the ids it
/// wants. Protocol v0 and v2 both name them as `want ID` lines (v0 adds capabilities after the
/// first); git itself reads the request, this only decides whether a kept answer may be used.
public enum GitFetchRequest {
    /// The wanted ids of a fetch request (inflated), or nil when its answer must come from git
    /// each time: not a well-formed run of pkt-lines; a v2 command other than `fetch` (`ls-refs`
    /// lists the refs as they are now); no `want`; a `want-ref` (a ref by name, resolved by git
    /// when it answers) or a `deepen-not` (a ref too).
    public static func wants(in body: [UInt8]) -> [String]? {
        var wants: [String] = []
        var position = 0
        var version2Command: String?
        while position < body.count {
            guard position + 4 <= body.count, let length = Int(String(decoding: body[position..<position + 4], as: UTF8.self), radix: 16),
                  body[position..<position + 4].allSatisfy(Hex.isDigit) else { return nil }
            if length <= 2 {  // flush, delimiter, response end
                position += 4
                continue
            }
            guard length >= 4, position + length <= body.count else { return nil }
            var line = String(decoding: body[position + 4..<position + length], as: UTF8.self)
            position += length
            if line.hasSuffix("\n") { line.removeLast() }
            if line.hasPrefix("command=") {
                // git answers the first command of a request; one that sends two is not kept.
                guard version2Command == nil else { return nil }
                version2Command = String(line.dropFirst("command=".count))
            }
            if line.hasPrefix("want-ref ") || line.hasPrefix("deepen-not ") { return nil }
            if line.hasPrefix("want ") {
                let id = line.dropFirst("want ".count).prefix { $0 != " " }
                guard id.count == 40 || id.count == 64, id.utf8.allSatisfy(Hex.isDigit) else { return nil }
                wants.append(String(id))
            }
        }
        if let version2Command, version2Command != "fetch" { return nil }
        return wants.isEmpty ? nil : wants
    }
}
