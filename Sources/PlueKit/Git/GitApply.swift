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
/// the forge's repository, and the caller moves the working directory to the result.
enum GitApply {
    /// The tree `tree` with `patch` applied, as `git apply` reads a patch: unified diffs with or
    /// without git's headers (new, deleted and renamed files, modes, links, binary patches with
    /// full ids). `scratch` is a folder of the caller's to work in; it is removed afterwards.
    static func apply(_ patch: [UInt8], to tree: String, in repository: GitRepository, scratch: String) throws -> String {
        try FileSystem.remove(scratch)
        try FileSystem.createDirectory(scratch, mode: 0o700)
        defer { try? FileSystem.remove(scratch) }
        let indexPath = scratch + "/index", patchPath = scratch + "/patch"
        try FileSystem.writeFile(patchPath, contents: patch, mode: 0o600, sync: false)

        var pointer: OpaquePointer?
        try check(git_index_open(&pointer, indexPath), "cannot make a scratch index in \(scratch)")
        let index = GitHandle(pointer!, release: git_index_free)
        let root = try repository.lookupTree(tree)
        defer { git_tree_free(root) }
        try GitIndexEntries.fill(index.pointer, from: root!, repository: repository.pointer)
        try check(git_index_write(index.pointer), "cannot write the scratch index \(indexPath)")

        var options = ChildProcess.Options()
        options.directory = scratch
        options.timeout = 600
        // Whitespace is neither warned about nor ignored, whatever the server's own git configuration says.
        let result = try GitCommandLine.run(["--git-dir", repository.path, "-c", "apply.ignoreWhitespace=no", "apply", "--cached",
                                             "--whitespace=nowarn", "--", patchPath],
                                            setting: [("GIT_INDEX_FILE", indexPath)], options: options)
        guard result.status == 0 else { throw refusal(result) }

        try check(git_index_read(index.pointer, 1), "cannot read the patched index")
        var patched = git_oid()
        try check(git_index_write_tree_to(&patched, index.pointer, repository.pointer), "cannot write the patched tree")
        return patched.hex
    }

    /// Why git refused the patch, in its own words (its `error:` lines, one line each): a path
    /// git will not touch or a patch it cannot read is invalid input (422); one that does not
    /// match the files is a conflict (409).
    private static func refusal(_ result: GitCommandLine.Result) -> PlueError {
        let lines = result.errorOutput.split(separator: "\n").map(String.init)
        let errors = lines.filter { $0.hasPrefix("error: ") }.map { String($0.dropFirst(7)) }
        let reason = TerminalText.line((errors.isEmpty ? lines : errors).prefix(5).joined(separator: "; "))
        let shown = reason.isEmpty ? "git apply exited \(result.status)" : reason
        let invalid = result.status == 128 || errors.contains { $0.contains("beyond a symbolic link") || $0.contains("invalid path") }
        return invalid ? .invalidInput("the patch was refused: \(shown)")
            : .failed("the patch does not apply to the session's files: \(shown); get them with the diff or files routes and make the patch again")
    }
}
