// swift-tools-version:6.1
import PackageDescription

// Plue builds and runs on Linux only: it calls Glibc directly and reads Linux's stat fields
// (st_mtim). SwiftPM has no way to declare a Linux-only package, so it declares no platforms, and
// PlueKit stops a build for any other system with an #error saying so (Support/LinuxOnly.swift).
let package = Package(
    name: "plue",
    products: [
        .executable(name: "plue", targets: ["plue"]),
        .executable(name: "plue-serve", targets: ["plue-serve"]),
        .library(name: "PlueKit", targets: ["PlueKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // plue serve. Without Hummingbird's default traits, which bring swift-configuration (its
        // settings come from plue's own options) and nothing else plue uses.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // Already in the build through Hummingbird; named for the HTTP parts SlowBodyGuard reads.
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // Workflow files (.plue/workflows/*.yml): YAML's grammar is libyaml's, kept out of plue's code.
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        // zlib, which libgit2 links already: plue serve inflates gzip-encoded git requests. No
        // pkgConfig: SwiftPM would add zlib.pc's -L/usr/lib/x86_64-linux-gnu to the link, ahead
        // of the folder of static archives scripts/build points libgit2's at, and the release
        // binary would load libgit2 and libsqlite3 as shared libraries again.
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // One glibc function Swift's Glibc module does not declare: a child closes every
        // descriptor it was not handed (plue serve's listening socket, other requests' pipes).
        .target(name: "CSpawn"),
        .target(
            name: "PlueKit",
            dependencies: [
                "CLibGit2",
                "CSpawn",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ],
            // Server/ is PlueKit's one folder that imports Hummingbird, built as a module of its own
            // (PlueServer) so that only plue-serve links it.
            exclude: ["Server"]
        ),
        .target(
            name: "PlueServer",
            dependencies: [
                "PlueKit",
                "CZlib",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/PlueKit/Server",
            // The API's OpenAPI document, compiled into the binary as bytes (PackageResources):
            // the static release binary serves it with no file beside it to install or find.
            resources: [.embedInCode("openapi.yaml")]
        ),
        // The CLI does not link the server: every plue process (one per SSH login and per push)
        // would pay at start for SwiftNIO's and Hummingbird's code; `plue serve` becomes plue-serve.
        .executableTarget(
            name: "plue",
            dependencies: [
                "PlueKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "plue-serve",
            dependencies: [
                "PlueKit",
                "PlueServer",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "PlueTestSupport",
            dependencies: ["PlueKit"],
            path: "Tests/Support"
        ),
        .testTarget(
            name: "PlueKitTests",
            // GRDB: to build databases as older versions of Plue left them.
            dependencies: ["PlueKit", "PlueTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "PlueServerTests",
            dependencies: ["PlueServer", "PlueKit", "PlueTestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "PlueIntegrationTests",
            dependencies: ["PlueKit", "PlueTestSupport"]
        ),
    ]
)
