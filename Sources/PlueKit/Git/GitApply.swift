import CLibGit2
import Foundation

/// `git apply --cached`: a patch applied to a tree through a scratch index, never to a working
/// directory. Git's own checks refuse what a hostile patch may try (`../` and absolute paths,
/// `.git` anywhere, a path beyond a symbolic link, one the patch itself creates included); Plue
/// never passes `--unsafe-paths`, which lifts the first of them.
///
/// Not run in the session's working directory: git there would read the agent's own `.git/config`,
/// whose filters (`filter.*.smudge`) and `core.fsmonitor` run commands as the server's account,
/// and write files through its own code rather than the `O_NOFOLLOW` chain. Here it reads only
/// the forge's configuration, and the caller moves the working directory to the result.
///
/// Nor does git see the forge's objects. For a binary patch whose `index` line names a result git
/// already has, git takes that object instead of the patch's data: against the repository, any
/// object id (another user's session, a land not yet public) would come back as a file of the
/// caller's. Git works in a scratch object database holding only the blobs the patch reads from
/// the caller's own tree, and what it makes there is copied into the repository after.
enum GitApply {
    /// The tree `tree` with `patch` applied, as `git apply` reads a patch: unified diffs with or
    /// without git's headers (new, deleted and renamed files, modes, links, binary patches with
    /// full ids). A patch whose new files come to more than `maxFileBytes` in all is refused (a
    /// binary patch inflates: a small body can describe gigabytes). `scratch` is a folder of the
    /// caller's to work in; it is removed afterwards.
    static func apply(_ patch: [UInt8], to tree: String, in repository: GitRepository, scratch: String,
                      maxFileBytes: Int) throws -> String {
        try FileSystem.remove(scratch)
        try FileSystem.createDirectory(scratch, mode: 0o700)
        defer { try? FileSystem.remove(scratch) }
        let indexPath = scratch + "/index", patchPath = scratch + "/patch", objectsPath = scratch + "/objects"
        try FileSystem.writeFile(patchPath, contents: patch, mode: 0o600, sync: false)
        try FileSystem.createDirectory(objectsPath, mode: 0o700)

        // Git itself never holds more than a few copies of the largest file it may make.
        var options = ChildProcess.Options()
        (options.directory, options.timeout, options.memoryLimit) = (scratch, 600, 4 * maxFileBytes + (256 << 20))
        func git(_ arguments: [String]) throws -> GitCommandLine.Result {
            // Whitespace is neither warned about nor ignored, whatever the server's own git configuration says.
            try GitCommandLine.run(["--git-dir", repository.path, "-c", "apply.ignoreWhitespace=no", "apply"] + arguments + ["--", patchPath],
                                   setting: [("GIT_INDEX_FILE", indexPath), ("GIT_OBJECT_DIRECTORY", objectsPath)], options: options)
        }

        let listed = try git(["--numstat", "-z"])
        guard listed.status == 0 else { throw refusal(listed, patch: patch) }
        let objects = try GitObjectCopy(from: repository, scratch: objectsPath)
        let root = try repository.lookupTree(tree)
        defer { git_tree_free(root) }
        // The files the patch reads: git lists each by its new name, libgit2 adds the old names
        // of renames and copies (a patch libgit2 cannot read has none, or git refuses it below).
        // Not a Set of Strings, which would take NFC and NFD spellings of a name for one.
        for path in paths(numstat: listed.output) + sourcePaths(patch) { try objects.copyIn(path, of: root!) }

        var pointer: OpaquePointer?
        try check(git_index_open(&pointer, indexPath), "cannot make a scratch index in \(scratch)")
        let index = GitHandle(pointer!, release: git_index_free)
        try GitIndexEntries.fill(index.pointer, from: root!, repository: repository.pointer)
        try check(git_index_write(index.pointer), "cannot write the scratch index \(indexPath)")

        let result = try git(["--cached", "--whitespace=nowarn"])
        guard result.status == 0 else { throw refusal(result, patch: patch) }

        try check(git_index_read(index.pointer, 1), "cannot read the patched index")
        for position in 0..<git_index_entrycount(index.pointer) {
            guard let entry = git_index_get_byindex(index.pointer, position)?.pointee, entry.mode != GIT_FILEMODE_COMMIT.rawValue else { continue }
            let path = String(cString: entry.path)
            try objects.copyOut(entry.id, path: path, maxBytes: maxFileBytes)
        }
        var patched = git_oid()
        try check(git_index_write_tree_to(&patched, index.pointer, repository.pointer), "cannot write the patched tree")
        return patched.hex
    }

    /// The paths `git apply --numstat -z` names: `ADDED\tDELETED\tPATH`, or for a rename or copy
    /// `ADDED\tDELETED\t` followed by the old and the new path, each ended by a NUL.
    static func paths(numstat: String) -> [String] {
        var fields = numstat.split(separator: "\0", omittingEmptySubsequences: false).makeIterator()
        var paths: [String] = []
        while let field = fields.next() {
            let parts = field.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            if parts[2].isEmpty {
                if let old = fields.next() { paths.append(String(old)) }
                if let new = fields.next() { paths.append(String(new)) }
            } else {
                paths.append(String(parts[2]))
            }
        }
        return paths
    }

    /// The old names of the files a patch in git's format changes, as libgit2 reads it; none
    /// for a patch libgit2 cannot read (a plain unified diff names no renames).
    static func sourcePaths(_ patch: [UInt8]) -> [String] {
        var pointer: OpaquePointer?
        let parsed = patch.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { git_diff_from_buffer(&pointer, $0.baseAddress, $0.count) }
        }
        guard parsed == 0, let pointer else { return [] }
        defer { git_diff_free(pointer) }
        return (0..<git_diff_num_deltas(pointer)).compactMap { index in
            git_diff_get_delta(pointer, index)?.pointee.old_file.path.map { String(cString: $0) }
        }
    }

    /// Why git refused the patch, in its own words (its `error:` lines, one line each): a path
    /// git will not touch or a patch it cannot read is invalid input (422); one that does not
    /// match the files is a conflict (409).
    /// git's own words are kept; where they name what a client of the API cannot do (a flag) or
    /// leave out the usual cause, a sentence on what to send instead follows.
    private static func refusal(_ result: GitCommandLine.Result, patch: [UInt8]) -> PlueError {
        let lines = result.errorOutput.split(separator: "\n").map(String.init)
        var errors = lines.filter { $0.hasPrefix("error: ") || $0.hasPrefix("fatal: ") }.map { String($0.drop { $0 != " " }.dropFirst()) }
        errors = errors.map { $0.hasPrefix("No valid patches in input") ? "no patch git can read in the body" : $0 }
        let reason = TerminalText.line((errors.isEmpty ? lines : errors).prefix(5).joined(separator: "; "))
        var shown = reason.isEmpty ? "git apply exited \(result.status)" : reason
        if errors.contains(where: { $0.hasPrefix("corrupt patch") }) && patch.last != UInt8(ascii: "\n") {
            shown += " (the patch must end with a line break)"
        } else if errors.contains(where: { $0.contains("without full index line") }) {
            shown += " (a binary file needs its bytes in the patch: make it with `git diff --binary`, or write the file with PUT)"
        } else if errors.contains("no patch git can read in the body") {
            shown += " (send what `git diff` prints)"
        }
        let invalid = result.status == 128 || errors.contains { $0.contains("beyond a symbolic link") || $0.contains("invalid path") }
        return invalid ? .invalidInput("the patch was refused: \(shown)")
            : .failed("the patch does not apply to the session's files: \(shown); get them with the diff or files routes and make the patch again")
    }
}
