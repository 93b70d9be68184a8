import Foundation

/// A JSON document built by hand: Plue's one output shape for `--json` and (later) the HTTP API.
/// Written without Codable so that printing a large listing costs no runtime reflection
/// (Foundation's JSONEncoder spent a third of `plue repo show --json` in dynamic casts).
public indirect enum JSON: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case string(String)
    case array([JSON])
    /// Members in the order given.
    case object([(String, JSON)])

    /// The document as text: two-space indentation, keys in the order given, UTF-8 as is.
    public func rendered() -> String {
        var output: [UInt8] = []
        output.reserveCapacity(4096)
        write(to: &output, indent: 0)
        return String(decoding: output, as: UTF8.self)
    }

    private func write(to output: inout [UInt8], indent: Int) {
        switch self {
        case .null: output += "null".utf8
        case .bool(let value): output += (value ? "true" : "false").utf8
        case .int(let value): output += String(value).utf8
        case .string(let value): Self.writeString(value, to: &output)
        case .array(let values):
            guard !values.isEmpty else { output += "[]".utf8; return }
            output += "[\n".utf8
            for (index, value) in values.enumerated() {
                output += repeatElement(UInt8(ascii: " "), count: indent + 2)
                value.write(to: &output, indent: indent + 2)
                output += (index == values.count - 1 ? "\n" : ",\n").utf8
            }
            output += repeatElement(UInt8(ascii: " "), count: indent)
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            guard !members.isEmpty else { output += "{}".utf8; return }
            output += "{\n".utf8
            for (index, (key, value)) in members.enumerated() {
                output += repeatElement(UInt8(ascii: " "), count: indent + 2)
                Self.writeString(key, to: &output)
                output += ": ".utf8
                value.write(to: &output, indent: indent + 2)
                output += (index == members.count - 1 ? "\n" : ",\n").utf8
            }
            output += repeatElement(UInt8(ascii: " "), count: indent)
            output.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Escapes on UTF-8 bytes: multi-byte sequences never contain bytes below 0x80, so they pass through.
    private static func writeString(_ value: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output += "\\\"".utf8
            case UInt8(ascii: "\\"): output += "\\\\".utf8
            case UInt8(ascii: "\n"): output += "\\n".utf8
            case UInt8(ascii: "\r"): output += "\\r".utf8
            case UInt8(ascii: "\t"): output += "\\t".utf8
            case 0..<0x20, 0x7F:
                output += "\\u00".utf8
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}

/// A value Plue reports: it says how it looks as JSON.
public protocol JSONRepresentable {
    var json: JSON { get }
}

extension Array: JSONRepresentable where Element: JSONRepresentable {
    public var json: JSON { .array(map(\.json)) }
}

extension JSON {
    static func time(_ date: Date) -> JSON { .string(Timestamp.iso8601(date)) }
    static func optional(_ value: String?) -> JSON { value.map(JSON.string) ?? .null }
}
