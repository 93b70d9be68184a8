/// The command line `plue serve` starts `plue-serve` with. The server is a program of its own so
/// that its HTTP stack (SwiftNIO, Hummingbird) does not weigh on every other command: each `plue`
/// process, one per SSH login and per push, would otherwise pay for its larger binary at start.
/// `plue serve` parses and checks the options a person types (with ArgumentParser, as every
/// command); this line is written by plue alone, so `plue-serve` reads it in one fixed order, as
/// the hooks' and sshd's lines are read.
public struct ServeCommandLine: Sendable {
    public let home: String
    /// The `plue` binary that repository hooks call back into.
    public let plue: String
    public let settings: ServerSettings

    public init(home: String, plue: String, settings: ServerSettings) {
        self.home = home
        self.plue = plue
        self.settings = settings
    }

    public var arguments: [String] {
        let host = settings.host.contains(":") ? "[\(settings.host)]" : settings.host
        return ["--home", home, "--plue", plue, "--listen", "\(host):\(settings.port)",
                "--max-body-size", String(settings.maxBodyBytes), "--max-pack-size", String(settings.maxPackBytes),
                "--idle-timeout", String(settings.idleTimeoutSeconds),
                "--land-interval-ms", String(settings.landIntervalMilliseconds),
                "--max-failed-auth", String(settings.maxFailedAuthPerMinute), "--max-git-requests", String(settings.maxGitRequests),
                "--max-connections", String(settings.maxConnections), "--fetch-cache-size", String(settings.fetchCacheBytes),
                "--stop-timeout", String(settings.stopTimeoutSeconds), "--runners", String(settings.runners),
                "--runner-account", settings.runnerAccount.map { "=" + $0 } ?? "-", "--runner-same-account", settings.runnerSameAccount ? "1" : "0",
                "--version", settings.version]
    }

    /// Reads what `arguments` wrote; nil for anything else.
    public init?(_ arguments: [String]) {
        let names = ["--home", "--plue", "--listen", "--max-body-size", "--max-pack-size", "--idle-timeout", "--land-interval-ms", "--max-failed-auth",
                     "--max-git-requests", "--max-connections", "--fetch-cache-size", "--stop-timeout", "--runners", "--runner-account", "--runner-same-account", "--version"]
        guard arguments.count == 2 * names.count else { return nil }
        var values: [String] = []
        for (index, name) in names.enumerated() {
            guard arguments[2 * index] == name else { return nil }
            values.append(arguments[2 * index + 1])
        }
        guard let (host, port) = try? ServerSettings.listenAddress(values[2]),
              let maxBody = Int(values[3]), maxBody > 0, let maxPack = Int(values[4]), maxPack > 0,
              let idle = Int64(values[5]), idle > 0, let interval = Int64(values[6]), interval > 0,
              let failures = Int(values[7]), failures > 0, let gitRequests = Int(values[8]), gitRequests > 0,
              let connections = Int(values[9]), connections > 0, let fetchCache = Int(values[10]), fetchCache >= 0,
              let stop = Int64(values[11]), stop > 0, let runners = Int(values[12]), (0...64).contains(runners),
              values[13] == "-" || values[13].hasPrefix("="), values[14] == "0" || values[14] == "1",
              values[0].hasPrefix("/"), values[1].hasPrefix("/")
        else { return nil }
        self.home = values[0]
        self.plue = values[1]
        var settings = ServerSettings(host: host, port: port, maxBodyBytes: maxBody, maxPackBytes: maxPack, idleTimeoutSeconds: idle,
                                           landIntervalMilliseconds: interval, maxFailedAuthPerMinute: failures,
                                           maxGitRequests: gitRequests, stopTimeoutSeconds: stop, version: values[15])
        settings.maxConnections = connections
        settings.fetchCacheBytes = fetchCache
        settings.runners = runners
        settings.runnerAccount = values[13] == "-" ? nil : String(values[13].dropFirst())
        settings.runnerSameAccount = values[14] == "1"
        self.settings = settings
    }
}
