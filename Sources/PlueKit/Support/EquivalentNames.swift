import Foundation

/// Swift compares strings by Unicode canonical equivalence: `café` spelt with `é` and with
/// `e` and a combining accent are one String, one Set member, one dictionary key, and so are
/// `K.txt` and `\u{212A}.txt` (the Kelvin sign, whose canonical form is `K`). Git and the file
/// system hold both as different names. Code that keys paths by String takes the slow, exact path
/// when `holdsEquivalentPair` says two such names are present; one of them needs a byte above
/// 0x7F, so a tree of ASCII paths costs one scan of their bytes (a snapshot asks this of 20,000).
enum EquivalentNames {
    /// Whether two of `paths`, or two of their folders (`café/a` and `café/b`, one `é` composed
    /// and one not), are one String and two names.
    static func holdsEquivalentPair<S: Sequence>(_ paths: S) -> Bool where S.Element == String {
        var candidates: [String] = [], ascii: [String] = []
        for path in paths {
            if isASCII(path) { ascii.append(path) } else { withFolders(path) { candidates.append($0) } }
        }
        guard !candidates.isEmpty else { return false }
        if Set(candidates).count != Set(candidates.map { Array($0.utf8) }).count { return true }
        // An ASCII name equal as a String to a non-ASCII one (`K` and the Kelvin sign): only a
        // name whose canonical decomposition is ASCII can be, which is rare, so the ASCII names
        // are looked at only then.
        let twins = Set(candidates.filter { isASCII($0.decomposedStringWithCanonicalMapping) })
        guard !twins.isEmpty else { return false }
        for path in ascii {
            var found = false
            withFolders(path) { if !found, twins.contains($0) { found = true } }
            if found { return true }
        }
        return false
    }

    /// `path` and each folder above it (`a/b/c`, `a/b`, `a`).
    private static func withFolders(_ path: String, _ body: (String) -> Void) {
        body(path)
        var end = path.utf8.endIndex
        while let slash = path.utf8[..<end].lastIndex(of: UInt8(ascii: "/")) {
            body(String(path[..<slash]))
            end = slash
        }
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
