import Foundation
import PlueKit
import PlueTestSupport
import Testing

/// Random edits, snapshots, undos, redos and restores, checked after every step against a model:
/// an editor's undo and redo stacks of whole working-tree states. Jujutsu's rules for undo and redo
/// (each records the operation whose view it brought back, and the next one starts from there) make
/// the operation log behave exactly as those two stacks.
@Suite struct SessionUndoModelTests {
    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func undoAndRedoActAsAnEditorsStacks(seed: UInt64) throws {
        var run = try ModelRun(seed: seed)
        for step in 0..<400 { try run.step(step) }
    }
}

/// One file of a working tree: a regular file (its bytes and permission bits, `st_mode & 0o7777`)
/// or a symlink. Git keeps only 644 or 755; sessions promise the rest back too.
private enum Entry: Equatable, CustomStringConvertible {
    case file(Data, mode: UInt32)
    case symlink(String)

    var description: String {
        switch self {
        case .file(let bytes, let mode): "file \(Self.octal(mode)) \(String(decoding: bytes, as: UTF8.self).debugDescription)"
        case .symlink(let target): "symlink -> \(target)"
        }
    }

    static func octal(_ mode: UInt32) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

/// A working tree: path -> entry. Directories are the parents of its paths: git keeps no empty
/// directory, so the edits never leave one behind (as `git rm` leaves none).
private typealias Tree = [String: Entry]

/// The model: an editor's undo and redo stacks, and the state every operation should leave, in order.
private struct EditorStacks {
    private(set) var current: Tree
    private var undoStack: [Tree] = []
    private var redoStack: [Tree] = []
    /// The state of each operation of the session's log, oldest first.
    private(set) var log: [Tree]

    init(_ tree: Tree) {
        current = tree
        log = [tree]
    }

    /// An ordinary operation: a snapshot that found something changed, or a restore.
    mutating func record(_ tree: Tree) {
        undoStack.append(current)
        redoStack.removeAll()
        current = tree
        log.append(tree)
    }

    /// A snapshot: an operation only when the working tree differs from the current state.
    mutating func snapshot(_ tree: Tree) -> Bool {
        guard tree != current else { return false }
        record(tree)
        return true
    }

    mutating func undo() -> Bool {
        guard let previous = undoStack.popLast() else { return false }
        redoStack.append(current)
        current = previous
        log.append(previous)
        return true
    }

    mutating func redo() -> Bool {
        guard let next = redoStack.popLast() else { return false }
        undoStack.append(current)
        current = next
        log.append(next)
        return true
    }
}

/// One seeded run: a session, the model, and the working tree as the edits left it.
private struct ModelRun {
    /// Files at the top, one and two levels down; no name is both a file and a directory.
    static let paths = ["a", "b", "c.txt", "d/x", "d/y", "d/e/z", "f/w", "f/v"]
    /// Permission bits a chmod edit picks from: git's two, and ones only Plue's log can keep.
    static let modes: [UInt32] = [0o644, 0o755, 0o600, 0o640, 0o700, 0o750, 0o444]

    let forge: Forge
    let session: Session
    let sessions: SessionService
    let seed: UInt64
    var random: SeededGenerator
    var model: EditorStacks
    /// The working directory as the test's edits and Plue's moves leave it.
    var tree: Tree
    /// The last steps taken, for the message of a failure.
    var trail: [String] = []

    init(seed: UInt64) throws {
        self.seed = seed
        random = SeededGenerator(seed: seed) // ValidationTests' SplitMix64: the same run for a seed everywhere
        forge = try Forge(user: "alice")
        let repository = try forge.plue.repositories.create("alice/demo", as: .operator)
        let work = try forge.workTree(files: ["a": "first\n", "d/x": "x\n"])
        try Command.git(["push", "-q", repository.path, "main"], in: work)
        sessions = forge.plue.sessions
        session = try sessions.new(repository: "alice/demo", as: .operator)
        // A checkout gives a git 100644 file the bits 0644, whatever the umask.
        tree = ["a": .file(Data("first\n".utf8), mode: 0o644), "d/x": .file(Data("x\n".utf8), mode: 0o644)]
        model = EditorStacks(tree)
        try check(after: "session new")
    }

    mutating func step(_ number: Int) throws {
        // Forty steps of mostly edits, then forty of mostly undo and redo, so that the stacks grow
        // deep and are walked far, with new operations made in the middle of them.
        let edits = (number / 40) % 2 == 0 ? 60 : 20
        let roll = Int.random(in: 0..<100, using: &random) < edits ? -1 : Int.random(in: 0..<20, using: &random)
        let (sessions, id) = (sessions, session.id)
        let action: String
        switch roll {
        case -1:
            action = try edit()
        case 0..<3:
            let changed = model.snapshot(tree)
            let result = try sessions.snapshot(session.id, as: .operator)
            action = "snapshot"
            #expect((result.operation != nil) == changed,
                    "seed \(seed) step \(number): snapshot changed \(result.operation != nil), model \(changed)\n\(trail.suffix(12).joined(separator: "\n"))")
        case 3..<11:
            action = "undo"
            try move(number, action, model: { $0.undo() }, plue: { try sessions.undo(id, as: .operator) })
        case 11..<17:
            action = "redo"
            try move(number, action, model: { $0.redo() }, plue: { try sessions.redo(id, as: .operator) })
        default:
            // The n-th operation by id is the model's n-th: `check` has compared the counts.
            let recorded = try sessions.operations(session.id, as: .operator).map(\.id).sorted()
            let index = Int.random(in: 0..<recorded.count, using: &random)
            let restored = model.log[index]
            action = "restore operation \(recorded[index]) (#\(index))"
            try move(number, action, model: { $0.record(restored); return true }, plue: { try sessions.restore(id, operation: recorded[index], as: .operator) })
        }
        try check(after: "step \(number): \(action)")
    }

