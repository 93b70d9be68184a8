import Foundation
import PlueKit
import PlueTestSupport
import Testing

@Suite struct JSONTests {
    @Test func rendersWhatJSONSerializationReadsBack() throws {
        let tricky = "quote \" backslash \\ newline \n tab \t nul \0 bell \u{7} del \u{7F} é 😀 </script>"
        let document = JSON.object([
            ("text", .string(tricky)), ("number", .int(-42)), ("big", .int(Int64.max)), ("yes", .bool(true)),
            ("nothing", .null), ("empty", .array([])), ("nested", .object([("list", .array([.int(1), .string("two")]))])),
            ("emptyObject", .object([])),
        ])
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(document.rendered().utf8)) as? [String: Any])
        #expect(parsed["text"] as? String == tricky)
        #expect(parsed["number"] as? Int == -42)
        #expect((parsed["big"] as? NSNumber)?.int64Value == Int64.max)
        #expect(parsed["yes"] as? Bool == true)
        #expect(parsed["nothing"] is NSNull)
        #expect((parsed["empty"] as? [Any])?.isEmpty == true)
        #expect(((parsed["nested"] as? [String: Any])?["list"] as? [Any])?.count == 2)
        #expect((parsed["emptyObject"] as? [String: Any])?.isEmpty == true)
    }

    @Test func controlCharactersAreEscapedNotPrinted() {
        let text = JSON.string("a\u{1}b\nc").rendered()
        #expect(text == "\"a\\u0001b\\nc\"")
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 })
    }

    @Test func keysKeepTheirOrder() {
        #expect(JSON.object([("b", .int(1)), ("a", .int(2))]).rendered() == "{\n  \"b\": 1,\n  \"a\": 2\n}")
    }

    @Test func deepNestingIsIndentedTwoSpacesPerLevel() throws {
        var document = JSON.string("deep")
        for _ in 0..<40 { document = .array([document]) }
        let text = document.rendered()
        #expect(text.split(separator: "\n")[40] == Substring(String(repeating: " ", count: 80) + "\"deep\""))
        #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) is [Any])
    }

    /// A document larger than the 64 KiB buffer is written whole and in order, with a final newline.
    @Test func writingToADescriptorGivesTheSameTextInChunks() throws {
        let document = JSON.array((0..<5000).map { .object([("name", .string("branch-\($0)")), ("n", .int(Int64($0)))]) })
        let directory = TemporaryDirectory()
        let path = directory.child("out.json")
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        #expect(descriptor >= 0)
        #expect(document.write(toDescriptor: descriptor))
        close(descriptor)
        let written = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(written.count > 64 * 1024)
        #expect(String(decoding: written, as: UTF8.self) == document.rendered() + "\n")
    }

    @Test func aClosedDescriptorIsReportedNotIgnored() {
        #expect(JSON.string("x").write(toDescriptor: -1) == false)
    }

    /// Every byte that needs escaping, at every offset around the eight-byte steps of the writer,
    /// among plain ASCII and multi-byte text, against a byte-by-byte reference.
    @Test func escapesAreFoundAtEveryOffset() {
        func reference(_ text: String) -> String {
            var out = "\""
            for byte in text.utf8 {
                switch byte {
                case 0x22: out += "\\\""
                case 0x5C: out += "\\\\"
                case 0x0A: out += "\\n"
                case 0x0D: out += "\\r"
                case 0x09: out += "\\t"
                case 0..<0x20, 0x7F: out += "\\u00" + String(byte >> 4, radix: 16) + String(byte & 0x0F, radix: 16)
                default: out += String(UnicodeScalar(byte))  // the texts below are ASCII
                }
            }
            return out + "\""
        }
        let specials: [Character] = ["\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}"]
        for special in specials {
            for offset in 0..<20 {
                let text = String(repeating: "a", count: offset) + String(special) + String(repeating: "b", count: 19 - offset)
                #expect(JSON.string(text).rendered() == reference(text), "offset \(offset)")
            }
        }
        // Bytes of 0x80 and above (UTF-8) never count as needing an escape.
        let multiByte = "é😀ü" + String(repeating: "ø", count: 9) + "\u{1}"
        let rendered = JSON.string(multiByte).rendered()
        #expect(rendered == "\"é😀ü" + String(repeating: "ø", count: 9) + "\\u0001\"")
        #expect(JSON.string(" !#[]~").rendered() == "\" !#[]~\"")
    }

    @Test func rowsAreWrittenAsTheArrayOfObjectsTheyStandFor() throws {
        let values = ["main", "tab\there", "feature/\"x\"", "é😀\u{1}"]
        let objects = JSON.array([
            .object([("name", .string(values[0])), ("commit", .string(values[1]))]),
            .object([("name", .string(values[2])), ("commit", .string(values[3]))]),
        ])
        let rows = JSON.rows(keys: ["name", "commit"], values: values)
        #expect(rows.rendered() == objects.rendered())
        let nested = JSON.object([("branches", rows), ("after", .int(1))])
        #expect(nested.rendered() == JSON.object([("branches", objects), ("after", .int(1))]).rendered())
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(nested.rendered().utf8)) as? [String: Any])
        let branches = try #require(parsed["branches"] as? [[String: String]])
        #expect(branches.map { $0["commit"] } == [values[1], values[3]])
        #expect(JSON.rows(keys: ["name"], values: []).rendered() == "[]")
    }
}
