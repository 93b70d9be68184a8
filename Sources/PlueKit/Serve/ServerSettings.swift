/// What `plue serve` was told: where to listen and its limits.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// API request bodies above this many bytes are refused with 413.
    public var maxBodyBytes: Int
    /// The most a git request may carry (a pushed pack), after inflating: git refuses a larger
    /// pack itself (`receive.maxInputSize`), and the server stops feeding any git past it.
    public var maxPackBytes: Int
    /// A connection that sends or reads nothing for this long is closed, so a slow client cannot
    /// hold one forever.
    public var idleTimeoutSeconds: Int64
    /// A request body must come at least this fast, after a grace of `idleTimeoutSeconds`: a
    /// client sending a byte now and then cannot hold a connection either (see SlowBodyGuard).
    public static let minimumBodyBytesPerSecond: Int64 = 1024
    public var version: String
    /// Failed token authentications one address may make in a minute before it gets 429.
    public var maxFailedAuthPerMinute: Int
    /// git processes (clones, fetches, pushes) run at once; a quarter of them for one address.
    public var maxGitRequests: Int
    /// Connections open at once; a quarter of them from one address. More are closed as they come
    /// (each open connection holds a file descriptor until the idle timeout).
    public var maxConnections = 512
    /// After SIGTERM or SIGINT, how long requests in flight may go on before the server exits
    /// anyway: a client sending or reading just fast enough could hold its stop off for ever.
    public var stopTimeoutSeconds: Int64
    /// How long the landing queue waits between passes.
    public var landIntervalMilliseconds: Int64
    /// Bytes of fetches' answers kept in memory for the next identical fetch (`FetchCache`); 0
    /// keeps none.
    public var fetchCacheBytes = 64 << 20
    /// Workflow jobs run at once by the server's runners; they run only with an account for steps.
    public var runners = 1
    /// `--runner-account`: the unprivileged account steps run as.
    public var runnerAccount: String?
    /// `--runner-same-account`: steps run as the account that owns the home.
    public var runnerSameAccount = false

    public init(host: String, port: Int, maxBodyBytes: Int = 10 << 20, maxPackBytes: Int = 2 << 30, idleTimeoutSeconds: Int64 = 30,
                landIntervalMilliseconds: Int64 = 1000, maxFailedAuthPerMinute: Int = 20, maxGitRequests: Int = 16,
                stopTimeoutSeconds: Int64 = 60, version: String) {
        self.maxGitRequests = maxGitRequests
        self.stopTimeoutSeconds = stopTimeoutSeconds
        self.maxFailedAuthPerMinute = maxFailedAuthPerMinute
        self.landIntervalMilliseconds = landIntervalMilliseconds
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.maxPackBytes = maxPackBytes
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.version = version
    }

    /// Reads `HOST:PORT`, `[IPV6]:PORT` or a bare `PORT` (on 127.0.0.1). Port 0 takes any free port.
    public static func listenAddress(_ text: String) throws -> (host: String, port: Int) {
        let invalid = PlueError.invalidInput(
            "'\(TerminalText.line(text))' is not an address to listen on; give HOST:PORT such as 127.0.0.1:3000 or [::1]:3000")
        var host = "127.0.0.1"
        var portText = text
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { throw invalid }
            host = String(text[text.index(after: text.startIndex)..<close])
            portText = String(text[text.index(close, offsetBy: 2)...])
        } else if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = String(text[text.index(after: colon)...])
        }
        guard !host.isEmpty, !Validation.hasControlCharacters(host), !host.contains(" "),
              let port = Int(portText), (0...65_535).contains(port), portText.allSatisfy(\.isASCII) else { throw invalid }
        return (host, port)
    }
}
