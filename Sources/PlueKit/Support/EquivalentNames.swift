/// Swift compares strings by Unicode canonical equivalence: `café` spelt with `é` and with
/// `e` and a combining accent are one String, one Set member, one dictionary key. Git and the file
/// system hold both as different names. Code that keys paths by String takes the slow, exact path
/// when `holdsEquivalentPair` says two such names are present; they need a byte above 0x7F, so
/// ASCII paths cost one scan.
enum EquivalentNames {
    static func holdsEquivalentPair<S: Sequence>(_ paths: S) -> Bool where S.Element: StringProtocol {
        var strings = Set<String>(), bytes = Set<[UInt8]>()
        for path in paths where path.utf8.contains(where: { $0 >= 0x80 }) {
            strings.insert(String(path))
            bytes.insert(Array(path.utf8))
        }
        return strings.count != bytes.count
    }
}
