import Foundation

/// Fetch requests written by hand, as a client that ignores what the server advertises sends them:
/// one `want`, then `done`, in protocol v0 (after the server's refs) or as a protocol v2 `fetch`.
enum FetchRequest {
    static func version0(want: String) -> Data {
        Data((line("want \(want)\n") + "0000" + line("done\n")).utf8)
    }

    static func version2(want: String) -> Data {
        Data((line("command=fetch\n") + "0001" + line("want \(want)\n") + line("done\n") + "0000").utf8)
    }

    /// Whether `answer` holds a pack: its signature, which git sends raw or inside side-band lines.
    static func holdsPack(_ answer: Data) -> Bool {
        answer.range(of: Data("PACK".utf8)) != nil
    }

    private static func line(_ text: String) -> String {
        String(format: "%04x", text.utf8.count + 4) + text
    }
}
