// swift-tools-version:6.0
import PackageDescription

// Plue builds and runs on Linux only: it calls Glibc directly and reads Linux's stat fields
// (st_mtim). SwiftPM has no way to declare a Linux-only package, so it declares no platforms, and
// PlueKit stops a build for any other system with an #error saying so (Support/LinuxOnly.swift).
let package = Package(
    name: "plue",
    products: [
        .executable(name: "plue", targets: ["plue"]),
        .library(name: "PlueKit", targets: ["PlueKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        .target(
            name: "PlueKit",
            dependencies: [
                "CLibGit2",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "plue",
            dependencies: [
                "PlueKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
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
            name: "PlueIntegrationTests",
            dependencies: ["PlueKit", "PlueTestSupport"]
        ),
    ]
)
