import CLibGit2
import Foundation

extension GitWorkspace {
    /// Gives the working directory a `.git` of its own, so `git status`, `diff`, `add`, `commit`,
    /// `checkout -b` and `stash` work there as in any clone and show the session's changes against
    /// `commit` (the base, as branch `branch`). It is a separate repository that borrows the
    /// forge's objects read-only (`objects/info/alternates`): nothing done in it can move the
    /// forge's refs, and Plue never snapshots it. An existing `.git` is left as the agent made it.
    /// `indexIsBase`: the session's index describes the base commit's tree (a new session's does).
    func makeAgentRepository(branch: String, commit: String, author: (name: String, email: String), indexIsBase: Bool = false) throws {
        let gitDirectory = workdir + "/.git"
        guard !FileSystem.exists(gitDirectory) else { return }
        var options = git_repository_init_options()
        git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION))
        options.flags = GIT_REPOSITORY_INIT_NO_REINIT.rawValue
        var created: OpaquePointer?
        let code = branch.withCString { head in
            options.initial_head = head
            return git_repository_init_ext(&created, workdir, &options)
        }
        try check(code, "cannot create the git directory of \(workdir)")
        git_repository_free(created)
        try FileSystem.createDirectory(gitDirectory + "/objects/info")
        try FileSystem.writeFile(gitDirectory + "/objects/info/alternates", contents: Array((repository.path + "/objects\n").utf8),
                                 mode: 0o644, sync: false)

        // Opened again, so the alternates are read.
        var pointer: OpaquePointer?
        try check(git_repository_open(&pointer, gitDirectory), "cannot open \(gitDirectory)")
        let agent = GitHandle(pointer!, release: git_repository_free)
        var id = try GitObjectID.parse(commit)
        var reference: OpaquePointer?
        try check(git_reference_create(&reference, agent.pointer, "refs/heads/" + branch, &id, 1, "plue: session base"),
                  "cannot create the branch \(branch) in \(gitDirectory)")
        git_reference_free(reference)
        var config: OpaquePointer?
        try check(git_repository_config(&config, agent.pointer), "cannot open the configuration of \(gitDirectory)")
        defer { git_config_free(config) }
        try check(git_config_set_string(config, "user.name", author.name), "cannot configure \(gitDirectory)")
        try check(git_config_set_string(config, "user.email", author.email), "cannot configure \(gitDirectory)")

        // The index of the base commit, with the stat data of the session's own index where the two
        // agree, so the first `git status` does not read every file again. When the session's
        // index is of the base commit's tree already (a new session), a copy is all it takes.
        let index = gitDirectory + "/index"
        if let bytes = FileManager.default.contents(atPath: indexPath) {
            try FileSystem.writeFile(index, contents: [UInt8](bytes), mode: 0o644, sync: false)
            if indexIsBase { return }
        }
        var indexPointer: OpaquePointer?
        try check(git_index_open(&indexPointer, index), "cannot open \(index)")
        defer { git_index_free(indexPointer) }
        var commitObject: OpaquePointer?
        try check(git_commit_lookup(&commitObject, repository.pointer, &id), "cannot read the commit \(commit)")
        defer { git_commit_free(commitObject) }
        var tree: OpaquePointer?
        try check(git_commit_tree(&tree, commitObject), "cannot read the tree of \(commit)")
        defer { git_tree_free(tree) }
        try GitIndexEntries.fill(indexPointer!, from: tree!, repository: agent.pointer)
        try check(git_index_write(indexPointer), "cannot write \(index)")
    }
}

extension GitWorkspace {
    /// Whether the working directory's `.git` holds work of the agent's own that Plue does not
    /// store: objects (commits, a stash, staged files), or refs other than the base branch at the
    /// base commit.
    func agentRepositoryHoldsWork(branch: String, commit: String) -> Bool {
        let gitDirectory = workdir + "/.git"
        var info = stat()
        guard lstat(gitDirectory, &info) == 0 else { return false }
        guard info.st_mode & S_IFMT == S_IFDIR else { return true }
        let objects = (try? FileManager.default.contentsOfDirectory(atPath: gitDirectory + "/objects")) ?? []
        if objects.contains(where: { $0 != "info" && $0 != "pack" }) { return true }
        if !((try? FileManager.default.contentsOfDirectory(atPath: gitDirectory + "/objects/pack")) ?? []).isEmpty { return true }
        var pointer: OpaquePointer?
        guard git_repository_open(&pointer, gitDirectory) == 0 else { return true }
        defer { git_repository_free(pointer) }
        var iterator: OpaquePointer?
        guard git_reference_iterator_new(&iterator, pointer) == 0 else { return true }
        defer { git_reference_iterator_free(iterator) }
        var reference: OpaquePointer?
        while git_reference_next(&reference, iterator) == 0 {
            defer { git_reference_free(reference) }
            let name = String(cString: git_reference_name(reference))
            guard name == "refs/heads/" + branch, let target = git_reference_target(reference), target.pointee.hex == commit else {
                return true
            }
        }
        return false
    }
}
