import Foundation
import PlueKit
import PlueTestSupport
import Testing

/// One test per row of the README's exit-code table, each on a case that once got another code.
@Suite(.serialized) struct ExitCodeTableTests {
    let directory = TemporaryDirectory("plue-exit-codes")
    var home: String { directory.child("home") }

    func initialized() throws -> PlueRunner {
        let plue = try PlueRunner(home: home)
        try plue.setUpDemo(seed: directory.child("seed"), files: ["README": "hello\n"])
        return plue
    }

    /// The table's codes, read from the README, so a row added there without a test here fails.
    @Test func everyRowOfTheReadmeTableIsTestedHere() throws {
        let readme = try String(contentsOfFile: PlueBinary.packageRoot + "/README.md", encoding: .utf8)
        let table = try #require(readme.components(separatedBy: "### Exit codes").dropFirst().first?.components(separatedBy: "\n\n").dropFirst().first)
        let codes = table.split(separator: "\n").compactMap { line -> Int? in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            return cells.first.flatMap { Int($0) }
        }
        // 70 is "a bug": no input may reach it, so it has no test of its own; every other row has one below.
        #expect(codes == [0, 1, 64, 65, 66, 70, 73, 75, 77, 77], "\(codes)")
    }

    @Test func row0Ok() throws {
        let plue = try initialized()
        #expect(try plue.run(["repo", "cat", "alice/demo", "README"]).text == "hello\n")
    }

    @Test func row1DamagedDatabaseOrRepository() throws {
        let plue = try initialized()
        try FileManager.default.removeItem(atPath: home + "/plue.db")
        try FileManager.default.createDirectory(atPath: home + "/plue.db", withIntermediateDirectories: false)
        let result = try plue.run(["repo", "list"])
        #expect(result.status == 1 && result.errorOutput.contains("damaged"), "\(result.status) \(result.errorOutput)")
    }

    @Test func row64UsageAGroupOfShortLettersIsNotHelp() throws {
        let plue = try initialized()
        let result = try plue.run(["repo", "cat", "alice/demo", "-dash"])
        #expect(result.status == 64 && result.text.isEmpty && result.errorOutput.contains("after `--`"), "\(result.status) \(result.errorOutput)")
        #expect(try plue.raw(["repo", "cat", "alice/demo", "--home", home, "--", "-dash"]).status == 66)
        #expect(try plue.run(["repo", "cat", "--help"]).status == 0)
    }

    @Test func row65InvalidInputARevisionSyntaxPlueDoesNotRead() throws {
        let plue = try initialized()
        for revision in [":(top)x", ":(exclude)x"] {
            let result = try plue.run(["repo", "log", "alice/demo", "--ref", revision])
            #expect(result.status == 65, "\(revision): \(result.status) \(result.errorOutput)")
        }
    }

    @Test func row66NotFound() throws {
        let plue = try initialized()
        #expect(try plue.run(["repo", "cat", "alice/demo", "nothing-here"]).status == 66)
    }

