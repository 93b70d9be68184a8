import ArgumentParser
import Glibc
import Logging
import PlueKit
import PlueServer

/// `plue serve`: the HTTP API over this home, until SIGTERM or SIGINT.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the HTTP API of this home, and its repositories to git over HTTP.",
        discussion: """
            Listens on --listen (default 127.0.0.1:3000; port 0 takes a free one) and prints the URL \
            it serves once it listens. Each request is logged on standard error as one line: method, \
            path, status, duration, token id, peer address. SIGTERM or SIGINT stops it after the \
            requests in flight. It refuses to start when the home's secret file is missing, not a \
            plain file, or readable by other accounts. git clones, fetches and pushes over \
            http://HOST:PORT/OWNER/NAME.git with an API token as the password; --max-body-size \
            limits API bodies only, pushed packs stream to git up to --max-pack-size.
            """)

    @Option(help: ArgumentHelp("The address to listen on: HOST:PORT, [IPV6]:PORT or PORT.", valueName: "address"))
    var listen = "127.0.0.1:3000"
    @Option(help: ArgumentHelp("Refuse API request bodies larger than this many bytes (413).", valueName: "bytes"))
    var maxBodySize = 10 << 20
    @Option(help: ArgumentHelp("Refuse pushed packs larger than this many bytes (git over HTTP; git says why).", valueName: "bytes"))
    var maxPackSize = 2 << 30
    @Option(help: ArgumentHelp("Close a connection that sends nothing for this many seconds.", valueName: "seconds"))
    var idleTimeout: Int64 = 30
    @Option(name: .long, help: HomeOptions.help) var home: String?

    func run() throws {
        let (host, port) = try ServerSettings.listenAddress(listen)
        guard maxBodySize > 0 else { throw PlueError.invalidInput("--max-body-size must be a positive number of bytes") }
        guard maxPackSize > 0 else { throw PlueError.invalidInput("--max-pack-size must be a positive number of bytes") }
        guard idleTimeout > 0 else { throw PlueError.invalidInput("--idle-timeout must be a positive number of seconds") }
        let home = try Invocation(home: home, json: false).resolveHome()
        _ = try ServerSecret.read(home: home)
        let plue = try Plue.open(home: home, mode: .server)
        var logger = Logger(label: "plue.serve") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .info
        let settings = ServerSettings(host: host, port: port, maxBodyBytes: maxBodySize, maxPackBytes: maxPackSize,
                                      idleTimeoutSeconds: idleTimeout, version: PlueCommand.version)
        try PlueServer(plue: plue, settings: settings, logger: logger).run { url in
            // Written straight to the descriptor, so a parent reading a pipe sees it at once.
            let line = Array("plue serve: listening on \(url)\n".utf8)
            _ = line.withUnsafeBytes { Glibc.write(1, $0.baseAddress, $0.count) }
        }
    }
}
