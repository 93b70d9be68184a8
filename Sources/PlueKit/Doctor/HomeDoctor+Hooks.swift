import Foundation

/// Each repository's `pre-receive` and `post-receive` hooks: they carry the absolute paths of the
/// `plue` binary and of the home, so moving either breaks every push.
extension HomeDoctor {
    /// A hook that is wrong, and whether rewriting it loses nothing.
    struct HookProblem {
        let code: DoctorFinding.Code
        let message: String
        /// Whether the file is missing or is exactly what Plue writes (so its bytes can be made
        /// again), or else what to do by hand.
        let manualRemedy: String?
    }

    /// Every repository folder on disk by OWNER/NAME, recorded or not: hooks are checked whatever
    /// the database says, so they are checked on a home whose database is damaged too.
    func repositoryFolders() -> [(name: String, path: String)] {
        var result: [(name: String, path: String)] = []
        for owner in FileSystem.sortedEntries(home.repositoriesPath) where !owner.hasPrefix(".") {
            let ownerPath = home.repositoriesPath + "/" + owner
            guard FileSystem.isDirectory(ownerPath) else { continue }
            for entry in FileSystem.sortedEntries(ownerPath) where entry.hasSuffix(".git") && entry.count > 4 {
                let path = ownerPath + "/" + entry
                if FileSystem.isDirectory(path) { result.append((owner + "/" + String(entry.dropLast(4)), path)) }
            }
        }
        return result
    }

    /// The hooks of every recorded repository, or of every repository folder when the database
    /// cannot be read (`database` nil); a folder no row records is reported by the record checks.
    /// Rewrites only hooks Plue wrote, or missing ones: a hook edited by hand is reported, since its
    /// bytes are stored nowhere else.
    func checkHooks(fix: Bool, database: AppDatabase?) throws -> [DoctorFinding] {
        let installer = HookInstaller(executable: executable, home: home)
        // A rewritten hook must call a plue that is there: this one, unless it went since it started.
        let canWrite = FileSystem.isExecutableFile(executable)
        var folders = repositoryFolders()
        if let database {
            let recorded = Set(try database.repositories(owner: nil).map { home.repositoryPath(owner: $0.owner, name: $0.name) })
            folders = folders.filter { recorded.contains($0.path) }
        }
        var findings: [DoctorFinding] = []
        for folder in folders {
            let hooks = folder.path + "/hooks"
            for hook in HookInstaller.hookNames {
                let path = hooks + "/" + hook
                guard let problem = try hookProblem(at: path, hook: hook, repository: folder.name) else { continue }
                let finding = { (remedy: String, fixable: Bool, fixed: Bool) in
                    DoctorFinding(problem.code, path: path, name: folder.name, message: problem.message, remedy: remedy, fixable: fixable, fixed: fixed)
                }
                if let manual = problem.manualRemedy {
                    findings.append(finding(manual, false, false))
                } else if FileSystem.exists(hooks) && !FileSystem.isRealDirectory(hooks) {
                    findings.append(finding("\(hooks) is not a folder (a symbolic link?), which Plue does not write through; "
                                            + "make it a folder, then run `plue doctor --fix`", false, false))
                } else if !canWrite {
                    findings.append(finding("run `plue doctor --fix` with the plue the hooks should call (this one, \(executable), is not there)",
                                            false, false))
                } else if !fix {
                    let verb = problem.code == .hookMissing ? "writes" : "rewrites"
                    findings.append(finding("`plue doctor --fix` \(verb) it to run \(executable)", true, false))
                } else {
                    do {
                        try installer.install(hook: hook, inGitDirectory: folder.path, fullName: folder.name)
                        findings.append(finding((problem.code == .hookMissing ? "written" : "rewritten") + " to run \(executable)", true, true))
                    } catch {
                        findings.append(finding("could not rewrite it: \(Self.describe(error))", true, false))
                    }
                }
            }
        }
        return findings
    }

    /// What is wrong with one hook, if anything: the first of missing, not a file, edited, naming
    /// another home or repository, calling a missing binary, not executable.
    private func hookProblem(at path: String, hook: String, repository: String) throws -> HookProblem? {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            guard errno == ENOENT else { throw FileSystem.errnoError("cannot read \(path)", errno) }
            return HookProblem(code: .hookMissing, message: "\(repository) has no \(hook) hook: its pushes are neither checked nor recorded",
                               manualRemedy: nil)
        }
        let moveAside = "move it aside (keep what you added), then run `plue doctor --fix` to write Plue's hook"
        guard info.st_mode & S_IFMT == S_IFREG else {
            return HookProblem(code: .hookNotFile, message: "the \(hook) hook of \(repository) is not a regular file (a symbolic link or a folder)",
                               manualRemedy: moveAside)
        }
        guard let bytes = try FileSystem.readSmallFile(path, limit: 64 * 1024),
              let target = HookInstaller.target(of: String(decoding: bytes, as: UTF8.self), hook: hook) else {
            return HookProblem(code: .hookModified,
                               message: "the \(hook) hook of \(repository) is not the one Plue writes (edited by hand?): its pushes may not be checked or recorded",
                               manualRemedy: moveAside)
        }
        if target.home != home.root || target.repository != repository {
            return HookProblem(code: .hookMismatch,
                               message: "the \(hook) hook of \(repository) calls plue for the home \(target.home) and the repository \(target.repository) "
                                   + "(the home or the repository was moved?)",
                               manualRemedy: nil)
        }
        if !target.executable.hasPrefix("/") || !FileSystem.isExecutableFile(target.executable) {
            return HookProblem(code: .hookBinaryMissing,
                               message: "the \(hook) hook of \(repository) runs \(target.executable), which is not there (plue was moved or removed): "
                                   + "every push to \(repository) fails",
                               manualRemedy: nil)
        }
        if info.st_mode & S_IXUSR == 0 {
            return HookProblem(code: .hookNotExecutable,
                               message: "the \(hook) hook of \(repository) is not executable, so git skips it: its pushes are neither checked nor recorded",
                               manualRemedy: nil)
        }
        return nil
    }
}
