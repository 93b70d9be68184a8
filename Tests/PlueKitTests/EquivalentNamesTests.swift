@testable import PlueKit
import Testing

/// Names Swift takes as one String and git as two: `é` as one scalar (NFC) and as `e` with a
/// combining accent (NFD), in file names and in the folders above them.
@Suite struct EquivalentNamesTests {
    let composed = "caf\u{E9}", decomposed = "cafe\u{301}"

    @Test func aPairOfFilesOrOfFoldersIsFound() {
        #expect(EquivalentNames.holdsEquivalentPair([composed, decomposed]))
        #expect(EquivalentNames.holdsEquivalentPair(["x/\(composed)/a.txt", "x/\(decomposed)/b.txt"]), "folders alike, files not")
        #expect(!EquivalentNames.holdsEquivalentPair(["x/\(composed)/a.txt", "x/\(composed)/b.txt", "README"]))
        #expect(!EquivalentNames.holdsEquivalentPair(["src/a.swift", "src/b.swift"]))
    }

    @Test func exactPathsAreTwoKeysAndSortByBytes() {
        #expect(Set([ExactPath(composed), ExactPath(decomposed)]).count == 2)
        #expect(Set([composed, decomposed]).count == 1, "what Swift's own String keys do")
        // "e" (0x65) comes before the first byte of "é" (0xC3).
        #expect([ExactPath(composed), ExactPath(decomposed)].sorted().map(\.path.utf8.count) == [6, 5])
    }
}
