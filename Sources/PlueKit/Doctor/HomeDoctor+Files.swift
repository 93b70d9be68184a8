import Foundation

/// The home's own files: the server secret, and what killed commands left in the staging and
/// trash folders.
extension HomeDoctor {
    /// HOME/secret: a regular file of mode 0600 holding 32 bytes (as `plue init` writes them, 64
    /// hex digits and a newline). Only the mode is repaired; a new secret is the administrator's call.
    func checkSecret(fix: Bool) throws -> [DoctorFinding] {
        let path = home.secretPath
        var info = stat()
        guard lstat(path, &info) == 0 else {
            guard errno == ENOENT else { throw FileSystem.errnoError("cannot read \(path)", errno) }
            return [DoctorFinding(.secretMissing, path: path, message: "the server secret is missing",
                                  remedy: "restore it from a backup, or make a new one: (umask 077; openssl rand -hex 32 > \(path))")]
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            return [DoctorFinding(.secretNotFile, path: path, message: "the server secret is not a regular file (a symbolic link or a folder took its place)",
                                  remedy: "put the secret itself there, a file of mode 0600 (restore it from a backup)")]
        }
        var findings: [DoctorFinding] = []
        if !Self.isSecret(try FileSystem.readSmallFile(path, limit: 4096)) {
            findings.append(DoctorFinding(.secretContent, path: path, message: "the server secret does not hold 32 bytes (64 hex digits, as `plue init` writes it)",
                                          remedy: "restore it from a backup, or make a new one: (umask 077; openssl rand -hex 32 > \(path))"))
        }
        let mode = info.st_mode & 0o7777
        if mode != 0o600 {
            let what = "the server secret has mode \(Self.octal(mode)), not 0600" + (mode & 0o077 != 0 ? ": other accounts can read it" : "")
            guard fix else {
                findings.append(DoctorFinding(.secretMode, path: path, message: what, remedy: "`plue doctor --fix` sets 0600", fixable: true))
                return findings
            }
            // Through a descriptor opened without following links: chmod on a path would follow one
            // put there since the lstat above.
            let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            let failure = descriptor < 0 || fchmod(descriptor, 0o600) != 0 ? String(cString: strerror(errno)) : nil
            if descriptor >= 0 { close(descriptor) }
            findings.append(DoctorFinding(.secretMode, path: path, message: what,
                                          remedy: failure.map { "could not set 0600: \($0)" } ?? "set to 0600", fixable: true, fixed: failure == nil))
        }
        return findings
    }

    /// 32 bytes: raw, or as the 64 hex digits (and a newline) `plue init` writes.
    static func isSecret(_ bytes: [UInt8]?) -> Bool {
        guard let bytes else { return false }
        if bytes.count == 32 { return true }
        let digits = bytes.last == UInt8(ascii: "\n") ? bytes.dropLast() : bytes[...]
        return digits.count == 64 && digits.allSatisfy { (48...57).contains($0) || (97...102).contains($0) || (65...70).contains($0) }
    }

    static func octal(_ mode: mode_t) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Entries of the staging and trash folders untouched for an hour (`PlueHome.leftoverAge`):
    /// the rule `repo create` and `session gc` already apply, since every command that builds
    /// something there finishes with it, or removes it, well within that time. They hold only
    /// what can be made again (a repository being built, a checkout of stored commits) or what
    /// was deleted already, so `fix` removes them, never through a symbolic link.
    func checkLeftovers(fix: Bool) throws -> [DoctorFinding] {
        let places = [
            (home.stagingPath, "a repository a killed `plue repo create` or `repo import` was building"),
            (home.trashPath, "a deleted repository whose removal was interrupted"),
            (home.sessionStagingPath, "a session folder a killed `plue session new` or `session fork` was building"),
        ]
        let cutoff = time(nil) - time_t(PlueHome.leftoverAge)
        var findings: [DoctorFinding] = []
        for (folder, what) in places {
            // A link in place of the folder or of its parent would make a removal reach outside the home.
            let parent = (folder as NSString).deletingLastPathComponent
            let removable = FileSystem.isRealDirectory(parent) && FileSystem.isRealDirectory(folder)
            for name in FileSystem.sortedEntries(folder) {
                let path = folder + "/" + name
                var info = stat()
                guard lstat(path, &info) == 0, info.st_mtim.tv_sec < cutoff else { continue }
                let message = what + ", untouched for more than an hour"
                guard removable else {
                    findings.append(DoctorFinding(.stagingLeftover, path: path, message: message,
                                                  remedy: "remove it by hand: \(folder) or its parent is a symbolic link, which Plue does not remove through"))
                    continue
                }
                guard fix else {
                    findings.append(DoctorFinding(.stagingLeftover, path: path, message: message, remedy: "`plue doctor --fix` removes it", fixable: true))
                    continue
                }
                do {
                    try FileSystem.remove(path)
                    findings.append(DoctorFinding(.stagingLeftover, path: path, message: message, remedy: "removed", fixable: true, fixed: true))
                } catch {
                    findings.append(DoctorFinding(.stagingLeftover, path: path, message: message,
                                                  remedy: "could not remove it: \(Self.describe(error))", fixable: true))
                }
            }
        }
        return findings
    }
}
