import ArgumentParser
import Glibc
import PlueKit

/// `plue serve`: the HTTP API over this home, until SIGTERM or SIGINT. It checks what was typed
/// and the home, then becomes `plue-serve` (installed beside `plue`), the server itself.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the HTTP API of this home, and its repositories to git over HTTP.",
        discussion: """
            Listens on --listen (default 127.0.0.1:3000; port 0 takes a free one) and prints the URL \
            it serves once it listens. Each request is logged on standard error as one line: method, \
            path, status, duration, token id, peer address. It runs the landing queue of every \
            repository (every --land-interval seconds), starts the workflows \
            pushes match, and with --runner-account runs their jobs (see `plue runner`). SIGTERM or SIGINT stops it after the \
            requests in flight and the land under way. It refuses to start when the home's secret \
            file is missing, not a plain file, or readable by other accounts. git clones, fetches \
            and pushes over http://HOST:PORT/OWNER/NAME.git with an API token as the password; \
            --max-body-size limits API bodies only, pushed packs stream to git up to \
            --max-pack-size. The server is the program plue-serve, installed beside plue.
            """)

    @Option(help: ArgumentHelp("The address to listen on: HOST:PORT, [IPV6]:PORT or PORT.", valueName: "address"))
    var listen = "127.0.0.1:3000"
    @Option(help: ArgumentHelp("Refuse API request bodies larger than this many bytes (413).", valueName: "bytes"))
    var maxBodySize = 10 << 20
    @Option(help: ArgumentHelp("Refuse pushed packs larger than this many bytes (git over HTTP; git says why).", valueName: "bytes"))
    var maxPackSize = 2 << 30
    @Option(help: ArgumentHelp("Close a connection that sends nothing for this many seconds, or whose request body comes slower than 1 KiB a second after that long.", valueName: "seconds"))
    var idleTimeout: Int64 = 30
    @Option(help: ArgumentHelp("Seconds between passes of the landing queue, which the server runs.", valueName: "seconds"))
    var landInterval = 1.0
    @Option(help: ArgumentHelp("Refuse an address (429) after this many failed token authentications in a minute.", valueName: "count"))
    var maxFailedAuth = 20
    @Option(help: ArgumentHelp("Run at most this many git clones, fetches and pushes at once, a quarter of them for one address (503 past it).", valueName: "count"))
    var maxGitRequests = 16
    @Option(help: ArgumentHelp("Keep at most this many connections open at once, a quarter of them from one address; more are closed as they come.", valueName: "count"))
    var maxConnections = 512
    @Option(help: ArgumentHelp("Keep up to this many bytes of fetches' answers in memory for the next identical fetch (0: none).", valueName: "bytes"))
    var fetchCacheSize = 64 << 20
    @Option(help: ArgumentHelp("After SIGTERM or SIGINT, exit after this many seconds even if requests are still in flight.", valueName: "seconds"))
    var stopTimeout: Int64 = 60
    @Option(help: ArgumentHelp("Workflow jobs the server runs at once (0: none; jobs wait for `plue runner`).", valueName: "count"))
    var runners = 1
    @Option(help: ArgumentHelp("Run workflow steps as this unprivileged account (the server must be started as root). Without it or --runner-same-account the server runs no jobs.", valueName: "account"))
    var runnerAccount: String?
    @Flag(help: "Run workflow steps as the account that owns the home, for a one-person machine (with a warning).")
    var runnerSameAccount = false
    @Option(name: .long, help: HomeOptions.help) var home: String?

    func run() throws {
        let (host, port) = try ServerSettings.listenAddress(listen)
        guard maxBodySize > 0 else { throw PlueError.invalidInput("--max-body-size must be a positive number of bytes") }
        guard maxPackSize > 0 else { throw PlueError.invalidInput("--max-pack-size must be a positive number of bytes") }
        guard idleTimeout > 0 else { throw PlueError.invalidInput("--idle-timeout must be a positive number of seconds") }
        guard maxFailedAuth > 0 else { throw PlueError.invalidInput("--max-failed-auth must be a positive number") }
        guard stopTimeout > 0 else { throw PlueError.invalidInput("--stop-timeout must be a positive number of seconds") }
        guard maxGitRequests > 0 else { throw PlueError.invalidInput("--max-git-requests must be a positive number") }
        guard maxConnections > 0 else { throw PlueError.invalidInput("--max-connections must be a positive number") }
        guard fetchCacheSize >= 0 else { throw PlueError.invalidInput("--fetch-cache-size must be 0 or a positive number of bytes") }
        guard landInterval >= 0.05, landInterval <= 3600 else {
            throw PlueError.invalidInput("--land-interval must be between 0.05 and 3600 seconds")
        }
        guard (0...64).contains(runners) else { throw PlueError.invalidInput("--runners takes 0 to 64") }
        let home = try Invocation(home: home, json: false).resolveHome()
        _ = try ServerSecret.read(home: home)
        if runners > 0 && (runnerAccount != nil || runnerSameAccount) {
            // Checked here, where the error reads as any command's does.
            let (account, _) = try RunnerAccount.resolve(as: runnerAccount, sameAccount: runnerSameAccount, home: home)
            try account.checkSandbox()
        }
        // Opening it checks the database the server will use (damaged, newer, missing) here, where
        // the error is reported as every command's is.
        _ = try Invocation(home: home.root, json: false).open()
        let plue = FilePath.currentExecutable()
        let server = FilePath.directory(of: plue) + "/plue-serve"
        guard access(server, X_OK) == 0 else {
            throw PlueError.failed("the server program is missing beside plue (\(server))",
                                   hint: "install plue-serve with plue: scripts/build builds both into .build/release")
        }
        var settings = ServerSettings(host: host, port: port, maxBodyBytes: maxBodySize, maxPackBytes: maxPackSize,
                                      idleTimeoutSeconds: idleTimeout,
                                      landIntervalMilliseconds: Int64(landInterval * 1000), maxFailedAuthPerMinute: maxFailedAuth, maxGitRequests: maxGitRequests,
                                      stopTimeoutSeconds: stopTimeout,
                                      version: PlueCommand.version)
        settings.maxConnections = maxConnections
        settings.fetchCacheBytes = fetchCacheSize
        settings.runners = runners
        settings.runnerAccount = runnerAccount
        settings.runnerSameAccount = runnerSameAccount
        let line = ServeCommandLine(home: home.root, plue: plue, settings: settings)
        try ProcessReplacement.exec(server, arguments: [server] + line.arguments, environment: [:])
    }
}
