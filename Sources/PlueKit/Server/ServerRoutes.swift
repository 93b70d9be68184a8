import Hummingbird
import PlueKit

/// The server itself: health, version, metrics and the API's own description. No token is read.
struct ServerRoutes {
    let plue: Plue
    let settings: ServerSettings
    let metrics: Metrics

    var routes: [APIRoute] {
        let plue = plue, settings = settings, metrics = metrics
        return [
            .open(.get, "/healthz") { _, _ in
                JSONResponse.make(.object([("status", .string("ok"))]))
            },
            .open(.get, "/api/v1/version") { _, _ in
                JSONResponse.make(.object([("version", .string(settings.version))]))
            },
            .open(.get, "/metrics") { _, _ in
                let counts = try await blocking { try plue.counts() }
                return Self.text(metrics.render(counts: counts), type: "text/plain; version=0.0.4; charset=utf-8")
            },
            .open(.get, "/api/v1/openapi.yaml") { _, _ in
                Self.text(OpenAPIDocument.text, type: "application/yaml; charset=utf-8")
            },
        ]
    }

    private static func text(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
