import Foundation
import PlueTestSupport
import Testing

/// `plue agent add/list/remove` as the operator types them.
@Suite struct AgentEndToEndTests {
    let directory = TemporaryDirectory("plue-agent")

    @Test func theOperatorRegistersListsAndRemovesAgents() throws {
        let plue = try PlueRunner(home: directory.child("home"))
        try plue.ok(["init"])
        // The command comes after --, so --home goes before it.
        let added = try plue.raw(["agent", "add", "fixer", "--env", "API_KEY", "--timeout", "90", "--home", plue.home, "--",
                                  "sh", "-c", "echo \"$PLUE_PROMPT\""])
        #expect(added.status == 0 && added.text.contains("Registered agent fixer"), "\(added.errorOutput)")
        let listed = try #require(try plue.json(["agent", "list"]) as? [[String: Any]])
        #expect(listed.count == 1 && listed[0]["name"] as? String == "fixer")
        #expect(listed[0]["command"] as? [String] == ["sh", "-c", "echo \"$PLUE_PROMPT\""])
        #expect(listed[0]["environment"] as? [String] == ["API_KEY"] && listed[0]["timeoutSeconds"] as? Int == 90)
        #expect(try plue.ok(["agent", "list"]).contains("fixer  90s"))

        #expect(try plue.raw(["agent", "add", "FIXER", "--home", plue.home, "--", "true"]).status == 73)
        #expect(try plue.raw(["agent", "add", "no-command", "--home", plue.home]).status == 64)
        #expect(try plue.raw(["agent", "add", "../bad", "--home", plue.home, "--", "true"]).status == 65)
        #expect(try plue.run(["agent", "remove", "fixer"]).status == 0)
        #expect(try plue.run(["agent", "remove", "fixer"]).status == 66)
        #expect(try plue.ok(["agent", "list"]).contains("No agents registered"))
    }
}
