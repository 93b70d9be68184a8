import Foundation
import PlueTestSupport
import Testing

/// A home whose database is lost or foreign is damaged, never an empty forge: taking it for one
/// would list no repositories and hand existing names to whoever creates them first.
@Suite struct DamagedHomeTests {
    func homeWithARepository() throws -> (PlueRunner, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        let plue = try PlueRunner(home: directory.path + "/home")
        try plue.setUpDemo()
        return (plue, directory)
    }

    /// Every command refuses with exit 1, says how to restore, and creates nothing.
    func expectRefusedAsDamaged(_ plue: PlueRunner, mentioning words: String) throws {
        for arguments in [["repo", "list"], ["user", "create", "alice", "--email", "a@example.com"], ["repo", "show", "alice/demo"]] {
            let result = try plue.run(arguments)
            #expect(result.status == 1, "\(arguments): \(result.status) \(result.errorOutput)")
            #expect(result.errorOutput.contains(words) && result.errorOutput.contains("restore plue.db from a backup"), "\(result.errorOutput)")
            let json = try plue.run(arguments + ["--json"])
            #expect(json.status == 1 && json.errorOutput.contains("\"code\": \"damaged\""), "\(json.errorOutput)")
        }
    }

    @Test func anEmptyDatabaseIsDamaged() throws {
        let (plue, directory) = try homeWithARepository()
        defer { withExtendedLifetime(directory) {} }
        try Data().write(to: URL(fileURLWithPath: plue.home + "/plue.db"))
        try expectRefusedAsDamaged(plue, mentioning: "is empty")
        #expect(try Data(contentsOf: URL(fileURLWithPath: plue.home + "/plue.db")).isEmpty, "nothing was written into it")
    }

    @Test func aMissingDatabaseBesideRepositoriesIsDamaged() throws {
        let (plue, directory) = try homeWithARepository()
        defer { withExtendedLifetime(directory) {} }
        try FileManager.default.removeItem(atPath: plue.home + "/plue.db")
        try expectRefusedAsDamaged(plue, mentioning: "holds repositories but its database is missing")
        #expect(!FileManager.default.fileExists(atPath: plue.home + "/plue.db"))
        // init refuses too: the directory is not empty.
        #expect(try plue.run(["init"]).status == 73)
    }

    @Test func aDatabaseThatIsADirectoryIsDamaged() throws {
        let (plue, directory) = try homeWithARepository()
        defer { withExtendedLifetime(directory) {} }
        try FileManager.default.removeItem(atPath: plue.home + "/plue.db")
        try FileManager.default.createDirectory(atPath: plue.home + "/plue.db", withIntermediateDirectories: false)
        try expectRefusedAsDamaged(plue, mentioning: "not a regular file")
    }

    @Test func aDatabaseOfANewerSchemaIsRefused() throws {
        let (plue, directory) = try homeWithARepository()
        defer { withExtendedLifetime(directory) {} }
        // SQLite keeps user_version, Plue's schema version, big-endian at offset 60 of the header
        // (Plue folds its WAL back after every write, so the file is the whole database).
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: plue.home + "/plue.db"))
        try handle.seek(toOffset: 60)
        try handle.write(contentsOf: Data([0, 0, 0x03, 0xE7]))
        try handle.close()
        try expectRefusedAsDamaged(plue, mentioning: "has schema version 999, newer than this plue knows")
    }

    @Test func aDatabaseWithoutTablesIsDamaged() throws {
        let (plue, directory) = try homeWithARepository()
        defer { withExtendedLifetime(directory) {} }
        // A valid SQLite file with no schema: the 100-byte header of an empty database, one page.
        var page = Data(count: 4096)
        page.replaceSubrange(0..<16, with: Data("SQLite format 3\0".utf8))
        page.replaceSubrange(16..<28, with: Data([0x10, 0x00, 1, 1, 0, 64, 32, 32, 0, 0, 0, 1]))
        page.replaceSubrange(28..<32, with: Data([0, 0, 0, 1]))
        page.replaceSubrange(44..<48, with: Data([0, 0, 0, 4]))
        page.replaceSubrange(56..<60, with: Data([0, 0, 0, 1]))
        page.replaceSubrange(92..<100, with: Data([0, 0, 0, 1, 0, 0x2E, 0x4B, 0x3E]))
        page[100] = 0x0D
        page.replaceSubrange(105..<107, with: Data([0x10, 0x00]))
        try page.write(to: URL(fileURLWithPath: plue.home + "/plue.db"))
        try expectRefusedAsDamaged(plue, mentioning: "holds no tables")
    }
}
