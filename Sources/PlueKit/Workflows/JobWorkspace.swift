import Foundation

/// A job's own folder, `HOME/jobs/RANDOM`: its checkout, its temporary folder, its HOME and the
/// scripts of its steps. Made and filled by the runner before any step runs, then handed to the
/// step account; the runner never writes into it again (a step could have put a symlink there),
/// and removes it at the end. In a sandbox the folder is the step's /tmp.
struct JobWorkspace {
    let root: String
    let account: RunnerAccount

    /// Where the step sees the folder.
    var visibleRoot: String { account.sandboxed ? "/tmp" : root }
    var checkout: String { visibleRoot + "/checkout" }
    var temporary: String { visibleRoot + "/tmp" }
    var home: String { visibleRoot + "/home" }
    func script(_ position: Int) -> String { "\(visibleRoot)/steps/\(position).sh" }

    /// Makes the folder and checks out `commit` of the repository at `gitDirectory` into it.
    static func create(in jobsRoot: String, for job: ClaimedJob, gitDirectory: String, account: RunnerAccount) throws -> JobWorkspace {
        try FileSystem.createDirectory(jobsRoot, mode: 0o700)
        let root = "\(jobsRoot)/\(job.id)-\(job.attempt)-\(FileSystem.randomName())"
        guard mkdir(root, 0o700) == 0 else { throw FileSystem.errnoError("cannot create the job's folder \(root)", errno) }
        let workspace = JobWorkspace(root: root, account: account)
        do {
            for folder in ["checkout", "tmp", "home", "steps"] {
                guard mkdir(root + "/" + folder, 0o700) == 0 else { throw FileSystem.errnoError("cannot create \(root)/\(folder)", errno) }
            }
            try workspace.checkOut(job.commit, from: gitDirectory)
            for (index, step) in job.definition.job.steps.enumerated() {
                try FileSystem.writeFile("\(root)/steps/\(index + 1).sh", contents: Array(step.run.utf8), mode: 0o644, sync: false)
            }
            try workspace.handOver()
        } catch {
            workspace.remove()
            throw error
        }
        return workspace
    }

    /// The commit's files (not a clone: no .git), written by git as it writes any checkout, with
    /// an index of the job's own so the repository is only read.
    private func checkOut(_ commit: String, from gitDirectory: String) throws {
        let environment = ChildEnvironment.build(setting: [("GIT_INDEX_FILE", root + "/index"), ("GIT_NO_REPLACE_OBJECTS", "1"),
                                                            ("GIT_CONFIG_NOSYSTEM", "1"), ("GIT_TERMINAL_PROMPT", "0")])
        let outcome = try ChildProcess.run(
            try GitCommandLine.executable(),
            ["--git-dir=" + gitDirectory, "--work-tree=" + root + "/checkout", "-c", "core.hooksPath=/dev/null",
             "read-tree", "--reset", "-u", commit],
            environment: environment, options: ChildProcess.Options(timeout: 600))
        _ = unlink(root + "/index")
        guard outcome.status == 0 else {
            throw PlueError.failed("cannot check out \(commit): \(String(decoding: outcome.errorOutput, as: UTF8.self))")
        }
    }

    /// Gives the folder and all in it to the step account (symlinks themselves, never what they name).
    private func handOver() throws {
        guard account.uid != geteuid() else { return }
        let outcome = try ChildProcess.run("/bin/chown", ["-R", "-h", "-P", "\(account.uid):\(account.gid)", "--", root],
                                           environment: ChildEnvironment.build(allowing: ["PATH"]))
        guard outcome.status == 0 else {
            throw PlueError.failed("cannot give \(root) to \(account.name): \(String(decoding: outcome.errorOutput, as: UTF8.self))")
        }
    }

    /// Removes the folder with GNU rm, which walks it by open directories and never follows a
    /// link, whatever a step left there. Best effort: a leftover is reported (and removed by the
    /// next runner's `removeStale`).
    func remove() {
        Self.remove(root)
    }

