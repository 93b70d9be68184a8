import Foundation

/// GitHub Actions' filter patterns: `*` matches any run of characters but `/`, `**` any run at all,
/// `?` one character but `/`. In a list, a pattern starting with `!` takes back what earlier ones
/// matched, and the last pattern that matches decides.
enum GlobPattern {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.utf8), t = Array(text.utf8)
        // reachable[j]: the pattern so far can match the first j bytes of the text. Linear in
        // pattern × text, however many stars (no backtracking blow-up on hostile patterns).
        var reachable = [Bool](repeating: false, count: t.count + 1)
        reachable[0] = true
        var i = 0
        while i < p.count {
            var next = [Bool](repeating: false, count: t.count + 1)
            if p[i] == UInt8(ascii: "*") {
                let doubleStar = i + 1 < p.count && p[i + 1] == UInt8(ascii: "*")
                var carrying = false
                for j in 0...t.count {
                    if reachable[j] { carrying = true }
                    next[j] = carrying
                    if j < t.count && !doubleStar && t[j] == UInt8(ascii: "/") { carrying = false }
                }
                i += doubleStar ? 2 : 1
            } else {
                for j in 0..<t.count where reachable[j] {
                    let matchesOne = p[i] == UInt8(ascii: "?") ? t[j] != UInt8(ascii: "/") : p[i] == t[j]
                    if matchesOne { next[j + 1] = true }
                }
                i += 1
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
