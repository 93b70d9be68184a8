// swift-tools-version:6.1
import PackageDescription

// scripts/bench-serve's floor: the least a Hummingbird server does per request on this machine, to
// measure plue serve against. A package of its own, not a target of Plue's, so that scripts/build,
// scripts/test and CI never compile or link it; only the benchmark builds it, once.
let package = Package(
    name: "bench-floor",
    dependencies: [
        // As Plue's Package.swift has it: without the default traits.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
    ],
    targets: [
        .executableTarget(
            name: "bench-floor",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")]
        ),
    ]
)
