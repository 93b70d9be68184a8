/// The kinds of file a client may write into a session, named by their git modes.
public enum SessionFileMode: String, Sendable, CaseIterable {
    case file = "100644"
    case executable = "100755"
    /// A symbolic link; the bytes written are its target. A link is data: nothing Plue does
    /// follows it.
    case link = "120000"

    var gitMode: UInt32 { UInt32(rawValue, radix: 8)! }

    /// `100644`, `100755` or `120000`, else why not.
    public static func parse(_ text: String) throws -> SessionFileMode {
        guard let mode = SessionFileMode(rawValue: text) else {
            throw PlueError.invalidInput("invalid file mode \(Validation.quoted(text)): use 100644 (a file), 100755 (an executable) or 120000 (a symbolic link)")
        }
        return mode
    }
}

/// Changing a session's files without a shell, as a remote agent does over the API: write a file,
/// delete one, apply a patch. Each is one operation in the session's log, recorded as a snapshot
/// records one (the working copy rewritten in place, same change id and parents), so undo, redo
/// and restore take it back like any other. The new state is made as a tree first; the working
/// directory is then moved to it as undo moves it: only the paths that differ, through the
/// `O_NOFOLLOW` chain, anything unstored in the way moved to the trash, and a move cut short by a
/// kill finished by the next command. The working directory is snapshotted first, so edits made
/// in it since the last operation are kept.
extension SessionService {
    /// Writes `bytes` at `path`. Without `mode`, a file there keeps its mode and permission bits
    /// (a link there becomes a file); anything new is a plain file. Folders on the way are made.
    /// Needs write on the session. With `expecting`, only while the session's last operation is
    /// that one (see `edit`).
    public func writeFile(_ id: String, path: String, bytes: [UInt8], mode: SessionFileMode? = nil, expecting: Int64? = nil,
                          as principal: Principal) throws -> SnapshotResult {
        let path = try SessionFilePath.validated(path)
        if mode == .link {
            guard !bytes.isEmpty, bytes.count <= WorkdirLimits.maxLinkTargetBytes, !bytes.contains(0) else {
                throw PlueError.invalidInput("a link's target must be 1 to \(WorkdirLimits.maxLinkTargetBytes) bytes without NUL")
            }
        }
        return try edit(id, kind: "write", description: "write \(path)", expecting: expecting, as: principal) { context in
            let git = context.workspace.repository
            let existing = try Self.fileMode(at: path, in: context.current.tree, of: id, git: git)
            let chosen = mode ?? (existing == 0o100755 ? .executable : .file)
            var modes = context.row.modes
            // Bits a tree cannot hold (a key's 0600) stay only while the file stays the same kind.
            if mode != nil || existing == nil || existing == 0o120000 { modes.set(path, 0o644) }
            return (try git.tree(context.current.tree, setting: path, to: bytes, mode: chosen.gitMode), modes)
        }
    }

    /// Deletes the file or link at `path`. Needs write on the session; with `expecting`, as `writeFile`.
    public func deleteFile(_ id: String, path: String, expecting: Int64? = nil, as principal: Principal) throws -> SnapshotResult {
        let path = try SessionFilePath.validated(path)
        return try edit(id, kind: "delete", description: "delete \(path)", expecting: expecting, as: principal) { context in
            let git = context.workspace.repository
            let missing = PlueError.notFound("session \(id) has no file \(Validation.quoted(path))", hint: "list them with `plue session files \(id)`")
            // A path below a file or a link names nothing: not found (not advice for a write).
            switch try git.mode(inTree: context.current.tree, path: path) {
            case nil: throw missing
            case 0o040000:
                throw PlueError.invalidInput("\(Validation.quoted(path)) is a folder in session \(id); delete its files one at a time, "
                                             + "or apply a patch that deletes them all in one operation")
            case 0o160000: throw PlueError.invalidInput("\(Validation.quoted(path)) is a submodule in session \(id); name a file")
            default: break
            }
            var modes = context.row.modes
            modes.set(path, 0o644)
            return (try git.tree(context.current.tree, setting: path, to: nil), modes)
        }
    }

    /// The most a patch may write, in all its new and changed files, whatever the session's limit
    /// for new files: a binary patch inflates, and a request of a few hundred kilobytes could
    /// otherwise write gigabytes into the session and the repository.
    public static let maxPatchedFileBytes = 64 << 20