    static func remove(_ path: String) {
        do {
            let outcome = try ChildProcess.run("/bin/rm", ["-rf", "--one-file-system", "--", path],
                                               environment: ChildEnvironment.build(allowing: ["PATH"]))
            if outcome.status != 0 {
                WarningSink().emit("warning: cannot remove \(path): \(String(decoding: outcome.errorOutput, as: UTF8.self))")
            }
        } catch {
            WarningSink().emit("warning: \(error)")
        }
    }

    /// Removes the folders of jobs no runner runs any more (a runner killed mid-job leaves its
    /// folder): `ID-ATTEMPT-RANDOM` is kept only while job ID runs its attempt ATTEMPT.
    static func removeStale(in jobsRoot: String, running: (Int64, Int) throws -> Bool) {
        for name in FileSystem.sortedEntries(jobsRoot) {
            let parts = name.split(separator: "-")
            guard parts.count == 3, let id = Int64(parts[0]), let attempt = Int(parts[1]) else { continue }
            if (try? running(id, attempt)) == false { remove(jobsRoot + "/" + name) }
        }
    }

    /// The namespace's first process is this root shell, not the step: it keeps the parent-death
    /// signal `unshare --kill-child` gave it (switching accounts would clear it), and when it ends,
    /// by the step's end or by that signal, the kernel ends every process in the namespace, those
    /// that left the step's process group (setsid) included.
    /// The program and arguments that run step `position` in `directory` (relative to the checkout)
    /// with exactly `environment`: in a sandbox, new mount and process namespaces where this folder
    /// is /tmp (and /var/tmp's contents its tmp), /dev/shm and /run/lock are empty, the home is
    /// covered, then the step account with no capabilities and no way to gain any, and at most
    /// 4,096 processes (the kernel counts them by account: a fork bomb stops there, not at the
    /// machine's limit).
    func command(position: Int, directory: String?, environment: [String], hiding home: String?) -> (String, [String], [String]) {
        let folder = directory.map { checkout + "/" + $0 } ?? checkout
        let step = ["/bin/sh", "-c", "cd -- \"$1\" && unset OLDPWD && exec /bin/sh -e \"$2\"", "plue-step", folder, script(position)]
        // A runner killed with SIGKILL takes its step with it: the kernel sends the step's first
        // process SIGKILL when the runner's thread ends (setpriv --pdeathsig), and in a sandbox
        // unshare's --kill-child ends the whole namespace with it.
        let orphanGuard = ["--pdeathsig", "KILL", "--"]
        guard account.sandboxed else { return ("/usr/bin/setpriv", orphanGuard + step, environment) }
        let setup = """
            set -e
            cd /
            job=$1 home=$2 uid=$3 gid=$4
            shift 4
            mount --bind "$job" /tmp
            if [ -d /var/tmp ]; then mount --bind /tmp/tmp /var/tmp; fi
            if [ -d /dev/shm ]; then mount -t tmpfs -o size=64m,mode=1777,nosuid,nodev tmpfs /dev/shm; fi
            if [ -d /run/lock ]; then mount -t tmpfs -o size=1m,mode=1777,nosuid,nodev tmpfs /run/lock; fi
            if [ -n "$home" ]; then mount -t tmpfs -o size=1m,mode=0755 tmpfs "$home"; fi
            status=0
            prlimit --nproc=4096 -- setpriv --reuid="$uid" --regid="$gid" --clear-groups --no-new-privs --inh-caps=-all --bounding-set=-all -- "$@" || status=$?
            exit "$status"
            """
        let arguments = orphanGuard + ["/usr/bin/unshare", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc", "--", "/bin/sh", "-c", setup, "plue-sandbox",
                         root, home ?? "", String(account.uid), String(account.gid), "/usr/bin/env", "-i"] + environment + step
        return ("/usr/bin/setpriv", arguments, ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"])
    }
}
