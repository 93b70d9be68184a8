import Foundation
import PlueKit
import PlueTestSupport
import Testing

@Suite struct HomeTests {
    @Test func initCreatesDatabaseRepositoriesAndSecret() throws {
        let directory = TemporaryDirectory()
        let home = PlueHome(root: directory.child("a/b/home"))
        let summary = try HomeInitializer.initialize(home)
        #expect(summary.journalMode == "wal")
        #expect(FileManager.default.fileExists(atPath: home.databasePath))
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: home.repositoriesPath, isDirectory: &isDirectory) && isDirectory.boolValue)

        let attributes = try FileManager.default.attributesOfItem(atPath: home.secretPath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let secret = try String(contentsOfFile: home.secretPath, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(secret.count == 64 && secret.allSatisfy(\.isHexDigit))

        // Checked with the sqlite3 file itself: the schema is there and the file is in WAL mode.
        let header = try Data(contentsOf: URL(fileURLWithPath: home.databasePath)).prefix(20)
        #expect(header.starts(with: Array("SQLite format 3\0".utf8)))
        #expect(header[18] == 2 && header[19] == 2, "WAL databases have read and write versions 2")

        let staging = try FileManager.default.contentsOfDirectory(atPath: directory.child("a/b"))
        #expect(staging == ["home"], "no staging directory is left behind")
    }

    @Test func twoHomesGetDifferentSecrets() throws {
        let directory = TemporaryDirectory()
        let first = PlueHome(root: directory.child("one"))
        let second = PlueHome(root: directory.child("two"))
        _ = try HomeInitializer.initialize(first)
        _ = try HomeInitializer.initialize(second)
        #expect(try Data(contentsOf: URL(fileURLWithPath: first.secretPath)) != Data(contentsOf: URL(fileURLWithPath: second.secretPath)))
    }

    @Test func initRefusesAnExistingHomeAndKeepsItsSecret() throws {
        let directory = TemporaryDirectory()
        let home = PlueHome(root: directory.child("home"))
        _ = try HomeInitializer.initialize(home)
        let secret = try Data(contentsOf: URL(fileURLWithPath: home.secretPath))
        #expect(plueError { _ = try HomeInitializer.initialize(home) }?.code == .alreadyExists)
        #expect(try Data(contentsOf: URL(fileURLWithPath: home.secretPath)) == secret)
    }

    @Test func initRefusesANonEmptyDirectoryAndTouchesNothing() throws {
        let directory = TemporaryDirectory()
        try "keep me".write(toFile: directory.child("notes.txt"), atomically: true, encoding: .utf8)
        #expect(plueError { _ = try HomeInitializer.initialize(PlueHome(root: directory.path)) }?.code == .alreadyExists)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["notes.txt"])
    }

    @Test func initAcceptsAnEmptyDirectory() throws {
        let directory = TemporaryDirectory()
        _ = try HomeInitializer.initialize(PlueHome(root: directory.path))
        #expect(FileManager.default.fileExists(atPath: directory.child("plue.db")))
    }

    @Test func openingAMissingHomeSaysHowToCreateOne() throws {
        let directory = TemporaryDirectory()
        let error = plueError { _ = try Plue.open(home: PlueHome(root: directory.child("nope"))) }
        #expect(error?.code == .notFound)
        #expect(error?.hint?.contains("plue init") == true)
        #expect(!FileManager.default.fileExists(atPath: directory.child("nope")), "opening creates nothing")
    }

    @Test func homeResolutionOrder() throws {
        #expect(try PlueHome.resolve(explicit: "/x", environment: ["PLUE_HOME": "/y"]).root == "/x")
        #expect(try PlueHome.resolve(explicit: nil, environment: ["PLUE_HOME": "/y", "XDG_DATA_HOME": "/z"]).root == "/y")
        #expect(try PlueHome.resolve(explicit: nil, environment: ["XDG_DATA_HOME": "/z", "HOME": "/h"]).root == "/z/plue")
        #expect(try PlueHome.resolve(explicit: nil, environment: ["HOME": "/h"]).root == "/h/.local/share/plue")
        #expect(try PlueHome.resolve(explicit: "/a/./b/../c", environment: [:]).root == "/a/c")
        #expect(plueError { _ = try PlueHome.resolve(explicit: "/a\nb", environment: [:]) }?.code == .invalidInput)
        #expect(plueError { _ = try PlueHome.resolve(explicit: nil, environment: [:]) }?.code == .usage)
    }
}

@Suite struct WriteAheadLogTests {
    /// Every plue process opens the database first and would rebuild the WAL index from the whole
    /// -wal file; writes fold it back so it stays empty.
    @Test func theWALIsEmptyAfterEachWrite() throws {
        let forge = try Forge(user: nil)
        for index in 0..<20 {
            _ = try forge.plue.users.create(name: "user\(index)", email: "user\(index)@example.com", admin: false, as: .operator)
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: forge.home.databasePath + "-wal")
        #expect((attributes[.size] as? NSNumber)?.intValue == 0)
        #expect(try forge.plue.users.list(as: .operator).count == 20)
    }

    /// The schema version lives in the file header's user_version (bytes 60-63, big-endian). A file
    /// from before it was kept there (version 0) is brought up to date by the next command.
    @Test func theSchemaVersionIsInTheFileHeaderAndAnOlderFileIsMigrated() throws {
        let forge = try Forge()
        _ = try forge.plue.repositories.create("alice/kept", as: .operator)
        let path = forge.home.databasePath
        func userVersion() throws -> UInt32 {
            let header = try Data(contentsOf: URL(fileURLWithPath: path)).prefix(64)
            return header[60..<64].reduce(0) { $0 << 8 | UInt32($1) }
        }
        let version = try userVersion()
        #expect(version > 0)

        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: 60)
        try handle.write(contentsOf: Data([0, 0, 0, 0]))
        try handle.close()
        #expect(try userVersion() == 0)

        let reopened = try Plue.open(home: forge.home, executable: PlueBinary.path)
        #expect(try reopened.repositories.list(as: .operator).map(\.name) == ["kept"])
        #expect(try userVersion() == version)
    }
}
