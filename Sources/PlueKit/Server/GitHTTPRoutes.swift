import Hummingbird
import Logging
import NIOCore
import PlueKit

/// git over smart HTTP: `GET /OWNER/NAME[.git]/info/refs?service=git-upload-pack` (or
/// git-receive-pack) and `POST /OWNER/NAME[.git]/git-upload-pack` (or git-receive-pack), as git's
/// own http-backend answers them. Who may do what is decided by `GitHTTPService`; this only reads
/// the request, asks, and streams git both ways (`GitStream`). Errors are plain text, which git
/// shows to its user as `remote: ...` lines.
struct GitHTTPRoutes {
    let plue: Plue
    let gate: Gate
    let settings: ServerSettings
    let logger: Logger
    let slots: GitRequestSlots
    let fetchCache: FetchCache

    func register(on router: Router<PlueRequestContext>) {
        router.get("/:owner/:repo/info/refs") { request, context in
            guard let name = request.uri.queryParameters["service"] else {
                return GitHTTPError.text(status: 403, "plue serves git over smart HTTP only, and this request has no ?service= "
                                         + "(the dumb protocol); use git 1.6.6 or later, without GIT_SMART_HTTP=0")
            }
            guard let service = GitHTTPService.Service(rawValue: String(name)) else {
                return GitHTTPError.text(status: 403, "unknown service: ?service= takes git-upload-pack or git-receive-pack")
            }
            return try await serve(request, context, service: service, advertisement: true)
        }
        router.post("/:owner/:repo/git-upload-pack") { request, context in
            try await serve(request, context, service: .uploadPack, advertisement: false)
        }
        router.post("/:owner/:repo/git-receive-pack") { request, context in
            try await serve(request, context, service: .receivePack, advertisement: false)
        }
    }

    private func serve(_ request: Request, _ context: PlueRequestContext, service: GitHTTPService.Service,
                       advertisement: Bool) async throws -> Response {
        do {
            let gzip = advertisement ? false : try Self.checkBody(request, service: service)
            let token = try await gate.authenticate(request, context)
            let principal: Principal = token.map { .user($0.user) } ?? .anonymous
            let asked = GitHTTPService.Request(
                repository: try context.repositoryName(), service: service, advertisement: advertisement,
                gitProtocol: request.headers[Self.gitProtocol], maxPackBytes: settings.maxPackBytes,
                route: "\(request.method.rawValue) \(context.endpointPath ?? request.uri.path)", remoteAddress: context.remoteAddress)
            let plue = plue
            let plan = try await blocking { try plue.gitHTTP.plan(asked, as: principal, token: token) }
            // A slot before anything else is read or computed: the fetch cache's key reads every
            // ref, and a kept answer held by a slow reader is memory, as a running git is.
            guard let slot = slots.take(for: context.remoteAddress) else {
                var busy = GitHTTPError.text(status: 503, "the server runs as many git requests as it takes now (\(slots.total) in all, "
                                             + "\(slots.perAddress) from one address); try again in a few seconds")
                busy.headers[.retryAfter] = "5"
                return busy
            }
            var input = advertisement ? nil : request.body
            var fetch: Fetch?
            if service == .uploadPack, !advertisement, fetchCache.capacity > 0, let small = try await Self.smallBody(request) {
                input = RequestBody(buffer: small)
                let raw = Array(small.readableBytesView)
                let read = gzip ? await GzipDecoder.inflated(small, limit: 1 << 20) : raw
                if let wants = read.flatMap(GitFetchRequest.wants(in:)),
                   let key = try await blocking({ try plan.fetchAnswerKey(request: raw, gzip: gzip, wants: wants) }), key.servable {
                    if let answer = fetchCache.answer(for: key.digest) { return Self.answer(answer, service: service, slot: slot) }
                    fetch = Fetch(key: key, request: raw, wants: wants)
                }
            }
            var stream = GitStream(plan: plan, preamble: advertisement && plan.announcesService ? Self.serviceLine(service) : nil,
                                   input: input, gzip: gzip, inputLimit: Self.inputLimit(settings, service: service), logger: logger)
            stream.keepUpTo = fetch == nil ? 0 : fetchCache.maxAnswerBytes
            let cache = fetchCache
            return Response(status: .ok, headers: Self.headers(service: service, advertisement: advertisement), body: ResponseBody { [stream, fetch] writer in
                defer { slot.release() }
                guard let answer = try await stream.run(&writer), let fetch else { return }
                // Kept only when the refs are as they were before git answered (see FetchAnswerKey).
                let again = try? await blocking { try plan.fetchAnswerKey(request: fetch.request, gzip: gzip, wants: fetch.wants) }
                if again == fetch.key { cache.keep(answer, for: fetch.key.digest) }
            })
        } catch {
            return try GitHTTPError.response(for: error)
        }
    }

