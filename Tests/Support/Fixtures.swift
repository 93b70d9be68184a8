import Foundation
import PlueKit

/// The built `plue` binary the end-to-end tests run: `$PLUE_BIN`, else `.build/debug/plue` of this package.
public enum PlueBinary {
    public static var path: String {
        get throws {
            if let explicit = ProcessInfo.processInfo.environment["PLUE_BIN"], !explicit.isEmpty { return explicit }
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            let candidate = root.appendingPathComponent(".build/debug/plue").path
            guard FileManager.default.isExecutableFile(atPath: candidate) else {
                throw CommandFailure(description: "the plue binary is not built at \(candidate); run `swift build` first or set PLUE_BIN")
            }
            return candidate
        }
    }

    /// A copy of the binary at `path`, mode 0755, made by `cp` in a child process: a copy written
    /// from this process holds a writable descriptor that a child spawned meanwhile by another
    /// test inherits, and executing the copy then fails with ETXTBSY ("text file busy", exit 126).
    public static func copy(to path: String) throws {
        let copied = try Command.run("/bin/cp", [try Self.path, path])
        guard copied.status == 0, chmod(path, 0o755) == 0 else {
            throw CommandFailure(description: "cannot copy the plue binary to \(path): \(copied.errorOutput)")
        }
    }

    /// The package's root folder (README.md, scripts/).
    public static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }
}

/// A fresh home with one user, opened through the service layer, its hooks calling the built binary.
public struct Forge {
    public let directory: TemporaryDirectory
    public let home: PlueHome
    public let plue: Plue

    public init(user: String? = "alice") throws {
        directory = TemporaryDirectory("plue-forge")
        home = PlueHome(root: directory.child("home"))
        _ = try HomeInitializer.initialize(home)
        plue = try Plue.open(home: home, executable: PlueBinary.path)
        if let user { _ = try plue.users.create(name: user, email: "\(user)@example.com", admin: false, as: .operator) }
    }

    /// A non-bare work tree with the given files committed on `branch`; returns its path.
    public func workTree(_ name: String = "work", branch: String = "main", files: [String: String]) throws -> String {
        let path = directory.child(name)
        try Command.git(["init", "-q", "-b", branch, path])
        for (file, contents) in files {
            let full = path + "/" + file
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try contents.write(toFile: full, atomically: true, encoding: .utf8)
        }
        try Command.git(["add", "-A"], in: path)
        try Command.git(["commit", "-q", "-m", "initial commit"], in: path)
        return path
    }
}

/// Runs `body` and returns the `PlueError` it threw; fails when it threw nothing or something else.
public func plueError(_ body: () throws -> Void) -> PlueError? {
    do {
        try body()
        return nil
    } catch let error as PlueError {
        return error
    } catch {
        return PlueError(.internalError, "unexpected error type: \(error)")
    }
}
