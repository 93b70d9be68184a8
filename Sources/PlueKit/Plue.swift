import Foundation

/// The composition root: one home's database and repositories, and the services over them.
/// The CLI builds one per command; the HTTP server one per process. A class: the server hands it to
/// every request, and a copy of a struct of fourteen services retained each of their references.
public final class Plue: Sendable {
    public let home: PlueHome
    public let users: UserService
    public let repositories: RepositoryService
    public let pushes: PushService
    public let access: AccessService
    public let keys: KeyService
    public let sshAuthorizer: SSHAuthorizer
    public let sshSessions: SSHSessionService
    public let gitHTTP: GitHTTPService
    public let sessions: SessionService
    public let landing: LandingService
    public let agents: AgentService
    public let tokens: TokenService
    public let audit: AuditLog
    public let workflows: WorkflowService

    /// Opens an existing home. `executable` is the `plue` binary that repository hooks call back into.
    /// `readOnly` opens the database without write access (sshd's key lookup); `mode` is `.server`
    /// for a long-lived process that serves many requests at once.
    public static func open(home: PlueHome, executable: String = FilePath.currentExecutable(), readOnly: Bool = false,
                            mode: AppDatabase.Mode = .command) throws -> Plue {
        try checkDatabaseFile(of: home)
        guard home.isInitialized else {
            throw PlueError.notFound("no Plue home at \(home.root)", hint: "create one with `plue init --home \(home.root)`")
        }
        let database = try AppDatabase.open(path: home.databasePath, create: false, readOnly: readOnly, mode: mode)
        return Plue(home: home, database: database, executable: executable)
    }

    /// A home whose database is gone, empty or not a file while repositories remain is damaged, not
    /// new: taking it for an empty forge would hand its names to whoever asks first.
    static func checkDatabaseFile(of home: PlueHome) throws {
        let restore = "restore plue.db from a backup of this home (copy it to \(home.databasePath) while no plue runs)"
        var status = stat()
        guard lstat(home.databasePath, &status) == 0 else {
            if errno == EACCES {
                throw PlueError(.permissionDenied, "this account may not read the home at \(home.root); run plue as the account that owns the home")
            }
            if home.holdsRepositories {
                throw PlueError(.damaged, "the home at \(home.root) holds repositories but its database is missing; \(restore)")
            }
            return
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw PlueError(.damaged, "\(home.databasePath) is not a regular file, so the home is damaged; \(restore)")
        }
        guard status.st_size > 0 else {
            throw PlueError(.damaged, "\(home.databasePath) is empty, so the home is damaged; \(restore)")
        }
    }

    init(home: PlueHome, database: AppDatabase, executable: String) {
        self.home = home
        let hooks = HookInstaller(executable: executable, home: home)
        let authorizer = Authorizer(home: home, database: database)
        users = UserService(database: database, authorizer: authorizer)
        repositories = RepositoryService(home: home, database: database, hooks: hooks, authorizer: authorizer)
        access = AccessService(database: database, repositories: repositories, authorizer: authorizer)
        pushes = PushService(database: database, repositories: repositories, authorizer: authorizer, warnings: WarningSink())
        keys = KeyService(database: database, repositories: repositories, authorizer: authorizer)
        let log = SSHLog(path: home.sshLogPath)
        sshAuthorizer = SSHAuthorizer(home: home, database: database, executable: executable, log: log)
        sshSessions = SSHSessionService(database: database, repositories: repositories, authorizer: authorizer, log: log)
        sessions = SessionService(home: home, database: database, repositories: repositories, authorizer: authorizer)
        workflows = WorkflowService(home: home, database: database, repositories: repositories, authorizer: authorizer,
                                    warnings: WarningSink())
        landing = LandingService(home: home, database: database, repositories: repositories, sessions: sessions,
                                 workflows: workflows, authorizer: authorizer, warnings: WarningSink())
        agents = AgentService(database: database)
        audit = AuditLog(database: database, authorizer: authorizer)
        tokens = TokenService(database: database, repositories: repositories, sessions: sessions, audit: audit, authorizer: authorizer)
        gitHTTP = GitHTTPService(authorizer: authorizer, tokens: tokens)
    }

    /// A runner of this home's job queue, worker `index` of this process.
    public func runner(account: RunnerAccount, index: Int, leaseSeconds: Double, stop: RunnerStop) -> WorkflowRunner {
        // Descriptors this process was started with (a shell's, a service manager's) would pass
        // on to every step; plue's own are opened close-on-exec.
        ChildProcess.closeInheritedOnExec()
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count - 1)
        let name = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return WorkflowRunner(home: home, database: workflows.database, repositories: repositories, account: account,
                              id: "\(name):\(getpid()):\(index)", leaseSeconds: leaseSeconds, stop: stop)
    }
}
