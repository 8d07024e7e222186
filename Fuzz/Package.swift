// swift-tools-version:6.0
import PackageDescription

// The fuzz targets live in their own package so that the main build, and `swift build` at the
// root, never see the sanitizer flags or libFuzzer. Build and run them with Fuzz/run.sh.
//
// One executable holds every target (picked with SIO_FUZZ_TARGET): the instrumented
// dependencies are compiled once whichever shape is chosen, and one link instead of one per
// target keeps the CI smoke short.
let package = Package(
    name: "swift-socketio-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "swift-socketio", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
    ],
    targets: [
        .executableTarget(
            name: "SIOFuzz",
            dependencies: [
                .product(name: "EngineIOParser", package: "swift-socketio"),
                .product(name: "SocketIOParser", package: "swift-socketio"),
                .product(name: "EngineIO", package: "swift-socketio"),
                .product(name: "MessagePack", package: "swift-socketio"),
                .product(name: "Monitor", package: "swift-socketio"),
                .product(name: "ConsoleUI", package: "swift-socketio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
                .enableUpcomingFeature("InternalImportsByDefault"),
                // libFuzzer supplies main(); the entry points are @_cdecl functions.
                .unsafeFlags(["-parse-as-library"]),
            ]
        ),
    ]
)
