import Foundation

/// Swift compares strings by Unicode canonical equivalence: `café` spelt with `é` and with
/// `e` and a combining accent are one String, one Set member, one dictionary key, and so are
/// `K.txt` and `\u{212A}.txt` (the Kelvin sign, whose canonical form is `K`). Git and the file
/// system hold both as different names. Code that keys paths by String takes the slow, exact path
/// when `holdsEquivalentPair` says two such names are present; one of them needs a byte above
/// 0x7F, so a tree of ASCII paths costs one scan of their bytes (a snapshot asks this of 20,000).
enum EquivalentNames {
    /// Whether two of `paths`, or two of their folders (`café/a` and `café/b`, one `é` composed
    /// and one not), may be one String and two names. Looked at part by part: `/` never combines
    /// with what follows it, so two paths are one String only where their parts are. Two parts
    /// alike anywhere answer yes (the slow path is then taken where it was not needed, never the
    /// other way), and each distinct part is looked at once, however many paths share it.
    static func holdsEquivalentPair<C: Collection>(_ paths: C) -> Bool where C.Element == String {
        let slash = UInt8(ascii: "/")
        var parts = Set<[UInt8]>()
        for path in paths where !isASCII(path) {
            for part in path.utf8.split(separator: slash) where part.contains(where: { $0 >= 0x80 }) { parts.insert(Array(part)) }
        }
        guard !parts.isEmpty else { return false }
        let names = parts.map { String(decoding: $0, as: UTF8.self) }
        if Set(names).count != names.count { return true }
        // An ASCII part equal as a String to a non-ASCII one (`K` and the Kelvin sign): only a
        // part whose every scalar decomposes to ASCII can be, which is rare, so the ASCII parts
        // are gathered only then.
        var toASCII: [Unicode.Scalar: Bool] = [:]
        func decomposesToASCII(_ scalar: Unicode.Scalar) -> Bool {
            if scalar.isASCII { return true }
            if let known = toASCII[scalar] { return known }
            let answer = isASCII(String(scalar).decomposedStringWithCanonicalMapping)
            toASCII[scalar] = answer
            return answer
        }
        let twins = names.filter { $0.unicodeScalars.allSatisfy(decomposesToASCII) }
        guard !twins.isEmpty else { return false }
        var ascii = Set<String>()
        for path in paths {
            for part in path.utf8.split(separator: slash) where !part.contains(where: { $0 >= 0x80 }) {
                ascii.insert(String(decoding: part, as: UTF8.self))
            }
        }
        return twins.contains { ascii.contains($0) }
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
