import EngineIO
import Foundation
import Logging
import Metrics
import NIOCore
import NIOPosix
import NIOSSL
import Prometheus
import ServiceLifecycle
import SocketIO
import SocketIOAdmin
import SocketIOLifecycle
import SocketIOMetrics
import SocketIOPostgresAdapter
import UnixSignals

// The server the official protocol test suites (and the benchmark) expect, on one port:
// /engine.io/ echoes every message; /socket.io/ runs the test-suite handlers.

let options: E2EOptions
do {
    options = try E2EOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch let error as E2EOptionsError {
    FileHandle.standardError.write(Data((error.message + "\n").utf8))
    exit(2)
}

func engineOptions(path: String) -> EngineOptions {
    var engine = EngineOptions()
    engine.path = path
    engine.pingInterval = .milliseconds(options.pingInterval)
    engine.pingTimeout = .milliseconds(options.pingTimeout)
    engine.maxHttpBufferSize = options.maxPayload
    engine.requestHeaderTimeout = .milliseconds(options.headerTimeout)
    engine.transports = options.transports
    engine.cors = .allowAll
    options.admin.allowCredentials(&engine.cors)
    return engine
}

let echoEngine = EngineServer(options: engineOptions(path: "/engine.io/"))
echoEngine.onConnection { socket in
    socket.onMessage { message in socket.send(message) }
}

var socketOptions = SocketIOServerOptions()
socketOptions.engine = engineOptions(path: "/socket.io/")
socketOptions.connectTimeout = .milliseconds(options.connectTimeout)
socketOptions.parser = options.parser
if options.recovery { socketOptions.connectionStateRecovery = ConnectionStateRecoveryOptions() }
if let url = options.adapter {
    do {
        var adapterOptions = PostgresAdapterOptions()
        if let interval = options.heartbeatInterval { adapterOptions.cluster.heartbeatInterval = .milliseconds(interval) }
        if let timeout = options.heartbeatTimeout { adapterOptions.cluster.heartbeatTimeout = .milliseconds(timeout) }
        if let timeout = options.requestsTimeout { adapterOptions.cluster.requestsTimeout = .milliseconds(timeout) }
        socketOptions.adapter = try PostgresAdapter.factory(url: url, options: adapterOptions)
    } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        exit(2)
    }
}
let io = SocketIOServer(options: socketOptions)
// Before any handler is installed, as Node's instrument: the admin hears of each
// connection before the application's listeners act on it.
let admin: AdminInstrumentation?
do {
    // On a cluster, admin sessions live in its PostgreSQL: a session is good on every node.
    admin = try options.admin.instrument(io, store: try options.adapter.map { try PostgresAdminSessionStore(url: $0) })
} catch let error as AdminCommandLineError {
    FileHandle.standardError.write(Data((error.message + "\n").utf8))
    exit(2)
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(2)
}
// Metrics before any connection, and only when asked for: a server without them pays nothing.
let metricsRegistry: PrometheusCollectorRegistry? = options.metricsPort.map { _ in PrometheusCollectorRegistry() }
if let metricsRegistry {
    MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metricsRegistry))
    SocketIOMetrics.instrument(io)
}
let nodeName = "\(ProcessInfo.processInfo.processIdentifier)"
for name in ["/", "/custom"] {
    TestSuiteHandlers.install(on: io.of(name))
    // The cluster suites' events only on a cluster node: a single node stays exactly the
    // server the protocol suites and the benchmark describe (and pays for nothing else).
    if options.adapter != nil { ClusterHandlers.install(on: io.of(name), nodeName: nodeName) }
}

let tls: NIOSSLContext?
do {
    if let certificate = options.tlsCertificate, let key = options.tlsKey {
        tls = try EngineTLS.serverContext(certificateChainFile: certificate, privateKeyFile: key)
    } else {
        tls = nil
    }
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(2)
}

let listener: any Channel
do {
    listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .serverChannelOption(.backlog, value: 4096)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
        .childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                if let tls { try EngineServer.addTLS(tls, to: channel) }
                try EngineServer.configure(channel: channel, engines: [io.engine, echoEngine])
            }
        }
        .bind(host: options.host, port: options.port).get()
} catch {
    FileHandle.standardError.write(Data("cannot listen on \(options.host):\(options.port): \(error)\n".utf8))
    exit(1)
}
let port = listener.localAddress?.port ?? options.port
// One line, written straight to the file descriptor so a harness reading the pipe sees it
// at once (stdio would buffer it).
FileHandle.standardOutput.write(Data("listening on \(options.host):\(port)\n".utf8))
// After the line above, which harnesses wait for first.
var metricsListener: (any Channel)?
if let metricsRegistry, let metricsPort = options.metricsPort {
    do {
        let channel = try await MetricsEndpoint.listen(host: options.host, port: metricsPort, registry: metricsRegistry)
        metricsListener = channel
        FileHandle.standardOutput.write(Data("metrics on \(options.host):\(channel.localAddress?.port ?? metricsPort)\n".utf8))
    } catch {
        FileHandle.standardError.write(Data("cannot serve metrics on \(options.host):\(metricsPort): \(error)\n".utf8))
        exit(1)
    }
}

// Run as services until SIGINT/SIGTERM: the group then shuts them down last to first, so
// Socket.IO closes first (every session ends with "server shutting down"), then the
// listeners and the echo engine.
var serviceLogger = Logger(label: "sio-e2e-server")
serviceLogger.logLevel = .warning
let services = ServiceGroup(configuration: .init(
    services: [
        ShutdownService {
            try? await listener.close().get()
            try? await metricsListener?.close().get()
            admin?.shutdown()
            await echoEngine.close()
        },
        SocketIOService(attached: io),
    ],
    gracefulShutdownSignals: [.sigterm, .sigint],
    logger: serviceLogger
))
do {
    try await services.run()
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
exit(0)
