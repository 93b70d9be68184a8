/// The OpenAPI 3.1 document of every route, parameter, response and error: `openapi.yaml` beside
/// this file, written by hand and compiled into the binary by SwiftPM (`embedInCode`), so the
/// static release binary serves it with no file to install. `OpenAPIDocumentTests` holds it
/// against the route table (`Routes`), each route with its scope.
enum OpenAPIDocument {
    static let text = String(decoding: PackageResources.openapi_yaml, as: UTF8.self)
}
