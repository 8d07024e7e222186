// swift-tools-version:6.0
import PackageDescription

/// Settings every target shares: Swift 6 mode plus the upcoming features that keep
/// imports and existentials explicit (the same set Hummingbird 2 enables).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "swift-socketio",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "EngineIOParser", targets: ["EngineIOParser"]),
        .library(name: "SocketIOParser", targets: ["SocketIOParser"]),
        .library(name: "MessagePack", targets: ["MessagePack"]),
        .library(name: "SocketIOMsgpackParser", targets: ["SocketIOMsgpackParser"]),
        .library(name: "EngineIOTimers", targets: ["EngineIOTimers"]),
        .library(name: "EngineIO", targets: ["EngineIO"]),
        .library(name: "SocketIO", targets: ["SocketIO"]),
        .library(name: "EngineIOClient", targets: ["EngineIOClient"]),
        .library(name: "SocketIOClient", targets: ["SocketIOClient"]),
        .library(name: "SocketIOPostgresAdapter", targets: ["SocketIOPostgresAdapter"]),
        .library(name: "SocketIOAdmin", targets: ["SocketIOAdmin"]),
        .executable(name: "sio-e2e-server", targets: ["sio-e2e-server"]),
        .executable(name: "sio-client-bench", targets: ["sio-client-bench"]),
        .library(name: "Monitor", targets: ["Monitor"]),
        .library(name: "ConsoleUI", targets: ["ConsoleUI"]),
        .library(name: "AdminFeed", targets: ["AdminFeed"]),
        .executable(name: "sioconsole", targets: ["sioconsole"]),
        .library(name: "SocketIOLifecycle", targets: ["SocketIOLifecycle"]),
        .library(name: "SocketIOHummingbird", targets: ["SocketIOHummingbird"]),
        .library(name: "SocketIOMetrics", targets: ["SocketIOMetrics"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        // Only its C bcrypt and the Swift wrapper (product HummingbirdBcrypt) are built.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        // Already in the graph (postgres-nio and hummingbird-auth need them): the server as a
        // Service, and Socket.IO inside a Hummingbird application.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        // Only sio-e2e-server's --metrics-port uses it; the library leaves the backend to the app.
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // Documentation only: `swift package generate-documentation` builds the DocC catalogues.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // The codecs, shared by the server and the client (as the official monorepo shares
        // engine.io-parser and socket.io-parser): Engine.IO packets and polling payloads;
        // Socket.IO packets, binary attachments and the JSON value type.
        .target(
            name: "EngineIOParser",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SocketIOParser",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        // MessagePack to and from the parser's JSON value type: one codec, used by the cluster
        // adapter (Node's @msgpack/msgpack messages) and by the msgpack parser.
        .target(
            name: "MessagePack",
            dependencies: ["SocketIOParser", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MessagePackTests",
            dependencies: ["MessagePack", "SocketIOParser", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        // socket.io-msgpack-parser: each packet is one msgpack map in one binary message. It
        // gives SocketIOParser's `SocketIOPacketParser` its `.msgpack` value.
        .target(
            name: "SocketIOMsgpackParser",
            dependencies: ["SocketIOParser", "MessagePack", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SocketIOMsgpackParserTests",
            dependencies: [
                "SocketIOMsgpackParser", "SocketIOParser", "MessagePack",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // Where every timer of the server and the client comes from: the event loops, or a
        // clock the tests move (ManualTimerSource).
        .target(
            name: "EngineIOTimers",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "EngineIO",
            dependencies: [
                "EngineIOParser",
                "EngineIOTimers",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SocketIO",
            dependencies: [
                "EngineIO",
                "SocketIOParser",
                "SocketIOMsgpackParser",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The server as a swift-service-lifecycle Service: graceful shutdown closes it.
        .target(
            name: "SocketIOLifecycle",
            dependencies: [
                "SocketIO",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        // The server's figures for swift-metrics, through public hooks only.
        .target(
            name: "SocketIOMetrics",
            dependencies: ["SocketIO", .product(name: "Metrics", package: "swift-metrics")],
            swiftSettings: strictSettings
        ),
        // Socket.IO and a Hummingbird application on one port (its own module: the core
        // never depends on Hummingbird).
        .target(
            name: "SocketIOHummingbird",
            dependencies: [
                "SocketIO",
                "SocketIOLifecycle",
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EcosystemTests",
            dependencies: [
                "SocketIOHummingbird",
                "SocketIOClient",
                "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // The client (issue 9), beside the server and on the same codecs: Engine.IO transports
        // (polling, WebSocket, the upgrade) and Socket.IO's Manager and sockets.
        .target(
            name: "EngineIOClient",
            dependencies: [
                "EngineIOParser",
                "EngineIOTimers",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SocketIOClient",
            dependencies: [
                "EngineIOClient",
                "SocketIOParser",
                "SocketIOMsgpackParser",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The Swift side of the client ack round-trip benchmark (scripts/client-bench.sh).
        .executableTarget(
            name: "sio-client-bench",
            dependencies: ["SocketIOClient"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SocketIOClientTests",
            dependencies: [
                "SocketIOClient",
                "EngineIOClient",
                "SocketIO",
                "EngineIO",
                "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
        // The cluster adapter: Node's cluster protocol over PostgreSQL LISTEN/NOTIFY.
        .target(
            name: "SocketIOPostgresAdapter",
            dependencies: [
                "SocketIO",
                "SocketIOAdmin",
                "MessagePack",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SocketIOPostgresAdapterTests",
            dependencies: [
                "SocketIOPostgresAdapter",
                "SocketIO",
                "SocketIOAdmin",
                "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // The Admin UI protocol (`@socket.io/admin-ui`): instrument(server, options). See issue 8.
        .target(
            name: "SocketIOAdmin",
            dependencies: [
                "SocketIO",
                "EngineIO",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SocketIOAdminTests",
            dependencies: [
                "SocketIOAdmin",
                "SocketIO",
                "EngineIO",
                "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            swiftSettings: strictSettings
        ),
        // The events the benchmark and the official protocol suite send, answered once for
        // both executables that serve them.
        .target(
            name: "BenchmarkHandlers",
            dependencies: ["SocketIO"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "sio-e2e-server",
            dependencies: [
                "BenchmarkHandlers",
                "EngineIO",
                "SocketIO",
                "SocketIOAdmin",
                "SocketIOPostgresAdapter",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                "SocketIOMetrics",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                "SocketIOLifecycle",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The raw HTTP, WebSocket and TCP clients the test suites drive servers with.
        .target(
            name: "TestSupport",
            dependencies: [
                "EngineIOParser",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EngineIOTests",
            dependencies: [
                "EngineIO",
                "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SocketIOTests",
            dependencies: [
                "SocketIO",
                "EngineIO",
                "TestSupport",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // The console: a pure model of the live server (Monitor), ncursesw (CNcursesw), the
        // screens (ConsoleUI) and the executable (sioconsole). See issue 4 and README "Console".
        .target(
            name: "Monitor",
            dependencies: [
                "SocketIO",
                "EngineIO",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // `sioconsole --demo`: a small chat on the embedded server and real Swift clients
        // driving it over loopback, so a newcomer sees every pane move.
        .target(
            name: "ConsoleDemo",
            dependencies: ["SocketIO", "SocketIOClient", .product(name: "NIOSSL", package: "swift-nio-ssl")],
            swiftSettings: strictSettings
        ),
        // The console's model fed over the Admin UI protocol by the Swift client: what
        // `sioconsole attach URL` watches (issue 10).
        .target(
            name: "AdminFeed",
            dependencies: [
                "Monitor",
                "SocketIOClient",
                "SocketIO",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AdminFeedTests",
            dependencies: [
                "AdminFeed",
                "Monitor",
                "SocketIOClient",
                "SocketIO",
                "SocketIOAdmin",
                "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            swiftSettings: strictSettings
        ),
        // The library is linked by ConsoleUI, per platform: Linux names the wide-character
        // build ncursesw, macOS's SDK has one ncurses with wide characters.
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncurses-dev"]), .brew(["ncurses"])]),
        .target(
            name: "ConsoleUI",
            dependencies: [
                "Monitor",
                "CNcursesw",
                "SocketIO",
                "EngineIO",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings,
            linkerSettings: [
                .linkedLibrary("ncursesw", .when(platforms: [.linux])),
                .linkedLibrary("ncurses", .when(platforms: [.macOS])),
            ]
        ),
        .executableTarget(
            name: "sioconsole",
            dependencies: [
                "AdminFeed",
                "ConsoleDemo",
                "BenchmarkHandlers",
                "ConsoleUI",
                "Monitor",
                "SocketIO",
                "SocketIOAdmin",
                "SocketIOPostgresAdapter",
                "EngineIO",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                "SocketIOLifecycle",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MonitorTests",
            dependencies: [
                "Monitor",
                "ConsoleUI",
                "SocketIO",
                "EngineIO",
                "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
