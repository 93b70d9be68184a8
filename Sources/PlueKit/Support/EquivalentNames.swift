/// Swift compares strings by Unicode canonical equivalence: `café` spelt with `é` and with
/// `e` and a combining accent are one String, one Set member, one dictionary key. Git and the file
/// system hold both as different names. Code that keys paths by String takes the slow, exact path
/// when `holdsEquivalentPair` says two such names are present; they need a byte above 0x7F, so
/// ASCII paths cost one scan of their bytes (a snapshot asks this of 20,000 paths).
enum EquivalentNames {
    /// Whether two of `paths`, or two of their folders (`café/a` and `café/b`, one `é` composed
    /// and one not), are one String and two names.
    static func holdsEquivalentPair<S: Sequence>(_ paths: S) -> Bool where S.Element == String {
        var candidates: [String] = []
        for path in paths where !isASCII(path) {
            candidates.append(path)
            var end = path.utf8.endIndex
            while let slash = path.utf8[..<end].lastIndex(of: UInt8(ascii: "/")) {
                candidates.append(String(path[..<slash]))
                end = slash
            }
        }
        guard candidates.count > 1 else { return false }
        return Set(candidates).count != Set(candidates.map { Array($0.utf8) }).count
    }

    private static func isASCII(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { bytes in !bytes.contains { $0 >= 0x80 } }
            ?? !text.utf8.contains { $0 >= 0x80 }
    }
}

/// A path that equals, hashes and sorts by its bytes, as git and the file system take names:
/// a key under which `café` in NFC and in NFD are two files, where a String key would be one.
struct ExactPath: Hashable, Comparable, Sendable {
    let path: String

    init(_ path: String) { self.path = path }

    static func == (left: ExactPath, right: ExactPath) -> Bool { left.path.utf8.elementsEqual(right.path.utf8) }

    static func < (left: ExactPath, right: ExactPath) -> Bool { left.path.utf8.lexicographicallyPrecedes(right.path.utf8) }

    func hash(into hasher: inout Hasher) {
        var path = path
        path.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
