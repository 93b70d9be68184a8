import Foundation

/// The account a runner's steps run as. A step is code from a push, so by default it may not be
/// the account that owns the home (which can read the secret, the database and every repository):
/// a dedicated unprivileged account (`--as`), or that account only with `--same-account` on a
/// one-person machine, with a warning.
public struct RunnerAccount: Sendable, Equatable {
    public let name: String
    public let uid: uid_t
    public let gid: gid_t
    /// Steps run in their own mount and process namespaces (`unshare`), the home hidden, /tmp their
    /// own; only a runner started as root can set them up (and switch accounts).
    public let sandboxed: Bool

    /// `account` is `--as`; `sameAccount` is `--same-account`. Returns the account and the
    /// warnings to show.
    public static func resolve(as account: String?, sameAccount: Bool, home: PlueHome) throws -> (RunnerAccount, [String]) {
        var status = stat()
        guard stat(home.root, &status) == 0 else { throw FileSystem.errnoError("cannot read the home at \(home.root)", errno) }
        let owner = status.st_uid
        let root = geteuid() == 0
        let how = "give --as ACCOUNT (an unprivileged account made for CI, e.g. `useradd --system --no-create-home plue-ci`)"
        switch (account, sameAccount) {
        case (.some, true):
            throw PlueError.usage("give --as ACCOUNT or --same-account, not both")
        case (nil, false):
            throw PlueError.usage("say which account runs workflow steps", hint: how + ", or --same-account on a one-person machine")
        case (nil, true):
            let uid = geteuid()
            guard let entry = getpwuid(uid) else { throw PlueError.failed("this process's account (uid \(uid)) has no passwd entry") }
            let name = String(cString: entry.pointee.pw_name)
            var warnings = ["warning: --same-account: workflow steps run as \(name), the account that owns the home, and can read and change what it can; use this only on a machine where everyone who can push may also act as \(name)"]
            if !root {
                warnings.append("warning: not started as root, so steps run without namespaces: they see the whole file system this account sees")
            }
            return (RunnerAccount(name: name, uid: uid, gid: getegid(), sandboxed: root), warnings)
        case (let name?, false):
            guard let entry = getpwnam(name) else {
                throw PlueError.notFound("no account named '\(name)' on this machine", hint: "create one: `useradd --system --no-create-home \(name)`")
            }
            let uid = entry.pointee.pw_uid, gid = entry.pointee.pw_gid
            guard uid != 0 else { throw PlueError.invalidInput("\(name) is root; steps must run as an unprivileged account", hint: how) }
            guard uid != owner else {
                throw PlueError.invalidInput("\(name) owns the home at \(home.root); steps must not run with the forge's rights",
                                             hint: how + ", or --same-account on a one-person machine")
            }
            guard root else {
                throw PlueError(.permissionDenied, "switching to \(name) for each step needs a runner started as root",
                                hint: "start `plue runner` as root (it keeps the forge's rights to itself), or use --same-account on a one-person machine")
            }
            return (RunnerAccount(name: name, uid: uid, gid: gid, sandboxed: true), [])
        }
    }

    /// Checks once, at start, that this machine lets the runner build a step's sandbox, so a
    /// container without the rights fails here with advice rather than at the first job.
    public func checkSandbox() throws {
        guard sandboxed else { return }
        let outcome = try ChildProcess.run("/usr/bin/unshare", ["--mount", "--pid", "--fork", "--kill-child", "--mount-proc", "--", "/bin/true"],
                                           environment: ChildEnvironment.build(allowing: ["PATH"]),
                                           options: ChildProcess.Options(timeout: 10))
        guard outcome.status == 0 else {
            let said = String(decoding: outcome.errorOutput, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw PlueError.failed("this machine does not let the runner isolate workflow steps (unshare: \(said))",
                                   hint: "run it where root may create mount and process namespaces (a container needs CAP_SYS_ADMIN)")
        }
    }
}
