import Foundation
import Logging
import PlueKit
@testable import PlueServer
import PlueTestSupport
import Testing

/// The OpenAPI document the server serves, held against the routes it registers: every route is
/// in the document with the scope its table declares, and the document has no other.
@Suite struct OpenAPIDocumentTests {
    let directory = TemporaryDirectory("plue-openapi")

    func server() throws -> PlueServer {
        let home = PlueHome(root: directory.child("home"))
        _ = try HomeInitializer.initialize(home)
        let plue = try Plue.open(home: home, executable: "/bin/false", mode: .server)
        return PlueServer(plue: plue, settings: ServerSettings(host: "127.0.0.1", port: 0, version: "test"),
                          logger: Logger(label: "test"))
    }

    func table(_ server: PlueServer) -> [APIRoute] {
        Routes(plue: server.plue, settings: server.settings, metrics: Metrics(), logger: server.logger, slots: GitRequestSlots(total: 1)).table
    }

    @Test func theRouterRegistersExactlyTheTable() throws {
        let server = try server()
        let all = server.makeRouter().routes.map { "\($0.method.rawValue) \($0.path.description)" }
        // git's smart HTTP is git's protocol, not the API's: three routes, outside the table.
        let git = all.filter { $0.hasSuffix("/info/refs") || $0.hasSuffix("/git-upload-pack") || $0.hasSuffix("/git-receive-pack") }
        #expect(git.count == 3, "\(git)")
        let registered = all.filter { !git.contains($0) }
        let declared = table(server).map { "\($0.method.rawValue) \($0.routerPath)" }
        #expect(registered.count == Set(registered).count, "a route is registered twice: \(registered)")
        #expect(declared.count == Set(declared).count, "a route is declared twice: \(declared)")
        #expect(Set(registered) == Set(declared),
                "registered only: \(Set(registered).subtracting(declared)); declared only: \(Set(declared).subtracting(registered))")
    }

    @Test func theDocumentHasEveryRouteWithItsScopeAndNoOther() throws {
        let documented = Set(DocumentedOperation.parse(OpenAPIDocument.text))
        let declared = Set(try table(server()).map { route -> DocumentedOperation in
            let security: DocumentedOperation.Security = switch route.access {
            case .open: .open
            case .token(let scope): .token(scope.rawValue, anonymous: false)
            case .tokenOrAnonymous(let scope): .token(scope.rawValue, anonymous: true)
            }
            return DocumentedOperation(method: route.method.rawValue, path: route.path, security: security)
        })
        #expect(documented.count >= 30)
        #expect(documented == declared, "only in the document: \(documented.subtracting(declared)); only in the table: \(declared.subtracting(documented))")
    }

    @Test func everyReferenceInTheDocumentNamesAComponentItHas() throws {
        let lines = OpenAPIDocument.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Components are `components:`, then two spaces and a kind, then four spaces and a name.
        var defined = Set<String>()
        var kind: String?
        var inComponents = false
        for line in lines {
            if !line.hasPrefix(" ") && !line.isEmpty { inComponents = line == "components:"; continue }
            guard inComponents, line.hasSuffix(":") || line.contains(": {") else { continue }
            let indent = line.prefix { $0 == " " }.count
            let key = String(line.dropFirst(indent).prefix { $0 != ":" })
            if indent == 2 { kind = key } else if indent == 4, let kind { defined.insert("#/components/\(kind)/\(key)") }
        }
        var referenced = Set<String>()
        for line in lines {
            var rest = Substring(line)
            while let start = rest.range(of: "$ref: \"") {
                let target = rest[start.upperBound...].prefix { $0 != "\"" }
                referenced.insert(String(target))
                rest = rest[start.upperBound...].dropFirst(target.count)
            }
        }
        #expect(!referenced.isEmpty && referenced.isSubset(of: defined), "missing: \(referenced.subtracting(defined))")
        #expect(defined.filter { $0.hasPrefix("#/components/schemas/") || $0.hasPrefix("#/components/responses/") }.isSubset(of: referenced),
                "unused: \(defined.subtracting(referenced))")
    }

    @Test func everyPathParameterIsDeclaredForItsPath() throws {
        // Each `{name}` of a path has a parameter line below the path: `$ref: ".../parameters/name"` or `name: name, in: path`.
        let text = OpenAPIDocument.text
        let blocks = text.components(separatedBy: "\n  /").dropFirst()
        for block in blocks {
            let path = "/" + block.prefix { $0 != ":" }
            let names = path.split(separator: "{").dropFirst().map { $0.prefix { $0 != "}" } }
            for name in names {
                #expect(block.contains("$ref: \"#/components/parameters/\(name)\"") || block.contains("{name: \(name), in: path"),
                        "\(path) does not declare \(name)")
            }
        }
    }
}
