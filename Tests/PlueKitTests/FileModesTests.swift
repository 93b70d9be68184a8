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
