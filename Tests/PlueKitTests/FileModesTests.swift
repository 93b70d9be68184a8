@testable import PlueKit
import Testing

/// The permission bits a view keeps, in the database's text form.
@Suite struct FileModesTests {
    @Test func aNameWithALineBreakIsOneEntryAndSetsNoOtherFilesBits() {
        var modes = FileModes()
        modes.set("evil\n0600 key", 0o640)
        modes.set("back\\slash\r\nname", 0o600)
        modes.set("plain", 0o700)
        let read = FileModes(text: modes.text)
        #expect(read == modes)
        #expect(read.bits(for: "key", gitMode: 0o100644) == 0o644)
        #expect(read.bits(for: "evil\n0600 key", gitMode: 0o100644) == 0o640)
    }

    /// `é` as one scalar and as `e` with a combining accent: one String to Swift, two files to git.
    @Test func namesEqualOnlyUnderUnicodeEquivalenceKeepTheirOwnBits() {
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        var modes = FileModes()
        modes.set(composed, 0o600)
        modes.set(decomposed, 0o640)
        #expect(modes.bits(for: composed, gitMode: 0o100644) == 0o600)
        #expect(modes.bits(for: decomposed, gitMode: 0o100644) == 0o640)
        #expect(modes.paths.count == 2)
        let read = FileModes(text: modes.text)
        #expect(read == modes && read.text == modes.text)
        #expect(read.bits(for: decomposed, gitMode: 0o100644) == 0o640)
        var other = FileModes()
        other.set(composed, 0o640)
        other.set(decomposed, 0o600)
        #expect(other != modes, "the bits swapped between the two names are another state")
    }

    @Test func rowsWrittenBeforeEscapingAreStillRead() {
        let legacy = FileModes(text: "0600 id_ed25519\n0700 bin/a\\b")
        #expect(legacy.bits(for: "id_ed25519", gitMode: 0o100644) == 0o600)
        #expect(legacy.bits(for: "bin/a\\b", gitMode: 0o100755) == 0o700)
    }

    @Test func readBitsAreMaskedAsSetOnesAre() {
        let read = FileModes(text: "v2\n104755 setuid")
        #expect(read.bits(for: "setuid", gitMode: 0o100755) == 0o4755)
        #expect(FileModes(text: "").text.isEmpty)
    }
}
