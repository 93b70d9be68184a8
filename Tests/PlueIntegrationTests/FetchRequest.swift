import Foundation
import PlueTestSupport
import Testing

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

/// What a real git client gets when it fetches by id: the session-only `hidden` commit refused in
/// protocol v2 (with Plue's reason) and v0, a public `tip` and an `older` public commit served.
/// `fetch` fetches one object in one protocol version into a new repository and says whether the
/// object arrived.
func expectOnlyPublicCommitsByID(hidden: String, tip: String, older: String,
                                 _ fetch: (_ object: String, _ version: String) throws -> (result: CommandResult, fetched: Bool)) throws {
    let v2 = try fetch(hidden, "2")
    #expect(v2.result.status != 0 && !v2.fetched, "v2 served a session's commit by its id")
    #expect(v2.result.errorOutput.contains("only what a branch or tag reaches can be fetched"), "\(v2.result.errorOutput)")
    let v0 = try fetch(hidden, "0")
    #expect(v0.result.status != 0 && !v0.fetched, "v0 served a session's commit by its id")
    for (object, version) in [(tip, "2"), (older, "2"), (tip, "0")] {
        let fetched = try fetch(object, version)
        #expect(fetched.result.status == 0 && fetched.fetched, "v\(version) \(object): \(fetched.result.errorOutput)")
    }
}
