import CLibGit2
import Foundation

/// New trees made from an existing one by changing a single path: how a file written or deleted
/// over the API becomes a state of its session before any byte of the working directory moves.
extension GitRepository {
    /// The mode of what `path` names in the tree `id` (0o100644, 0o100755, 0o120000, 0o040000 for a
    /// folder, 0o160000 for a submodule), or nil when nothing is there.
    func mode(inTree id: String, path: String) throws -> UInt32? {
        let root = try lookupTree(id)
        defer { git_tree_free(root) }
        var entry: OpaquePointer?
        let code = git_tree_entry_bypath(&entry, root, path)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "cannot read '\(path)' in the tree \(id)")
        defer { git_tree_entry_free(entry) }
        return git_tree_entry_filemode(entry).rawValue
    }

    /// The tree `id` with `bytes` at `path` as a file of `mode` (0o100644, 0o100755 or 0o120000,
    /// whose bytes are the link's target), or without `path` when `bytes` is nil. Folders on the
    /// way are made as needed, and a folder left empty goes, as git has no empty folders.
    func tree(_ id: String, setting path: String, to bytes: [UInt8]?, mode: UInt32 = 0o100644) throws -> String {
        let root = try lookupTree(id)
        defer { git_tree_free(root) }
        var blob = git_oid()
        if let bytes {
            try bytes.withUnsafeBytes { raw in
                try check(git_blob_create_from_buffer(&blob, pointer, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, raw.count),
                          "cannot store '\(path)'")
            }
        }
        let cPath = strdup(path)
        defer { free(cPath) }
        var update = git_tree_update(action: bytes == nil ? GIT_TREE_UPDATE_REMOVE : GIT_TREE_UPDATE_UPSERT, id: blob,
                                     filemode: git_filemode_t(mode), path: UnsafePointer(cPath))
        var result = git_oid()
        try check(git_tree_create_updated(&result, pointer, root, 1, &update), "cannot write a tree with '\(path)' changed")
        return result.hex
    }
}
