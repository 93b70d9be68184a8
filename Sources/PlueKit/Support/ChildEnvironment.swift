import Foundation

/// The environment a child gets: an allow-list of this process's variables plus what the caller
/// sets, never the whole of it (a `GIT_DIR`, `LD_PRELOAD` or token in Plue's environment stays here).
enum ChildEnvironment {
    /// What any program needs to find its tools, its user and its language.
    static let basic: Set<String> = ["PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TERM", "TZ", "TMPDIR"]
    /// What git needs besides, to reach a remote: the SSH agent, proxies and certificate locations.
    static let transport: Set<String> = ["SSH_AUTH_SOCK", "http_proxy", "https_proxy", "no_proxy", "all_proxy", "HTTP_PROXY",
                                         "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR"]

    /// `NAME=VALUE` entries: the allowed variables this process has (and `LC_*`), then `setting`,
    /// which wins over an inherited value of the same name. PATH is always present.
    static func build(allowing allowed: Set<String> = basic, setting: [(String, String)] = []) -> [String] {
        var result: [String] = []
        var index = 0
        let set = Set(setting.map(\.0))
        while let entry = environ[index] {
            index += 1
            let text = String(cString: entry)
            guard let equals = text.firstIndex(of: "=") else { continue }
            let name = String(text[..<equals])
            if (allowed.contains(name) || name.hasPrefix("LC_")) && !set.contains(name) { result.append(text) }
        }
        if !result.contains(where: { $0.hasPrefix("PATH=") }) && !set.contains("PATH") {
            result.append("PATH=/usr/local/bin:/usr/bin:/bin")
        }
        return result + setting.map { $0.0 + "=" + $0.1 }
    }

    /// The value of one variable of this process (getenv: building ProcessInfo's dictionary costs more).
    static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
