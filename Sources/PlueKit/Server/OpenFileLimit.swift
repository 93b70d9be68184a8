import Glibc
import Logging
import PlueKit

/// The server's open-file limit. Many systems start a process with a soft limit of 1,024
/// descriptors and a far higher hard one; every connection, every git request's pipes and the
/// database's files take descriptors from it. The server raises its soft limit to the hard one, as
/// Go programs and nginx do, and says at start when even that is below what its caps may use.
enum OpenFileLimit {
    /// Descriptors the server may hold with every cap reached: one a connection, eight a git request
    /// (its socket and three pipes, both ends while git starts), and a reserve for the database,
    /// the log and the runners.
    static func needed(for settings: ServerSettings) -> Int {
        settings.maxConnections + 8 * settings.maxGitRequests + 256
    }

    static func raise(toServe settings: ServerSettings, logger: Logger) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        let needed = needed(for: settings)
        if limit.rlim_cur != rlim_t.max && limit.rlim_cur < rlim_t(needed) {
            logger.warning("""
                the open-file limit is \(limit.rlim_cur), below the \(needed) that --max-connections \(settings.maxConnections) and \
                --max-git-requests \(settings.maxGitRequests) may use: raise it (ulimit -n, or LimitNOFILE= in a systemd unit) \
                or lower --max-connections
                """)
        }
    }
}