    /// Applies `patch` (what `git apply` accepts) to the session's files. A patch that does not
    /// apply, or touches a path outside the working directory, in `.git` or beyond a symbolic
    /// link (one it creates itself included), changes nothing. Needs write on the session.
    public func applyPatch(_ id: String, patch: [UInt8], expecting: Int64? = nil, as principal: Principal) throws -> SnapshotResult {
        guard !patch.isEmpty else { throw PlueError.invalidInput("the patch is empty; send what `git diff` prints") }
        var paths: [String] = []
        return try edit(id, kind: "patch", description: Self.patchDescription(paths), expecting: expecting, as: principal) { context in
            let git = context.workspace.repository
            let tree = try GitApply.apply(patch, to: context.current.tree, in: git, scratch: context.files.directory + "/apply",
                                        maxFileBytes: Self.maxPatchedFileBytes)
            var modes = context.row.modes
            for change in try git.treeChanges(from: context.current.tree, to: tree) {
                // git apply takes names no file system here does (a part over 255 bytes, a
                // line break, bytes that are not UTF-8): refused as the write route refuses
                // them, before the working directory is moved to a state it could not hold.
                if let new = change.new {
                    _ = try SessionFilePath.validated(change.path)
                    guard !change.path.contains("\u{FFFD}") else {
                        throw PlueError.invalidInput("refusing the path \(Validation.quoted(change.path)) in the patch: it is not UTF-8")
                    }
                    if new.mode == 0o120000 {
                        var id = new.id
                        if let problem = WorkdirLimits.problem(path: change.path, linkTargetBytes: Int(try git.objectSize(&id))) {
                            throw PlueError.invalidInput("refusing the path \(Validation.quoted(change.path)) in the patch: \(problem)")
                        }
                    }
                }
                if change.new?.mode != change.old?.mode { modes.set(change.path, 0o644) }
                paths.append(change.path)
            }
            return (tree, modes)
        }
    }

    /// "apply a patch to README, src/a.c and 3 more files": what the operation log shows of a patch,
    /// the first paths it changed.
    static func patchDescription(_ paths: [String]) -> String {
        guard !paths.isEmpty else { return "apply a patch" }
        let shown = paths.prefix(paths.count > 3 ? 2 : 3).map { TerminalText.line($0) }
        let rest = paths.count - shown.count
        if rest > 0 { return "apply a patch to \(shown.joined(separator: ", ")) and \(rest) more file\(rest == 1 ? "" : "s")" }
        if shown.count == 1 { return "apply a patch to \(shown[0])" }
        return "apply a patch to \(shown.dropLast().joined(separator: ", ")) and \(shown.last!)"
    }

    /// Under the session's lock: snapshots, makes the new state with `change`, moves the working
    /// directory to it and records the operation; nothing when the state is the same.
    ///
    /// `expecting` is the last operation the caller saw (an HTTP client's `If-Match`): when the
    /// session has moved on since (another client's write, or edits in the working directory that
    /// the first snapshot then records), the change is not made and the answer says why, so that
    /// two clients cannot overwrite each other's work unseen.
    private func edit(_ id: String, kind: String, description: @autoclosure () -> String, expecting: Int64?, as principal: Principal,
                      change: (Context) throws -> (tree: String, modes: FileModes)) throws -> SnapshotResult {
        _ = try authorizer.session(id, as: principal, needs: .write)
        let lock = try lockSession(id)
        let first = try context(id, lock: lock)
        if let expecting, first.row.headOperationID != expecting {
            throw PlueError(.preconditionFailed, "session \(id) is at operation \(first.row.headOperationID), not \(expecting): "
                            + "it changed since it was read, and nothing was changed now; read it again, then send the change with its new ETag")
        }
        let pending = try snapshot(first, message: "snapshot before \(kind)")
        let context = try context(id, lock: lock)
        if let expecting, context.row.headOperationID != expecting {
            // Nothing in the working directory is lost: its edits are recorded, as any read records them.
            throw PlueError(.preconditionFailed, "session \(id) had edits in its working directory since operation \(expecting), "
                            + "recorded now as operation \(context.row.headOperationID); this change was not made: read the session again, "
                            + "then send the change with its new ETag")
        }
        let (tree, modes) = try change(context)
        guard tree != context.current.tree || modes != context.row.modes else {
            return SnapshotResult(session: try current(id), operation: nil, skipped: pending.skipped)
        }
        let workingCopy = try context.write(tree: tree, parents: context.current.parents, message: context.current.message,
                                            changeID: context.current.changeID ?? ChangeID.random())
        let operation = try bring(context, NewOperation(kind: kind, description: description(), workingCopy: workingCopy,
                                                        visibleTurns: context.row.visibleTurns, modes: modes))
        return SnapshotResult(session: try current(id), operation: operation, skipped: pending.skipped, trashed: context.report.trashed)
    }

    /// The mode of the file or link at `path` in `tree`, or nil when there is none. A folder there,
    /// a submodule, or a file or link where the path needs a folder is refused: Plue writes
    /// below no link, and does not turn a file into a folder unasked.
    private static func fileMode(at path: String, in tree: String, of id: String, git: GitRepository) throws -> UInt32? {
        var prefix = ""
        for component in path.split(separator: "/").dropLast() {
            prefix += (prefix.isEmpty ? "" : "/") + component
            switch try git.mode(inTree: tree, path: prefix) {
            case nil: return nil
            case 0o040000: continue
            case 0o120000: throw PlueError.invalidInput("\(Validation.quoted(prefix)) is a symbolic link in session \(id); Plue writes nothing through a link (delete it first to make a folder there)")
            default: throw PlueError.invalidInput("\(Validation.quoted(prefix)) is a file in session \(id), not a folder; delete it first to make a folder there")
            }
        }
        switch try git.mode(inTree: tree, path: path) {
        case 0o040000: throw PlueError.invalidInput("\(Validation.quoted(path)) is a folder in session \(id); name a file")
        case 0o160000: throw PlueError.invalidInput("\(Validation.quoted(path)) is a submodule in session \(id); Plue does not change submodules")
        case let mode: return mode
        }
    }
}
