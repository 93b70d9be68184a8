/// Bytes as hexadecimal digits, and random ids made of them: the one encoder Plue uses.
/// Formatted with a plain loop into the string's own storage: `map`, `joined` and
/// `String(_:radix:)` cost 0.4 ms of generic set-up in a process that formats a few ids.
enum Hex {
    static let lowerCase: [UInt8] = Array("0123456789abcdef".utf8)

    /// Whether `byte` is a hexadecimal digit, in either case.
    static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }

    /// Two digits per byte, high nibble first; `digits` maps 0...15 (lower-case hex by default).
    static func encode(_ bytes: UnsafeRawBufferPointer, digits: [UInt8] = lowerCase) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
            for (index, byte) in bytes.enumerated() {
                buffer[index * 2] = digits[Int(byte >> 4)]
                buffer[index * 2 + 1] = digits[Int(byte & 0x0F)]
            }
            return bytes.count * 2
        }
    }

    static func encode(_ bytes: [UInt8], digits: [UInt8] = lowerCase) -> String {
        bytes.withUnsafeBytes { encode($0, digits: digits) }
    }

    /// `count` bytes from the operating system's random source, encoded.
    static func random(bytes count: Int, digits: [UInt8] = lowerCase) -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: count)
        // One draw of 64 bits for every 8 bytes (each draw is a getrandom call).
        var word: UInt64 = 0
        for index in bytes.indices {
            if index % 8 == 0 { word = generator.next() }
            bytes[index] = UInt8(truncatingIfNeeded: word >> UInt64(index % 8 * 8))
        }
        return encode(bytes, digits: digits)
    }
}
