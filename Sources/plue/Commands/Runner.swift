import ArgumentParser
import Dispatch
import Foundation
import PlueKit

/// `--as ACCOUNT | --same-account`: who runs workflow steps.
struct RunnerAccountOptions: ParsableArguments {
    @Option(name: .customLong("as"), help: ArgumentHelp(
        "Run steps as this unprivileged account (the runner must be started as root).", valueName: "account"))
    var account: String?
    @Flag(help: "Run steps as the account that owns the home, for a one-person machine (with a warning).")
    var sameAccount = false

    func resolve(_ home: PlueHome) throws -> RunnerAccount {
        let (account, warnings) = try RunnerAccount.resolve(as: account, sameAccount: sameAccount, home: home)
        for warning in warnings { FileHandle.standardError.write(Data((warning + "\n").utf8)) }
        try account.checkSandbox()
        return account
    }
}

extension PlueCommand {
    struct Runner: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "runner",
            abstract: "Run workflow jobs from the home's queue.",
            discussion: """
                Turns push events into queued workflow runs (as `plue serve` does), then claims jobs with a lease \
                it renews every second and runs each in a fresh checkout of its commit under HOME/jobs, step by \
                step under `sh -e`. Steps run as --as ACCOUNT in their own mount and process namespaces: they \
                see their job's folder as /tmp, not the home, and are killed with everything they started at the \
                job's timeout or when the run is cancelled. A runner killed mid-job loses its lease; the job is \
                claimed again (or failed after 3 tries). SIGTERM or SIGINT hands running jobs back to the queue. \
                It prints a line per job started and ended; with --json, one JSON object ({time, event}) a line.
                """)
        @OptionGroup var account: RunnerAccountOptions
        @Option(help: "How many jobs to run at once, 1 to 64.") var concurrency = 1
        @Flag(help: "Exit once no job is queued, instead of waiting for more.") var once = false
        @Option(help: ArgumentHelp("Seconds a claimed job stays this runner's without a renewal; a killed runner's jobs wait this long.",
                                   valueName: "seconds"))
        var lease: Double = 30
        @OptionGroup var options: ReportOptions

        func run() throws {
            guard (1...64).contains(concurrency) else { throw PlueError.usage("--concurrency takes 1 to 64") }
            guard lease >= 2 && lease <= 3600 else { throw PlueError.usage("--lease takes 2 to 3600 seconds") }
            let plue = try options.invocation.openServer()
            let runnerAccount = try account.resolve(plue.home)
            let stop = RunnerStop()
            let sources = RunnerSignals.stopOnSignals(stop)
            defer { withExtendedLifetime(sources) {} }
            let json = options.json
            RunnerPool(plue: plue, account: runnerAccount, concurrency: concurrency, leaseSeconds: lease, stop: stop)
                .run(once: once) { line in
                    RunnerSignals.print(json ? JSON.object([("time", .string(Timestamp.iso8601(Date()))), ("event", .string(line))]).rendered()
                                             : "\(Timestamp.iso8601(Date())) \(TerminalText.line(line))")
                }
        }
    }
}

enum RunnerSignals {
    private static let output = NSLock()

    /// SIGTERM and SIGINT set `stop` (the threads see it within a tick) instead of ending the process.
    static func stopOnSignals(_ stop: RunnerStop) -> [DispatchSourceSignal] {
        [SIGTERM, SIGINT].map { signalNumber in
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, signalNumber)
            sigprocmask(SIG_UNBLOCK, &set, nil)
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { stop.stop() }
            source.resume()
            return source
        }
    }

    static func print(_ line: String) {
        output.withLock {
            Swift.print(line)
            fflush(nil)
        }
    }
}