    /// The body of a POST that says it is at most `FetchCache.maxRequestBytes` long (git sends
    /// Content-Length for a small request, chunks a large one), read whole; nil for any other.
    static func smallBody(_ request: Request) async throws -> ByteBuffer? {
        guard let length = request.headers[.contentLength].flatMap({ Int($0) }), (0...FetchCache.maxRequestBytes).contains(length) else {
            return nil
        }
        return try await request.body.collect(upTo: FetchCache.maxRequestBytes)
    }

    /// A fetch whose answer may be kept: its key, its bytes as sent, and the ids it wants.
    struct Fetch: Sendable {
        let key: FetchAnswerKey
        let request: [UInt8]
        let wants: [String]
    }

    /// A kept answer, sent as git sent it, in pieces of at most 1 MiB, holding `slot` until sent.
    static func answer(_ answer: ByteBuffer, service: GitHTTPService.Service, slot: GitRequestSlots.Slot) -> Response {
        Response(status: .ok, headers: headers(service: service, advertisement: false), body: ResponseBody { writer in
            defer { slot.release() }
            var rest = answer
            while let piece = rest.readSlice(length: min(rest.readableBytes, 1 << 20)), piece.readableBytes > 0 {
                try await writer.write(piece)
            }
            try await writer.finish(nil)
        })
    }

    static func headers(service: GitHTTPService.Service, advertisement: Bool) -> HTTPFields {
        var headers = noCache
        headers[.contentType] = "application/x-\(service.rawValue)-\(advertisement ? "advertisement" : "result")"
        return headers
    }

    /// The most bytes a git request may feed git, inflated. A push: the pack limit, which git
    /// enforces on the pack itself with its own message, plus room for the ref updates before it.
    /// A fetch: its wants and haves, 16 MiB (hundreds of thousands of lines; git's own
    /// http-backend buffers 10 MB), so that a small gzip body cannot keep git busy for a minute
    /// with gigabytes of `have` lines.
    static func inputLimit(_ settings: ServerSettings, service: GitHTTPService.Service) -> Int {
        if service == .uploadPack { return fetchInputLimit }
        return settings.maxPackBytes.addingReportingOverflow(16 << 20).overflow ? Int.max : settings.maxPackBytes + (16 << 20)
    }

    static let fetchInputLimit = 16 << 20

    // HTTPField itself is not among what Hummingbird exports; HTTPFields is.
    static let gitProtocol = HTTPFields.Element.Name("Git-Protocol")!

    /// Whether the body is gzip-encoded; 415 for a content type or an encoding git never sends.
    static func checkBody(_ request: Request, service: GitHTTPService.Service) throws -> Bool {
        let expected = "application/x-\(service.rawValue)-request"
        let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard type == expected else {
            throw HTTPError(.unsupportedMediaType, message: "a \(service.rawValue) request must have Content-Type: \(expected)")
        }
        switch request.headers[.contentEncoding]?.trimmingCharacters(in: .whitespaces).lowercased() {
        case nil, "identity": return false
        case "gzip", "x-gzip": return true
        default: throw HTTPError(.unsupportedMediaType, message: "a git request body may only be gzip-encoded")
        }
    }

    /// `001e# service=git-upload-pack\n0000`: the pkt-line git expects before the refs in
    /// protocol versions 0 and 1.
    static func serviceLine(_ service: GitHTTPService.Service) -> ByteBuffer {
        let line = "# service=\(service.rawValue)\n"
        let length = String(line.utf8.count + 4, radix: 16)
        return ByteBuffer(string: String(repeating: "0", count: 4 - length.count) + length + line + "0000")
    }

    /// What git's http-backend sends, so no proxy keeps a copy of refs that move.
    static let noCache: HTTPFields = [
        .expires: "Fri, 01 Jan 1980 00:00:00 GMT",
        HTTPFields.Element.Name("Pragma")!: "no-cache",
        .cacheControl: "no-cache, max-age=0, must-revalidate",
    ]
}

/// Errors of git over HTTP as plain text: git prints a text/plain body to its user, line by line,
/// after `remote: `, and would print nothing of a JSON one.
enum GitHTTPError {
    static func response(for error: any Error) throws -> Response {
        switch error {
        case let error as PlueError where error.code == .unauthenticated:
            // One answer for every 401, whatever its cause, with the challenge that makes git ask
            // for a password (the token).
            var response = text(status: 401, GitHTTPService.credentialsNeeded.message)
            response.headers[.wwwAuthenticate] = TokenCredential.basicChallenge
            return response
        case let error as PlueError:
            return text(status: error.code.httpStatus, error.message)
        case let error as HTTPError:
            var response = text(status: Int(error.status.code), error.body ?? error.status.reasonPhrase)
            for field in error.headers { response.headers.append(field) }
            return response
        default:
            // A bug: the log middleware writes it down and answers 500.
            throw error
        }
    }

    static func text(status: Int, _ message: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}
