import Glibc
import Hummingbird

// One route, GET / answering a short string, served as plue-serve serves (HTTP/1.1, the same idle
// timeout, NIO's shared event loops, stopped by SIGTERM or SIGINT). Usage: bench-floor PORT; port 0
// takes a free one. Prints the URL it serves once it listens, as plue serve does.
guard CommandLine.arguments.count == 2, let port = Int(CommandLine.arguments[1]) else {
    print("usage: bench-floor PORT")
    exit(64)
}
let router = Router()
router.get("/") { _, _ in "floor\n" }
let app = Application(
    router: router,
    server: .http1(configuration: .init(idleTimeout: .seconds(30))),
    configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "bench-floor"),
    onServerRunning: { channel in
        // Written straight to the descriptor, as plue-serve does, so a pipe sees it at once.
        let text = Array("bench-floor: listening on http://127.0.0.1:\(channel.localAddress?.port ?? 0)\n".utf8)
        _ = text.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
    }
)
try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