    @Test func row73ALosingConcurrentCreateNamesTheOwner() throws {
        let plue = try initialized()
        final class Results: @unchecked Sendable {
            // @unchecked: each slot is written by one iteration only, read after all have ended.
            var slots = [(Int32, String)](repeating: (-1, ""), count: 6)
        }
        let collected = Results()
        collected.slots.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let slots = buffer
            DispatchQueue.concurrentPerform(iterations: 6) { index in
                let result = try? plue.run(["repo", "create", "alice/race"])
                slots[index] = (result?.status ?? -1, result?.errorOutput ?? "")
            }
        }
        let results = collected.slots.map(\.0)
        let messages = collected.slots.map(\.1)
        #expect(results.filter { $0 == 0 }.count == 1, "\(Array(results))")
        for (status, message) in zip(results, messages) where status != 0 {
            #expect(status == 73 && message.contains("alice/race"), "\(status) \(message)")
        }
    }

    @Test func row75AFullDiskDuringASnapshot() throws {
        let mountPoint = directory.child("full")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let mount = try Command.run("/bin/mount", ["-t", "tmpfs", "-o", "size=16m", "tmpfs", mountPoint])
        try #require(mount.status == 0, "cannot mount a tmpfs (this test needs root, as CI has): \(mount.errorOutput)")
        defer { _ = try? Command.run("/bin/umount", ["-l", mountPoint]) }
        let plue = try PlueRunner(home: mountPoint + "/home")
        try plue.setUpDemo(seed: directory.child("seed"), files: ["README": "hello\n"])
        let session = try #require((try plue.json(["session", "new", "alice/demo"]) as? [String: Any])?["id"] as? String)
        let workdir = mountPoint + "/home/sessions/\(session)/work"
        // Random bytes do not compress: the snapshot must store 900 KB, and the disk has no room left.
        var generator = SystemRandomNumberGenerator()
        let big = Data((0..<900_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try big.write(to: URL(fileURLWithPath: workdir + "/big.bin"))
        let filler = mountPoint + "/filler"
        _ = try Command.run("/bin/dd", ["if=/dev/zero", "of=" + filler, "bs=1M", "count=64"])
        let result = try plue.run(["session", "snapshot", session, "-m", "no room"])
        #expect(result.status == 75, "\(result.status) \(result.errorOutput)")
        try FileManager.default.removeItem(atPath: filler)
        // With room again the same snapshot succeeds: nothing was half-recorded.
        #expect(try plue.run(["session", "snapshot", session, "-m", "room"]).status == 0)
        let stored = try plue.run(["session", "cat", session, "big.bin"])
        #expect(stored.output == big, "\(stored.status) \(stored.errorOutput)")
    }

    @Test func row77AHomeTheCallerMayNotWrite() throws {
        guard getuid() == 0 else { throw CommandFailure(description: "needs root to run plue as another account, as CI does") }
        let plue = try initialized()
        if try Command.run("/usr/bin/id", ["git"]).status != 0 {
            _ = try Command.run("/usr/sbin/useradd", ["--system", "--create-home", "--shell", "/bin/sh", "git"])
        }
        let binaryDirectory = "/opt/plue-exit-test-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: binaryDirectory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(atPath: binaryDirectory) }
        try PlueBinary.copy(to: binaryDirectory + "/plue")
        chmod(directory.path, 0o755)
        // The home stays its owner's: 0700 as init made it refuses the account at the door, 0755 at the database.
        for mode in [0o700, 0o755] as [mode_t] {
            chmod(home, mode)
        for arguments in [["user", "create", "bob", "--email", "bob@example.com"], ["repo", "create", "alice/other"]] {
            let result = try Command.run("/usr/sbin/runuser", ["-u", "git", "--", binaryDirectory + "/plue"] + arguments + ["--home", home])
            #expect(result.status == 77, "\(arguments): \(result.status) \(result.errorOutput)")
            #expect(result.errorOutput.contains("owns the home"), "\(result.errorOutput)")
        }
        }
        #expect((try plue.json(["user", "list"]) as? [Any])?.count == 1)
    }

    /// No command line uses a token yet: the row is for the HTTP server, which answers with the
    /// same codes, so a token the binary made is checked through the service it will call.
    @Test func row77AnAPITokenWithoutTheScopeItNeeds() throws {
        let plue = try initialized()
        let created = try #require(try plue.json(["token", "create", "alice", "--name", "reader", "--scope", "read:repository"]) as? [String: Any])
        let forge = try Plue.open(home: PlueHome(root: home), executable: PlueBinary.path)
        let token = try forge.tokens.authenticate(try #require(created["token"] as? String))
        let refused = plueError {
            try forge.tokens.authorize(token, needs: .writeRepository, repository: forge.repositories.find("alice/demo", as: .operator), route: "POST /push")
        }
        #expect(refused?.code == .insufficientScope && refused?.code.exitCode == 77 && refused?.code.httpStatus == 403)
        #expect(refused?.message.contains("write:repository") == true)
        let invalid = plueError { _ = try forge.tokens.authenticate("plue_" + String(repeating: "0", count: 40)) }
        #expect(invalid?.code == .unauthenticated && invalid?.code.exitCode == 77 && invalid?.code.httpStatus == 401)
    }
}
