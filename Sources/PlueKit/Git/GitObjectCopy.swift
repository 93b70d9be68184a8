import CLibGit2

/// A scratch object database beside a repository's, for a git command that must see only some of
/// the repository's objects: blobs are copied in by path from a tree the caller may read, and what
/// the command made is copied back out.
final class GitObjectCopy {
    private let repositoryObjects: GitHandle
    private let scratchObjects: GitHandle
    /// The blobs copied in: the caller's already, whatever their size.
    private var copiedIn: Set<String> = []
    /// Bytes of new blobs copied out so far.
    private var written = 0

    /// `scratch` is an existing, empty objects folder.
    init(from repository: GitRepository, scratch: String) throws {
        var pointer: OpaquePointer?
        try check(git_repository_odb(&pointer, repository.pointer), "cannot open the object database")
        repositoryObjects = GitHandle(pointer!, release: git_odb_free)
        pointer = nil
        try check(git_odb_open(&pointer, scratch), "cannot open the scratch object database \(scratch)")
        scratchObjects = GitHandle(pointer!, release: git_odb_free)
    }

    /// Copies the blob at `path` in `tree` into the scratch database; nothing when there is none
    /// (a file the patch adds) or it is a folder or a submodule.
    func copyIn(_ path: String, of tree: OpaquePointer) throws {
        var entry: OpaquePointer?
        guard git_tree_entry_bypath(&entry, tree, path) == 0 else { return }
        defer { git_tree_entry_free(entry) }
        guard git_tree_entry_type(entry) == GIT_OBJECT_BLOB, let id = git_tree_entry_id(entry) else { return }
        guard !copiedIn.contains(id.pointee.hex) else { return }
        try copy(id, from: repositoryObjects, to: scratchObjects, what: path)
        copiedIn.insert(id.pointee.hex)
    }

    /// Makes sure the repository holds the blob `id` of `path`: one the scratch database has and
    /// the repository lacks is copied out, as long as the new blobs (those not copied in) come to
    /// at most `maxBytes` in all: a patch of binary deltas copying a small file many times makes
    /// files a thousand times its size.
    func copyOut(_ id: git_oid, path: String, maxBytes: Int) throws {
        var id = id
        guard git_odb_exists(scratchObjects.pointer, &id) == 1 else { return }
        if !copiedIn.contains(id.hex) {
            var length = 0
            var type = GIT_OBJECT_INVALID
            try check(git_odb_read_header(&length, &type, scratchObjects.pointer, &id), "cannot read the size of \(path)")
            written += length
            guard written <= maxBytes else {
                throw PlueError(.invalidInput, "the patch makes \(Validation.quoted(path)) \(length) bytes, past the \(maxBytes) bytes a patch may make in all",
                                hint: "keep files that large out of sessions, or split the change")
            }
        }
        guard git_odb_exists(repositoryObjects.pointer, &id) != 1 else { return }
        try copy(&id, from: scratchObjects, to: repositoryObjects, what: path)
    }

    private func copy(_ id: UnsafePointer<git_oid>, from source: GitHandle, to target: GitHandle, what path: String) throws {
        var object: OpaquePointer?
        try check(git_odb_read(&object, source.pointer, id), "cannot read \(path)")
        defer { git_odb_object_free(object) }
        var written = git_oid()
        try check(git_odb_write(&written, target.pointer, git_odb_object_data(object), git_odb_object_size(object),
                                git_odb_object_type(object)), "cannot store \(path)")
    }
}
