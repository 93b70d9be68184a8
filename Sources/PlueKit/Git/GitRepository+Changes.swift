import CLibGit2
import Foundation

/// A commit as sessions see it: its tree, parents, message and change id.
struct GitChangeCommit: Sendable, Equatable {
    let commit: String
    let tree: String
    let parents: [String]
    let message: String
    /// The `change-id` header Plue (and Jujutsu) write; nil on commits from elsewhere.
    let changeID: String?
    let author: GitPerson
}

/// A commit's author or committer: name, email, and the time with its UTC offset.
struct GitPerson: Sendable, Equatable {
    let name: String
    let email: String
    let seconds: Int64
    let offsetMinutes: Int

    init(name: String, email: String, time: Date) {
        self.init(name: name, email: email, seconds: Int64(time.timeIntervalSince1970), offsetMinutes: 0)
    }

    init(name: String, email: String, seconds: Int64, offsetMinutes: Int) {
        self.name = name
        self.email = email
        self.seconds = seconds
        self.offsetMinutes = offsetMinutes
    }

    /// `Name <email> 1700000000 +0100`, as commit headers hold it.
    var header: String {
        let offset = abs(offsetMinutes)
        let zone = (offsetMinutes < 0 ? "-" : "+") + String(format: "%02d%02d", offset / 60, offset % 60)
        return "\(Self.sanitized(name)) <\(Self.sanitized(email))> \(seconds) \(zone)"
    }

    /// Names and emails go into a commit header: no angle brackets or line breaks.
    private static func sanitized(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0 != "<" && $0 != ">" && $0.value >= 0x20 }.map(Character.init))
    }
}

extension GitRepository {
    /// Writes a commit with a `change-id` header (which libgit2's commit API cannot add) straight
    /// into the object database, authored and committed by `author` now. It moves no ref.
    func writeCommit(tree: String, parents: [String], author: (name: String, email: String), message: String,
                     changeID: String, time: Date = Date()) throws -> String {
        let person = GitPerson(name: author.name, email: author.email, time: time)
        return try writeCommit(tree: tree, parents: parents, author: person, committer: person, message: message, changeID: changeID)
    }

    /// Writes a commit object as given; `changeID` nil writes no `change-id` header. It moves no ref.
    func writeCommit(tree: String, parents: [String], author: GitPerson, committer: GitPerson, message: String,
                     changeID: String?) throws -> String {
        for id in [tree] + parents { _ = try GitObjectID.parse(id) }
        var text = "tree \(tree)\n"
        for parent in parents { text += "parent \(parent)\n" }
        text += "author \(author.header)\ncommitter \(committer.header)\n"
        if let changeID { text += "change-id \(changeID)\n" }
        text += "\n\(message)"
        if !message.isEmpty && !message.hasSuffix("\n") { text += "\n" }
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, pointer), "cannot open the object database")
        defer { git_odb_free(odb) }
        var oid = git_oid()
        let bytes = Array(text.utf8)
        try check(git_odb_write(&oid, odb, bytes, bytes.count, GIT_OBJECT_COMMIT), "cannot write a commit")
        return oid.hex
    }

    func changeCommit(_ id: String) throws -> GitChangeCommit {
        var oid = try GitObjectID.parse(id)
        var commit: OpaquePointer?
        try check(git_commit_lookup(&commit, pointer, &oid), "no commit \(id)")
        defer { git_commit_free(commit) }
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        let changeID = git_commit_header_field(&buffer, commit, "change-id") == 0 && buffer.ptr != nil
            ? String(cString: buffer.ptr) : nil
        return GitChangeCommit(
            commit: id, tree: git_commit_tree_id(commit).pointee.hex,
            parents: (0..<git_commit_parentcount(commit)).compactMap { git_commit_parent_id(commit, $0)?.pointee.hex },
            message: git_commit_message(commit).map { String(cString: $0) } ?? "", changeID: changeID,
            author: Self.person(git_commit_author(commit)))
    }

    private static func person(_ signature: UnsafePointer<git_signature>?) -> GitPerson {
        guard let signature else { return GitPerson(name: "", email: "", seconds: 0, offsetMinutes: 0) }
        let when = signature.pointee.when
        return GitPerson(name: String(cString: signature.pointee.name), email: String(cString: signature.pointee.email),
                         seconds: when.time, offsetMinutes: Int(when.offset))
    }

    /// The commit a ref points at, or nil when it does not exist.
    func referenceTarget(_ name: String) throws -> String? {
        var oid = git_oid()
        let code = git_reference_name_to_id(&oid, pointer, name)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "cannot read \(name)")
        return oid.hex
    }

    /// Points `name` at `target`, only if it still points at `expected` (nil: only if it does not
    /// exist): a compare-and-swap, so a concurrent move is detected, never overwritten.
    func moveReference(_ name: String, to target: String, expecting expected: String?, message: String) throws {
        var new = try GitObjectID.parse(target)
        var reference: OpaquePointer?
        let code: Int32
        if let expected {
            var old = try GitObjectID.parse(expected)
            code = git_reference_create_matching(&reference, pointer, name, &new, 1, &old, message)
        } else {
            code = git_reference_create(&reference, pointer, name, &new, 0, message)
        }
        if code == GIT_EMODIFIED.rawValue || code == GIT_EEXISTS.rawValue {
            throw PlueError(.unavailable, "\(name) moved while this command ran; run it again")
        }
        try check(code, "cannot move \(name)")
        git_reference_free(reference)
    }

    /// Keeps `commit` reachable for ever under refs/plue/keep/, so no undo can lose it.
    func keep(_ commit: String) throws {
        try setReference("refs/plue/keep/\(commit)", to: commit, message: "plue: keep")
    }

    /// Paths that differ between two trees (nil: the empty tree), as git diff --name-only lists them.
    func changedPaths(from old: String?, to new: String) throws -> [String] {
        func tree(_ id: String?) throws -> OpaquePointer? {
            guard let id else { return nil }
            var oid = try GitObjectID.parse(id)
            var tree: OpaquePointer?
            try check(git_tree_lookup(&tree, pointer, &oid), "cannot read the tree \(id)")
            return tree
        }
        let oldTree = try tree(old), newTree = try tree(new)
        defer { git_tree_free(oldTree); git_tree_free(newTree) }
        var diff: OpaquePointer?
        try check(git_diff_tree_to_tree(&diff, pointer, oldTree, newTree, nil), "cannot compare trees")
        defer { git_diff_free(diff) }
        return (0..<git_diff_num_deltas(diff)).compactMap { index in
            guard let delta = git_diff_get_delta(diff, index) else { return nil }
            return String(cString: delta.pointee.new_file.path ?? delta.pointee.old_file.path)
        }
    }
}
