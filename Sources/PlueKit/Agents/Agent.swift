import Foundation

/// A command an administrator registered for turns started over HTTP. A request names an agent,
/// never a command line: what may run on the server is decided by whoever runs the server.
public struct Agent: Sendable, Equatable, JSONRepresentable {
    public let name: String
    /// The program and its arguments, run as they are (no shell unless the command is one).
    public let command: [String]
    /// Variables of the server's environment passed on to it, besides the allow-list every agent gets.
    public let environment: [String]
    /// Its whole process group is stopped after this many seconds.
    public let timeoutSeconds: Int64
    public let createdAt: Date

    public var json: JSON {
        .object([("name", .string(name)), ("command", .array(command.map(JSON.string))),
                 ("environment", .array(environment.map(JSON.string))), ("timeoutSeconds", .int(timeoutSeconds)),
                 ("createdAt", .time(createdAt))])
    }
}

/// Agent names: what a request names, so plain and short.
enum AgentName {
    static func validated(_ name: String) throws -> String {
        let bytes = Array(name.utf8)
        func plain(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        guard (1...64).contains(bytes.count), plain(bytes[0]),
              bytes.allSatisfy({ plain($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") })
        else {
            throw PlueError.invalidInput("invalid agent name \(Validation.quoted(name)): use 1 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit")
        }
        return name
    }
}