    /// Undo, redo or restore: each snapshots first, then moves; both sides must fail at the same steps.
    private mutating func move(_ number: Int, _ action: String, model change: (inout EditorStacks) -> Bool,
                               plue: () throws -> SnapshotResult) throws {
        _ = model.snapshot(tree)
        let expected = change(&model)
        let error = plueError { _ = try plue() }
        #expect(error == nil || error?.code == .failed, "seed \(seed) step \(number): \(action): \(String(describing: error))")
        try #require((error == nil) == expected,
                     "seed \(seed) step \(number): \(action) \(error == nil ? "succeeded" : "failed: \(error!)"), the model \(expected ? "moved" : "had nothing to move to")\n\(trail.suffix(12).joined(separator: "\n"))")
        tree = model.current
    }

    /// Compares the working directory with the model byte for byte, a regular file's permission bits
    /// too, and the log's length with the number of operations the model predicts.
    private mutating func check(after action: String) throws {
        trail.append(action)
        let actual = try Self.read(session.workdir)
        try #require(actual.files == tree && actual.directories == Self.directories(of: tree),
                     "seed \(seed), after \(action): the working directory differs from the model\n\(Self.difference(actual.files, tree))directories \(actual.directories.sorted()), model \(Self.directories(of: tree).sorted())\n\(trail.suffix(12).joined(separator: "\n"))")
        let count = try sessions.operations(session.id, as: .operator).count
        try #require(count == model.log.count, "seed \(seed), after \(action): \(count) operations, the model has \(model.log.count)")
    }

    // MARK: Edits

    /// One random edit of the working directory, made on disk and in `tree`; returns what it did.
    private mutating func edit() throws -> String {
        let files = tree.keys.filter { if case .file = tree[$0] { true } else { false } }.sorted()
        switch Int.random(in: 0..<8, using: &random) {
        case 0: // create or modify a file, in place, so only its stat data tells a snapshot it changed
            let path = Self.paths.randomElement(using: &random)!
            return try write(path, bytes: randomBytes(), verb: "write")
        case 1: // a file in a directory that does not exist yet
            guard let path = Self.paths.filter({ $0.contains("/") && !Self.directories(of: tree).contains(Self.parent($0)) })
                .randomElement(using: &random) else { return try delete() }
            return try write(path, bytes: randomBytes(), verb: "mkdir and write")
        case 2:
            return try delete()
        case 3: // chmod +x, or -x when the owner can already execute it; the other bits stay
            guard let path = files.randomElement(using: &random), case .file(let bytes, let mode) = tree[path] else {
                return try write("a", bytes: randomBytes(), verb: "write")
            }
            let executable = mode & 0o100 != 0
            let changed = executable ? mode & ~0o111 : mode | 0o111
            try setMode(path, changed)
            tree[path] = .file(bytes, mode: changed)
            return "chmod \(executable ? "-x" : "+x") \(path) (\(Entry.octal(mode)) -> \(Entry.octal(changed)))"
        case 4: // chmod to one of the modes, often one git cannot say
            guard let path = files.randomElement(using: &random), case .file(let bytes, let mode) = tree[path] else {
                return try write("b", bytes: randomBytes(), verb: "write")
            }
            let changed = Self.modes.randomElement(using: &random)!
            try setMode(path, changed)
            tree[path] = .file(bytes, mode: changed)
            return "chmod \(Entry.octal(changed)) \(path) (was \(Entry.octal(mode)))"
        case 5: // replace a file with a symlink to a sibling file
            let pairs = files.flatMap { path in
                files.filter { $0 != path && Self.parent($0) == Self.parent(path) }.map { (path, $0) }
            }
            guard let (path, sibling) = pairs.randomElement(using: &random) else { return try write("b", bytes: randomBytes(), verb: "write") }
            let target = String(sibling.split(separator: "/").last!)
            try FileManager.default.removeItem(atPath: full(path))
            try FileManager.default.createSymbolicLink(atPath: full(path), withDestinationPath: target)
            tree[path] = .symlink(target)
            return "symlink \(path) -> \(target)"
        case 6:
            return try write(Self.paths.randomElement(using: &random)!, bytes: Data(), verb: "empty")
        default: // several bytes changed, length kept: only a byte-for-byte compare can see it
            guard let path = files.randomElement(using: &random), case .file(let bytes, _) = tree[path], !bytes.isEmpty else {
                return try write("c.txt", bytes: randomBytes(), verb: "write")
            }
            let changed = Data(bytes.map { _ in UInt8.random(in: 97...122, using: &random) })
            return try write(path, bytes: changed, verb: "rewrite same length")
        }
    }

    private mutating func write(_ path: String, bytes: Data, verb: String) throws -> String {
        let mode: UInt32?
        switch tree[path] {
        case .file(_, let existing):
            mode = existing
        case .symlink:
            // Writing through a symlink would change its target: replace the link itself.
            try FileManager.default.removeItem(atPath: full(path))
            mode = nil
        case nil:
            mode = nil
        }
        try FileManager.default.createDirectory(atPath: full(Self.parent(path)), withIntermediateDirectories: true)
        guard let mode else {
            guard FileManager.default.createFile(atPath: full(path), contents: bytes) else {
                throw CommandFailure(description: "cannot create \(path)")
            }
            // The bits this process gives a new file (umask, Foundation's way of writing): read, not assumed.
            let created = try Self.mode(of: full(path))
            tree[path] = .file(bytes, mode: created)
            return "\(verb) \(path) (new \(Entry.octal(created)), \(bytes.count) bytes)"
        }
        // An editor saving a read-only file makes it writable for the moment and puts the bits back.
        if mode & 0o200 == 0 { try setMode(path, mode | 0o200) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: full(path)))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: bytes)
        try handle.close()
        if mode & 0o200 == 0 { try setMode(path, mode) }
        tree[path] = .file(bytes, mode: mode)
        return "\(verb) \(path) (\(bytes.count) bytes)"
    }

    private func setMode(_ path: String, _ mode: UInt32) throws {
        guard chmod(full(path), mode_t(mode)) == 0 else { throw CommandFailure(description: "chmod \(path): \(errno)") }
    }

    /// Removes a file or symlink and the directories it leaves empty, as `git rm` does.
    private mutating func delete() throws -> String {
        guard let path = tree.keys.sorted().randomElement(using: &random) else {
            return try write("a", bytes: randomBytes(), verb: "write")
        }
        try FileManager.default.removeItem(atPath: full(path))
        tree[path] = nil
        var directory = Self.parent(path)
        while !directory.isEmpty, !Self.directories(of: tree).contains(directory) {
            try FileManager.default.removeItem(atPath: full(directory))
            directory = Self.parent(directory)
        }
        return "delete \(path)"
    }

    /// A few letters, sometimes none; small files keep the run fast.
    private mutating func randomBytes() -> Data {
        Data((0..<Int.random(in: 0...24, using: &random)).map { _ in UInt8.random(in: 97...122, using: &random) })
    }

    static func mode(of path: String) throws -> UInt32 {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw CommandFailure(description: "lstat \(path): \(errno)") }
        return UInt32(info.st_mode) & 0o7777
    }

    private func full(_ path: String) -> String { path.isEmpty ? session.workdir : session.workdir + "/" + path }

    // MARK: Reading the working directory

    /// The directory holding `path`, "" at the top.
    static func parent(_ path: String) -> String { path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "" }

    static func directories(of tree: Tree) -> Set<String> {
        var directories: Set<String> = []
        for path in tree.keys {
            var directory = parent(path)
            while !directory.isEmpty, directories.insert(directory).inserted { directory = parent(directory) }
        }
        return directories
    }

    /// Every file, symlink and directory under `root`, through lstat, but a top-level `.git`.
    static func read(_ root: String) throws -> (files: Tree, directories: Set<String>) {
        var files: Tree = [:]
        var directories: Set<String> = []
        func walk(_ relative: String) throws {
            let directory = relative.isEmpty ? root : root + "/" + relative
            for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
                if relative.isEmpty && name == ".git" { continue }
                let path = relative.isEmpty ? name : relative + "/" + name
                var info = stat()
                guard lstat(root + "/" + path, &info) == 0 else { throw CommandFailure(description: "lstat \(path): \(errno)") }
                switch info.st_mode & S_IFMT {
                case S_IFDIR:
                    directories.insert(path)
                    try walk(path)
                case S_IFLNK:
                    files[path] = .symlink(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/" + path))
                case S_IFREG:
                    files[path] = .file(try Data(contentsOf: URL(fileURLWithPath: root + "/" + path)), mode: UInt32(info.st_mode) & 0o7777)
                default:
                    throw CommandFailure(description: "\(path) is neither a file, a symlink nor a directory")
                }
            }
        }
        try walk("")
        return (files, directories)
    }

    static func difference(_ actual: Tree, _ expected: Tree) -> String {
        Set(actual.keys).union(expected.keys).sorted().compactMap { path in
            actual[path] == expected[path] ? nil
                : "  \(path): on disk \(actual[path].map(String.init(describing:)) ?? "absent"), model \(expected[path].map(String.init(describing:)) ?? "absent")\n"
        }.joined()
    }
}
