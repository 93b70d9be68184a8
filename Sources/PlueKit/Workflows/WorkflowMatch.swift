import Foundation

/// GitHub Actions' filter patterns: `*` matches any run of characters but `/`, `**` any run at
/// all, `?` zero or one of the character before it, `+` one or more of it, `[...]` one character
/// listed or in a range (`a-z`), `\\` makes the next character plain. In a list, a pattern
/// starting with `!` takes back what earlier ones matched, and the last pattern that matches decides.
enum GlobPattern {
    private enum Atom {
        case byte(UInt8)
        case set([ClosedRange<UInt8>])
        case star
        case globStar

        func matches(_ byte: UInt8) -> Bool {
            switch self {
            case .byte(let own): own == byte
            case .set(let ranges): ranges.contains { $0.contains(byte) }
            case .star, .globStar: false
            }
        }
    }

    private enum Count { case one, optional, oneOrMore }

    private static func atoms(_ pattern: [UInt8]) -> [(Atom, Count)] {
        var atoms: [(Atom, Count)] = []
        var index = 0
        while index < pattern.count {
            let byte = pattern[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\\") where index < pattern.count:
                atoms.append((.byte(pattern[index]), .one))
                index += 1
            case UInt8(ascii: "*"):
                if index < pattern.count && pattern[index] == UInt8(ascii: "*") {
                    atoms.append((.globStar, .one))
                    index += 1
                } else {
                    atoms.append((.star, .one))
                }
            case UInt8(ascii: "?"), UInt8(ascii: "+"):
                // A count for the character (or set) before it; anywhere else, itself.
                if let last = atoms.last, last.1 == .one, case .byte = last.0 {
                    atoms[atoms.count - 1].1 = byte == UInt8(ascii: "?") ? .optional : .oneOrMore
                } else if let last = atoms.last, last.1 == .one, case .set = last.0 {
                    atoms[atoms.count - 1].1 = byte == UInt8(ascii: "?") ? .optional : .oneOrMore
                } else {
                    atoms.append((.byte(byte), .one))
                }
            case UInt8(ascii: "["):
                guard let close = pattern[index...].firstIndex(of: UInt8(ascii: "]")), close > index else {
                    atoms.append((.byte(byte), .one))
                    continue
                }
                var ranges: [ClosedRange<UInt8>] = []
                var inner = index
                while inner < close {
                    if inner + 2 < close && pattern[inner + 1] == UInt8(ascii: "-") && pattern[inner] <= pattern[inner + 2] {
                        ranges.append(pattern[inner]...pattern[inner + 2])
                        inner += 3
                    } else {
                        ranges.append(pattern[inner]...pattern[inner])
                        inner += 1
                    }
                }
                atoms.append((.set(ranges), .one))
                index = close + 1
            default:
                atoms.append((.byte(byte), .one))
            }
        }
        return atoms
    }

    static func matches(_ pattern: String, _ text: String) -> Bool {
        let t = Array(text.utf8)
        // reachable[j]: the atoms so far can match the first j bytes of the text. Linear in
        // atoms × text, however many stars (no backtracking blow-up on hostile patterns).
        var reachable = [Bool](repeating: false, count: t.count + 1)
        reachable[0] = true
        for (atom, count) in atoms(Array(pattern.utf8)) {
            var next = [Bool](repeating: false, count: t.count + 1)
            switch atom {
            case .star, .globStar:
                var carrying = false
                for j in 0...t.count {
                    if reachable[j] { carrying = true }
                    next[j] = carrying
                    if j < t.count, case .star = atom, t[j] == UInt8(ascii: "/") { carrying = false }
                }
            default:
                for j in 0...t.count where reachable[j] {
                    if count == .optional { next[j] = true }
                    if j < t.count && atom.matches(t[j]) { next[j + 1] = true }
                }
                if count == .oneOrMore {
                    for j in 0..<t.count where next[j] && atom.matches(t[j]) { next[j + 1] = true }
                }
            }
            reachable = next
        }
        return reachable[t.count]
    }

    static func matchesAny(_ patterns: [String], _ text: String) -> Bool {
        var matched = false
        for pattern in patterns {
            if pattern.hasPrefix("!") {
                if matched && matches(String(pattern.dropFirst()), text) { matched = false }
            } else if !matched && matches(pattern, text) {
                matched = true
            }
        }
        return matched
    }
}

extension Workflow.PushFilter {
    /// Whether a push of `ref` that changed `changedPaths` (nil: not known, as for a tag) starts the workflow.
    public func matches(ref: String, changedPaths: [String]?) -> Bool {
        if ref.hasPrefix("refs/heads/") {
            let branch = String(ref.dropFirst("refs/heads/".count))
            if let branches, !GlobPattern.matchesAny(branches, branch) { return false }
            if let branchesIgnore, GlobPattern.matchesAny(branchesIgnore, branch) { return false }
            // Only tag filters: branch pushes do not start it.
            if branches == nil && branchesIgnore == nil && (tags != nil || tagsIgnore != nil) { return false }
            guard let changedPaths else { return true }
            if let paths, !changedPaths.contains(where: { GlobPattern.matchesAny(paths, $0) }) { return false }
            if let pathsIgnore, changedPaths.allSatisfy({ GlobPattern.matchesAny(pathsIgnore, $0) }) { return false }
            return true
        }
        if ref.hasPrefix("refs/tags/") {
            let tag = String(ref.dropFirst("refs/tags/".count))
            if let tags, !GlobPattern.matchesAny(tags, tag) { return false }
            if let tagsIgnore, GlobPattern.matchesAny(tagsIgnore, tag) { return false }
            // Only branch (or path) filters: tag pushes do not start it, as on GitHub.
            if tags == nil && tagsIgnore == nil && (branches != nil || branchesIgnore != nil || paths != nil || pathsIgnore != nil) {
                return false
            }
            return true
        }
        return false
    }

    /// Whether the paths filter needs the list of changed files at all.
    var filtersPaths: Bool { paths != nil || pathsIgnore != nil }
}
