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
        write(to: &output, indent: 0) { _ in }
        return String(decoding: output, as: UTF8.self)
    }

    /// Writes the document and a newline to a file descriptor (standard output by default) through
    /// one 64 KiB buffer: a large listing never exists whole in memory, once as bytes and again as
    /// a String, which cost `repo show --json` fresh pages at every doubling. Returns false if the
    /// descriptor stopped taking bytes (a closed pipe); the rest is not written.
    @discardableResult
    public func write(toDescriptor descriptor: Int32 = 1) -> Bool {
        // Anything printed before through C's buffered stdout goes first.
        fflush(nil)
        var output: [UInt8] = []
        output.reserveCapacity(Self.flushSize + 4096)
        var failed = false
        let flush: (inout [UInt8]) -> Void = { bytes in
            if !failed { failed = !Self.writeAll(bytes, to: descriptor) }
            bytes.removeAll(keepingCapacity: true)
        }
        write(to: &output, indent: 0, flush: flush)
        output.append(UInt8(ascii: "\n"))
        flush(&output)
        return !failed
    }

    private static let flushSize = 64 * 1024

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }

    // Bytes are appended in runs (plain string runs, literals, indentation), never one by one:
    // a listing of 1,000 branches took 1.5 ms written byte by byte.
    private func write(to output: inout [UInt8], indent: Int, flush: (inout [UInt8]) -> Void) {
        switch self {
        case .null: Self.append("null", to: &output)
        case .bool(let value): Self.append(value ? "true" : "false", to: &output)
        case .int(let value): output += String(value).utf8
        case .string(let value): Self.writeString(value, to: &output)
        case .array(let values):
            guard !values.isEmpty else { Self.append("[]", to: &output); return }
            Self.append("[\n", to: &output)
            for (index, value) in values.enumerated() {
                Self.indent(indent + 2, to: &output)
                value.write(to: &output, indent: indent + 2, flush: flush)
                Self.append(index == values.count - 1 ? "\n" : ",\n", to: &output)
                if output.count >= Self.flushSize { flush(&output) }
            }
            Self.indent(indent, to: &output)
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            guard !members.isEmpty else { Self.append("{}", to: &output); return }
            Self.append("{\n", to: &output)
            for (index, (key, value)) in members.enumerated() {
                Self.indent(indent + 2, to: &output)
                Self.writeString(key, to: &output)
                Self.append(": ", to: &output)
                value.write(to: &output, indent: indent + 2, flush: flush)
                Self.append(index == members.count - 1 ? "\n" : ",\n", to: &output)
            }
            Self.indent(indent, to: &output)
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func append(_ text: StaticString, to output: inout [UInt8]) {
        output.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private static let spaces = [UInt8](repeating: UInt8(ascii: " "), count: 64)

    private static func indent(_ count: Int, to output: inout [UInt8]) {
        var left = count
        while left > 0 {
            let run = min(left, spaces.count)
            output.append(contentsOf: spaces[0..<run])
            left -= run
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Escapes on UTF-8 bytes: multi-byte sequences never contain bytes below 0x80, so they pass
    /// through. Runs that need no escape are copied whole.
    private static func writeString(_ value: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var text = value
        text.withUTF8 { bytes in
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                runStart = index + 1
                switch byte {
                case UInt8(ascii: "\""): append("\\\"", to: &output)
                case UInt8(ascii: "\\"): append("\\\\", to: &output)
                case UInt8(ascii: "\n"): append("\\n", to: &output)
                case UInt8(ascii: "\r"): append("\\r", to: &output)
                case UInt8(ascii: "\t"): append("\\t", to: &output)
                default:
                    append("\\u00", to: &output)
                    output.append(hexDigits[Int(byte >> 4)])
                    output.append(hexDigits[Int(byte & 0x0F)])
                }
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
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
