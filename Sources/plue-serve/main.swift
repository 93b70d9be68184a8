import Glibc
import Logging
import PlueKit
import PlueServer

// `plue-serve`: the HTTP server, started by `plue serve` with a line only plue writes
// (ServeCommandLine). Run by hand with anything else, it says so and exits 64.
let arguments = Array(CommandLine.arguments.dropFirst())
guard let line = ServeCommandLine(arguments) else {
    let text = Array("plue-serve is started by `plue serve`; run `plue serve --help` to see its options\n".utf8)
    _ = text.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(64)
}
do {
    let home = PlueHome(root: line.home)
    _ = try ServerSecret.read(home: home)
    let plue = try Plue.open(home: home, executable: line.plue, mode: .server)
    var logger = Logger(label: "plue.serve") { ServerLogHandler(label: $0) }
    logger.logLevel = .info
    try PlueServer(plue: plue, settings: line.settings, logger: logger).run { url in
        // Written straight to the descriptor, so a parent reading a pipe sees it at once.
        let text = Array("plue serve: listening on \(url)\n".utf8)
        _ = text.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
    }
} catch let error as PlueError {
    let text = Array("error: \(TerminalText.safe(error.messageWithHint))\n".utf8)
    _ = text.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(error.code.exitCode)
} catch {
    let text = Array("error: plue serve stopped: \(error)\n".utf8)
    _ = text.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(70)
}
