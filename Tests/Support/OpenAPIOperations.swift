/// One operation of Plue's OpenAPI document: its method, path and who may call it.
public struct DocumentedOperation: Hashable, Sendable, CustomStringConvertible {
    public enum Security: Hashable, Sendable {
        /// `security: []`: no token is read.
        case open
        /// `security: [{token: ["scope"]}]`, and with `, {}` also without a token.
        case token(String, anonymous: Bool)
    }

    public let method: String
    public let path: String
    /// Nil when the operation has no `security` line of the form Plue writes.
    public let security: Security?

    public init(method: String, path: String, security: Security?) {
        self.method = method
        self.path = path
        self.security = security
    }

    public var description: String { "\(method) \(path) \(security.map { "\($0)" } ?? "no security line")" }

    /// The operations of `document`, read from its lines as Plue writes them (no YAML library): a
    /// path is two spaces and `/...:` under `paths:`, an operation four spaces and a method, and
    /// its security the one line `security: ...` six spaces in.
    public static func parse(_ document: String) -> [DocumentedOperation] {
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]
        var operations: [DocumentedOperation] = []
        var inPaths = false
        var path: String?
        var current: (method: String, path: String, security: Security?)?
        func finish() {
            if let current { operations.append(DocumentedOperation(method: current.method, path: current.path, security: current.security)) }
            current = nil
        }
        for line in document.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") && !line.isEmpty {
                finish()
                inPaths = line == "paths:"
                continue
            }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), !line.hasPrefix("   "), line.hasSuffix(":") {
                finish()
                path = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":"),
                      methods.contains(String(line.dropFirst(4).dropLast())), let path {
                finish()
                current = (String(line.dropFirst(4).dropLast()).uppercased(), path, nil)
            } else if line.hasPrefix("      security: "), !line.hasPrefix("       "), current != nil {
                current?.security = security(String(line.dropFirst("      security: ".count)))
            }
        }
        finish()
        return operations
    }

    /// `[]`, `[{token: ["scope"]}]` or `[{token: ["scope"]}, {}]`; nil for anything else.
    static func security(_ text: String) -> Security? {
        if text == "[]" { return .open }
        let prefix = #"[{token: [""#
        for (suffix, anonymous) in [(#""]}]"#, false), (#""]}, {}]"#, true)] where text.hasPrefix(prefix) && text.hasSuffix(suffix) {
            let scope = text.dropFirst(prefix.count).dropLast(suffix.count)
            guard !scope.isEmpty, !scope.contains("\"") else { return nil }
            return .token(String(scope), anonymous: anonymous)
        }
        return nil
    }
}
