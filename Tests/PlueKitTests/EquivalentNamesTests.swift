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

    /// The Kelvin sign's canonical form is the ASCII `K`: an ASCII name can have a twin too.
    @Test func anASCIINameAndItsNonASCIITwinAreFound() {
        let kelvin = "\u{212A}"
        #expect("K.txt" == kelvin + ".txt", "what Swift's == says")
        #expect(EquivalentNames.holdsEquivalentPair(["K.txt", "README", kelvin + ".txt"]))
        #expect(EquivalentNames.holdsEquivalentPair(["K/a.txt", kelvin + "/b.txt"]), "folders")
        #expect(EquivalentNames.holdsEquivalentPair([kelvin + "/b.txt", "K"]), "a file and a folder")
        #expect(!EquivalentNames.holdsEquivalentPair(["K.txt", "caf\u{E9}", "L.txt"]))
    }

    @Test func exactPathsAreTwoKeysAndSortByBytes() {
        #expect(Set([ExactPath(composed), ExactPath(decomposed)]).count == 2)
        #expect(Set([composed, decomposed]).count == 1, "what Swift's own String keys do")
        // "e" (0x65) comes before the first byte of "é" (0xC3).
        #expect([ExactPath(composed), ExactPath(decomposed)].sorted().map(\.path.utf8.count) == [6, 5])
    }
}
