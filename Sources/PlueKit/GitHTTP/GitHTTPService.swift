/// Git over smart HTTP, behind `plue serve`: decides, from who asks (an account through its token,
/// or no one) and what git asked for, whether git may serve it and with which command. The server
/// only streams the bytes, as `ssh-serve` only runs what `SSHSessionService` planned.
///
/// The answers git needs: anyone without a token who is refused gets `credentialsNeeded` (HTTP 401,
/// so git asks for a password), the same whether the repository is private, missing or only not
/// writable by them, so nothing tells those apart; an account that may not see the repository gets
/// "not found", as over SSH and the API; one that may see it but not push gets "permission
/// denied"; a token without `read:repository` (fetch) or `write:repository` (push), or limited to
/// another repository or to a session, gets `insufficient_scope` and an audit event.
public struct GitHTTPService: Sendable {
    let authorizer: Authorizer
    let tokens: TokenService

    /// The two services of smart HTTP, named as git names them in URLs.
    public enum Service: String, Sendable, CaseIterable {
        case uploadPack = "git-upload-pack"
        case receivePack = "git-receive-pack"

        /// Fetching reads; pushing writes.
        var permission: Permission { self == .uploadPack ? .read : .write }
        /// The scope a token needs for it.
        public var scope: TokenScope { self == .uploadPack ? .readRepository : .writeRepository }
        var command: String { self == .uploadPack ? "upload-pack" : "receive-pack" }
    }

    /// One request of git's.
    public struct Request: Sendable {
        /// `OWNER/NAME` as the URL has it, with or without `.git`.
        public var repository: String
        public var service: Service
        /// `GET info/refs` (the refs and capabilities) rather than a `POST` of the service.
        public var advertisement: Bool
        /// The client's `Git-Protocol` header.
        public var gitProtocol: String?
        /// The largest pack a push may send, handed to git (`receive.maxInputSize`); nil for none.
        public var maxPackBytes: Int?
        /// The method and route pattern, and the client's address, for the audit log.
        public var route: String
        public var remoteAddress: String

        public init(repository: String, service: Service, advertisement: Bool, gitProtocol: String?, maxPackBytes: Int?,
                    route: String, remoteAddress: String) {
            (self.repository, self.service, self.advertisement, self.gitProtocol, self.maxPackBytes, self.route, self.remoteAddress) =
                (repository, service, advertisement, gitProtocol, maxPackBytes, route, remoteAddress)
        }
    }

    /// What to run for an allowed request.
    public struct Plan: Sendable, Equatable {
        /// `OWNER/NAME` as stored.
        public let repository: String
        public let service: Service
        /// Whether the advertisement starts with git's `# service=...` line: always, except for a
        /// fetch in protocol version 2, where git's own output is the whole answer.
        public let announcesService: Bool
        public let executable: String
        public let arguments: [String]
        public let environment: [String: String]
        /// The repository's directory, and the `Git-Protocol` git is given: what, with the
        /// request's bytes and the refs, a fetch's answer depends on (`FetchAnswerKey`).
        let path: String
        let gitProtocol: String?

        /// Starts git with the allow-listed environment plus the plan's, its three standard
        /// streams left to the caller.
        public func start() throws -> StreamingChild {
            let setting = environment.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            return try ChildProcess.start(executable, arguments, environment: ChildEnvironment.build(setting: setting))
        }
    }

    /// The one answer to anyone without a valid token who needs one: the same for a private, a
    /// missing and a read-only repository, and for a token that is unknown, revoked or expired.
    public static let credentialsNeeded = PlueError(
        .unauthenticated, "authentication required: give git an API token as the password (any user name); "
            + "create one with `plue token create USER --name NAME --scope write:repository`")

    /// The plan for `request` from `principal` (`.user` of `token`, or `.anonymous` without one),
    /// or the refusal to answer with.
    public func plan(_ request: Request, as principal: Principal, token: AuthenticatedToken?) throws -> Plan {
        let (owner, name) = try Validation.fullName(request.repository)
        let needed = request.service.permission
        let repository: Repository
        switch try authorizer.decide(owner: owner, name: name, as: principal, needs: needed) {
        case .missing, .hidden:
            if principal == .anonymous { throw Self.credentialsNeeded }
            throw Authorizer.noRepository(owner: owner, name: name, for: principal)
        case .denied(let refused, let permission):
            if principal == .anonymous { throw Self.credentialsNeeded }
            throw Authorizer.denied(principal, has: permission, needs: needed, on: refused.fullName)
        case .allowed(let allowed, _):
            repository = allowed
        }
        if let token {
            try tokens.authorize(token, needs: request.service.scope, repository: repository, route: request.route,
                                 remoteAddress: request.remoteAddress)
        }
        var arguments = GitTransport.hiddenRefArguments
        if request.service == .receivePack, let limit = request.maxPackBytes {
            // git refuses a larger pack itself, tells the client, and removes what it received.
            arguments += ["-c", "receive.maxInputSize=\(limit)"]
        }
        arguments += [request.service.command, "--stateless-rpc"] + (request.advertisement ? ["--advertise-refs"] : []) + [repository.path]
        let version2 = request.service == .uploadPack && GitTransport.wantsVersion2(request.gitProtocol)
        let environment = GitTransport.environment(for: principal, gitProtocol: request.gitProtocol)
        return Plan(repository: repository.fullName, service: request.service, announcesService: !version2,
                    executable: try GitCommandLine.executable(), arguments: arguments, environment: environment,
                    path: repository.path, gitProtocol: environment["GIT_PROTOCOL"])
    }
}
