/// `git diff --stat` drawn exactly as git 2.x draws it for output that is not a terminal (80
/// columns, no graph or name width configured): the same name shortening, the same scaling of
/// the graph, binary files as `Bin OLD -> NEW bytes`, and the same summary line. libgit2's own
/// summary scales differently (`1 +-` where git draws `1 +`).
enum GitDiffStat {
    static let width = 80

    static func render(_ files: [GitDiffFile]) -> String {
        guard !files.isEmpty else { return "" }
        let names = files.map(printName)
        var maxLength = 0, maxChange = 0, binaryWidth = 0, numberWidth = 0
        for (file, name) in zip(files, names) {
            maxLength = max(maxLength, name.utf8.count)
            if file.binary {
                binaryWidth = max(binaryWidth, 14 + digits(file.additions) + digits(file.deletions))
                numberWidth = 3  // the counts line up with "Bin"
                continue
            }
            maxChange = max(maxChange, file.additions + file.deletions)
        }
        var width = Self.width
        numberWidth = max(digits(maxChange), numberWidth)
        if width < 16 + 6 + numberWidth { width = 16 + 6 + numberWidth }
        var graphWidth = maxChange + 4 > binaryWidth ? maxChange : binaryWidth - 4
        var nameWidth = maxLength
        if nameWidth + numberWidth + 6 + graphWidth > width {
            if graphWidth > width * 3 / 8 - numberWidth - 6 {
                graphWidth = max(6, width * 3 / 8 - numberWidth - 6)
            }
            if nameWidth > width - numberWidth - 6 - graphWidth {
                nameWidth = width - numberWidth - 6 - graphWidth
            } else {
                graphWidth = width - numberWidth - 6 - nameWidth
            }
        }

        var text = ""
        var insertions = 0, deletions = 0
        for (file, fullName) in zip(files, names) {
            var prefix = "", name = Substring(fullName), length = nameWidth
            if nameWidth < name.utf8.count {
                // Keep the end of the name, from a slash when there is one: ".../dir/file".
                prefix = "..."
                length = max(0, length - 3)
                name = name.suffix(length)
                if let slash = name.firstIndex(of: "/") { name = name[slash...] }
            }
            let padding = String(repeating: " ", count: max(0, length - name.utf8.count))
            if file.binary {
                text += " \(prefix)\(name)\(padding) | \(leftPadded("Bin", numberWidth))"
                text += file.additions == 0 && file.deletions == 0 ? "\n" : " \(file.deletions) -> \(file.additions) bytes\n"
                continue
            }
            insertions += file.additions
            deletions += file.deletions
            var plus = file.additions, minus = file.deletions
            if graphWidth <= maxChange {
                var total = scale(plus + minus, graphWidth, maxChange)
                if total < 2 && plus > 0 && minus > 0 { total = 2 }
                if plus < minus {
                    plus = scale(plus, graphWidth, maxChange)
                    minus = total - plus
                } else {
                    minus = scale(minus, graphWidth, maxChange)
                    plus = total - minus
                }
            }
            let changed = file.additions + file.deletions
            text += " \(prefix)\(name)\(padding) | \(leftPadded(String(changed), numberWidth))\(changed > 0 ? " " : "")"
            text += String(repeating: "+", count: plus) + String(repeating: "-", count: minus) + "\n"
        }
        text += " \(files.count) file\(files.count == 1 ? "" : "s") changed"
        if insertions > 0 || deletions == 0 { text += ", \(insertions) insertion\(insertions == 1 ? "" : "s")(+)" }
        if deletions > 0 || insertions == 0 { text += ", \(deletions) deletion\(deletions == 1 ? "" : "s")(-)" }
        return text + "\n"
    }

    /// The name git shows: quoted when needed; a rename as `dir/{old => new}/file`.
    static func printName(_ file: GitDiffFile) -> String {
        guard let oldPath = file.oldPath else { return GitPathQuoting.quoted(file.path) }
        let old = Array(oldPath.utf8), new = Array(file.path.utf8)
        if old.contains(where: GitPathQuoting.needsQuoting) || new.contains(where: GitPathQuoting.needsQuoting) {
            return GitPathQuoting.quoted(oldPath) + " => " + GitPathQuoting.quoted(file.path)
        }
        // The common prefix up to and including its last slash.
        var prefixLength = 0, index = 0
        while index < old.count, index < new.count, old[index] == new[index] {
            if old[index] == UInt8(ascii: "/") { prefixLength = index + 1 }
            index += 1
        }
        // The common suffix from a slash, not reaching into the prefix (but for its slash).
        var suffixLength = 0
        var oldIndex = old.count - 1, newIndex = new.count - 1  // git starts at the terminating NUL: both equal
        let floor = prefixLength - (prefixLength > 0 ? 1 : 0)
        while oldIndex >= floor, newIndex >= floor, oldIndex >= 0, newIndex >= 0, old[oldIndex] == new[newIndex] {
            if old[oldIndex] == UInt8(ascii: "/") { suffixLength = old.count - oldIndex }
            oldIndex -= 1
            newIndex -= 1
        }
        let oldMiddle = max(0, old.count - prefixLength - suffixLength)
        let newMiddle = max(0, new.count - prefixLength - suffixLength)
        func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
        var name = ""
        if prefixLength + suffixLength > 0 { name += text(old[..<prefixLength]) + "{" }
        name += text(old[prefixLength..<(prefixLength + oldMiddle)]) + " => " + text(new[prefixLength..<(prefixLength + newMiddle)])
        if prefixLength + suffixLength > 0 { name += "}" + text(old[(old.count - suffixLength)...]) }
        return name
    }

    /// As git: at least one + or - for any change, scaled as if the graph were one column shorter.
    private static func scale(_ value: Int, _ width: Int, _ maxChange: Int) -> Int {
        value == 0 ? 0 : 1 + value * (width - 1) / maxChange
    }

    private static func digits(_ value: Int) -> Int { String(value).count }

    private static func leftPadded(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
