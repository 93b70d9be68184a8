/// Permission bits that git trees cannot hold. A tree keeps only 644 or 755 for a file; a file
/// snapshotted as 0600 (a private key) must come back as 0600, so each view keeps the exact bits
/// of every file whose bits are neither 0644 nor 0755.
struct FileModes: Sendable, Equatable {
    private(set) var bits: [String: UInt32] = [:]

    init(_ bits: [String: UInt32] = [:]) {
        for (path, value) in bits { set(path, value) }
    }

    /// The bits a file at `path` should have, given its git mode (0o100644 or 0o100755).
    func bits(for path: String, gitMode: UInt32) -> UInt32 {
        bits[path] ?? (gitMode == 0o100755 ? 0o755 : 0o644)
    }

    /// Keeps `value` only when a git mode could not say it.
    mutating func set(_ path: String, _ value: UInt32) {
        let value = value & 0o7777
        bits[path] = value == 0o644 || value == 0o755 ? nil : value
    }

    /// "0600 path" lines, sorted by path: the database's form.
    var text: String {
        bits.keys.sorted().map { path in
            let octal = String(bits[path]!, radix: 8)
            return String(repeating: "0", count: max(0, 4 - octal.count)) + octal + " " + path
        }.joined(separator: "\n")
    }

    init(text: String) {
        for line in text.split(separator: "\n") {
            guard let space = line.firstIndex(of: " "), let value = UInt32(line[..<space], radix: 8) else { continue }
            bits[String(line[line.index(after: space)...])] = value
        }
    }
}
