import Foundation

/// A JSON document built by hand: Plue's one output shape for `--json` and (later) the HTTP API.
/// Written without Codable so that printing a large listing costs no runtime reflection
/// (Foundation's JSONEncoder spent a third of `plue repo show --json` in dynamic casts).
public enum JSON: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case string(String)
    case array([JSON])
    /// Members in the order given.
    case object([(String, JSON)])
    /// An array of objects that all have the same string members: `keys`, then the values of each
    /// object in turn (`values.count` is a multiple of `keys.count`). A long listing written this
    /// way costs one array, not an array and a value per member of every object.
    case rows(keys: [String], values: [String])

    /// The document as text: two-space indentation, keys in the order given, UTF-8 as is.
    public func rendered() -> String {
        let output = JSONOutput(descriptor: nil)
        write(to: output, indent: 0)
        return output.text()
    }

    /// Writes the document and a newline to a file descriptor (standard output by default) through
    /// one 64 KiB buffer: a large listing never exists whole in memory, once as bytes and again as
    /// a String, which cost `repo show --json` fresh pages at every doubling. Returns false if the
    /// descriptor stopped taking bytes (a closed pipe); the rest is not written.
    @discardableResult
    public func write(toDescriptor descriptor: Int32 = 1) -> Bool {
        // Anything printed before through C's buffered stdout goes first.
        fflush(nil)
        let output = JSONOutput(descriptor: descriptor)
        write(to: output, indent: 0)
        output.append(UInt8(ascii: "\n"))
        return output.flush()
    }

    private func write(to output: JSONOutput, indent: Int) {
        switch self {
        case .null: output.append("null")
        case .bool(let value): output.append(value ? "true" : "false")
        case .int(let value): output.append(String(value))
        case .string(let value): output.appendQuoted(value)
        case .array(let values):
            guard !values.isEmpty else { output.append("[]"); return }
            output.append("[\n")
            for (index, value) in values.enumerated() {
                output.indent(indent + 2)
                value.write(to: output, indent: indent + 2)
                output.append(index == values.count - 1 ? "\n" : ",\n")
            }
            output.indent(indent)
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            guard !members.isEmpty else { output.append("{}"); return }
            output.append("{\n")
            for (index, (key, value)) in members.enumerated() {
                output.indent(indent + 2)
                output.appendQuoted(key)
                output.append(": ")
                value.write(to: output, indent: indent + 2)
                output.append(index == members.count - 1 ? "\n" : ",\n")
            }
            output.indent(indent)
            output.append(UInt8(ascii: "}"))
        case .rows(let keys, let values):
            precondition(!keys.isEmpty && values.count % keys.count == 0, "JSON rows need whole rows of values")
            guard !values.isEmpty else { output.append("[]"); return }
            output.append("[\n")
            var index = 0
            while index < values.count {
                output.indent(indent + 2)
                output.append("{\n")
                for (column, key) in keys.enumerated() {
                    output.indent(indent + 4)
                    output.appendQuoted(key)
                    output.append(": ")
                    output.appendQuoted(values[index + column])
                    output.append(column == keys.count - 1 ? "\n" : ",\n")
                }
                index += keys.count
                output.indent(indent + 2)
                output.append(index == values.count ? "}\n" : "},\n")
            }
            output.indent(indent)
            output.append(UInt8(ascii: "]"))
        }
    }
}

/// The bytes of a document being written: one buffer that either grows (for `rendered`) or is
/// written to a descriptor whenever it fills. Bytes go in by `memcpy` of whole runs: written byte
/// by byte into an Array, a listing of 1,000 branches took 1.5 ms.
private final class JSONOutput {
    private var bytes: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity = 64 * 1024
    private let descriptor: Int32?
    private var failed = false

    init(descriptor: Int32?) {
        self.descriptor = descriptor
        bytes = .allocate(capacity: capacity)
    }

    deinit { bytes.deallocate() }

    func text() -> String { String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self) }

    func append(_ run: UnsafeBufferPointer<UInt8>) {
        guard let base = run.baseAddress, !run.isEmpty else { return }
        if count + run.count > capacity { makeRoom(run.count) }
        (bytes + count).update(from: base, count: run.count)
        count += run.count
    }

    func append(_ byte: UInt8) {
        if count == capacity { makeRoom(1) }
        bytes[count] = byte
        count += 1
    }

    func append(_ literal: StaticString) {
        append(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    private static let spaces = [UInt8](repeating: UInt8(ascii: " "), count: 64)

    func indent(_ width: Int) {
        var left = width
        while left > 0 {
            let run = min(left, Self.spaces.count)
            Self.spaces.withUnsafeBufferPointer { append(UnsafeBufferPointer(rebasing: $0[0..<run])) }
            left -= run
        }
    }

    /// `text` in quotes, escaped on UTF-8 bytes: multi-byte sequences never contain bytes below
    /// 0x80, so they pass through. Runs that need no escape are copied whole.
    func appendQuoted(_ text: String) {
        append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            guard let base = utf8.baseAddress else { return }
            var runStart = 0
            var index = 0
            while index < utf8.count {
                // Eight bytes at a time while none of them needs escaping: most text needs none.
                if index + 8 <= utf8.count,
                   !Self.mayNeedEscape(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) {
                    index += 8
                    continue
                }
                let byte = base[index]
                if byte >= 0x20 && byte != 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                    index += 1
                    continue
                }
                append(UnsafeBufferPointer(start: base + runStart, count: index - runStart))
                switch byte {
                case UInt8(ascii: "\""): append("\\\"")
                case UInt8(ascii: "\\"): append("\\\\")
                case UInt8(ascii: "\n"): append("\\n")
                case UInt8(ascii: "\r"): append("\\r")
                case UInt8(ascii: "\t"): append("\\t")
                default:
                    append("\\u00")
                    append(Self.hexDigit(byte >> 4))
                    append(Self.hexDigit(byte & 0x0F))
                }
                index += 1
                runStart = index
            }
            append(UnsafeBufferPointer(start: base + runStart, count: utf8.count - runStart))
        }
        append(UInt8(ascii: "\""))
    }

    /// Whether any of the eight bytes is below 0x20, 0x7F, a quote or a backslash (exact, by the
    /// classic has-zero-byte bit tricks; bytes of 0x80 and above never count).
    private static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ value: UInt64) -> Bool { (value &- ones) & ~value & highBits != 0 }
        let hasControl = (word &- ones &* 0x20) & ~word & highBits != 0
        return hasControl || hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5C))
            || hasZeroByte(word ^ (ones &* 0x7F))
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }

    /// Writes out what is buffered (to a descriptor) or grows the buffer (in memory).
    private func makeRoom(_ needed: Int) {
        if descriptor != nil {
            _ = flush()
            if needed <= capacity { return }
        }
        var grown = capacity * 2
        while grown < count + needed { grown *= 2 }
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        larger.update(from: bytes, count: count)
        bytes.deallocate()
        bytes = larger
        capacity = grown
    }

    /// Writes the buffered bytes to the descriptor; false once a write has failed.
    func flush() -> Bool {
        guard let descriptor else { return true }
        var offset = 0
        while !failed && offset < count {
            let written = Glibc.write(descriptor, bytes + offset, count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                failed = true
            } else {
                offset += written
            }
        }
        count = 0
        return !failed
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
