import Foundation
import PlueKit
import PlueTestSupport
import Testing

/// What the API's contents, raw and commits routes read: a path at a ref as a directory, a file or
/// a link (its target, never followed), and the history a page at a time, checked against git.
@Suite struct RepositoryContentsTests {
    let forge: Forge
    let repository: Repository
    let work: String

    init() throws {
        forge = try Forge()
        repository = try forge.plue.repositories.create("alice/demo", as: .operator)
        work = try forge.workTree(files: ["README.md": "# Demo\n", "src/main.swift": "print(1)\n"])
        symlink("/etc/passwd", work + "/passwd")
        symlink("..", work + "/up")
        try Command.git(["add", "-A"], in: work)
        try Command.git(["commit", "-q", "-m", "links"], in: work)
        for index in 1...4 {
            try "\(index)\n".write(toFile: work + "/count", atomically: true, encoding: .utf8)
            try Command.git(["add", "-A"], in: work)
            try Command.git(["commit", "-q", "-m", "count \(index)"], in: work)
        }
        try Command.git(["push", "-q", repository.path, "main"], in: work)
    }

    @Test func pathsAreDirectoriesFilesLinksOrMissing() throws {
        guard case .directory(let root) = try forge.plue.repositories.contents("alice/demo", as: .anonymous) else {
            Issue.record("the root is not a directory"); return
        }
        #expect(root.map(\.name) == ["README.md", "count", "passwd", "src", "up"])
        guard case .directory(let src) = try forge.plue.repositories.contents("alice/demo", path: "src/", as: .anonymous) else {
            Issue.record("src is not a directory"); return
        }
        #expect(src.map(\.path) == ["src/main.swift"])
        guard case .file(let readme, let bytes) = try forge.plue.repositories.contents("alice/demo", path: "README.md", ref: "main~4", as: .anonymous) else {
            Issue.record("README.md is not a file"); return
        }
        #expect(bytes.map { String(decoding: $0, as: UTF8.self) } == "# Demo\n" && !readme.isSymbolicLink)
        #expect(readme.object == (try Command.git(["-C", repository.path, "rev-parse", "main:README.md"])))

        // A link is its target as text, read from git's objects; nothing on disk is opened.
        guard case .file(let link, let target) = try forge.plue.repositories.contents("alice/demo", path: "passwd", as: .anonymous) else {
            Issue.record("passwd is not a link entry"); return
        }
        #expect(link.isSymbolicLink && target.map { String(decoding: $0, as: UTF8.self) } == "/etc/passwd")
        #expect(try forge.plue.repositories.cat("alice/demo", path: "passwd", as: .anonymous) == Array("/etc/passwd".utf8))
        // A path through a link is not followed: git's tree has no such path.
        #expect(plueError { _ = try forge.plue.repositories.contents("alice/demo", path: "up/README.md", as: .anonymous) }?.code == .notFound)
        #expect(plueError { _ = try forge.plue.repositories.cat("alice/demo", path: "up/alice", as: .anonymous) }?.code == .notFound)
        for path in ["../x", "src/../README.md", "a\u{0}b", "./README.md"] {
            #expect(plueError { _ = try forge.plue.repositories.contents("alice/demo", path: path, as: .anonymous) }?.code == .invalidInput, "\(path)")
        }
        #expect(plueError { _ = try forge.plue.repositories.contents("alice/demo", path: "nothing", as: .anonymous) }?.code == .notFound)
        #expect(plueError { _ = try forge.plue.repositories.contents("alice/demo", ref: "nobranch", as: .anonymous) }?.code == .notFound)
    }

    @Test func aFileOverTheLimitIsNotReadAndStreamsFromGit() throws {
        let sizes = try Command.git(["-C", repository.path, "ls-tree", "-l", "main"]).split(separator: "\n").reduce(into: [String: Int64]()) {
            let fields = $1.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields[1] == "blob" { $0[String(fields[4])] = Int64(fields[3]) }
        }
        guard case .directory(let root) = try forge.plue.repositories.contents("alice/demo", as: .anonymous) else {
            Issue.record("the root is not a directory"); return
        }
        #expect(root.filter { $0.type == "blob" }.map { [$0.name: $0.size] }.reduce(into: [:]) { $0.merge($1) { a, _ in a } } == sizes)

        // Over the limit: the entry and its size, no bytes.
        guard case .file(let readme, nil) = try forge.plue.repositories.contents("alice/demo", path: "README.md", inlineUpTo: 6, as: .anonymous) else {
            Issue.record("README.md came with its bytes over the limit"); return
        }
        #expect(readme.size == 7)
        guard case .file(_, let bytes?) = try forge.plue.repositories.contents("alice/demo", path: "README.md", inlineUpTo: 7, as: .anonymous) else {
            Issue.record("README.md came without its bytes at the limit"); return
        }
        #expect(bytes == Array("# Demo\n".utf8))

        #expect(try forge.plue.repositories.rawFile("alice/demo", path: "README.md", inlineUpTo: 7, as: .anonymous) == .bytes(Array("# Demo\n".utf8)))
        guard case .large(let large) = try forge.plue.repositories.rawFile("alice/demo", path: "src/main.swift", inlineUpTo: 0, as: .anonymous) else {
            Issue.record("src/main.swift was read over the limit"); return
        }
        let object = try Command.git(["-C", repository.path, "rev-parse", "main:src/main.swift"])
        #expect(large.size == 9 && large.object == object)
        let child = try large.start()
        close(child.input)
        let output = FileHandle(fileDescriptor: child.output, closeOnDealloc: true).readDataToEndOfFile()
        close(child.errorOutput)
        var status = child.exitStatus()
        while status == nil { usleep(1000); status = child.exitStatus() }
        #expect(String(decoding: output, as: UTF8.self) == "print(1)\n" && status == 0)
        for (path, code) in [("src", PlueError.Code.invalidInput), ("nothing", .notFound), ("", .invalidInput)] {
            #expect(plueError { _ = try forge.plue.repositories.rawFile("alice/demo", path: path, inlineUpTo: 0, as: .anonymous) }?.code == code, "\(path)")
        }
    }

    @Test func commitsComeAPageAtATimeWithTheirCount() throws {
        let all = try Command.git(["-C", repository.path, "rev-list", "--date-order", "main"]).split(separator: "\n").map(String.init)
        #expect(all.count == 6)
        let first = try forge.plue.repositories.commits("alice/demo", page: Page(number: 1, size: 4), as: .anonymous)
        #expect(first.items.map(\.commit) == Array(all.prefix(4)) && first.total == 6 && first.lastPage == 2)
        let second = try forge.plue.repositories.commits("alice/demo", page: Page(number: 2, size: 4), as: .anonymous)
        #expect(second.items.map(\.commit) == Array(all.suffix(2)))
        #expect(second.items[0].tree == (try Command.git(["-C", repository.path, "rev-parse", "\(all[4])^{tree}"])))
        let fromTag = try forge.plue.repositories.commits("alice/demo", ref: "main~3", page: Page(), as: .anonymous)
        #expect(fromTag.items.map(\.commit) == Array(all.dropFirst(3)) && fromTag.total == 3)
        #expect(try forge.plue.repositories.commits("alice/demo", page: Page(number: 9, size: 4), as: .anonymous).items.isEmpty)
    }
}
