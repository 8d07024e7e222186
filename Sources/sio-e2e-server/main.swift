import EngineIO
import Foundation
import NIOCore
import NIOPosix
import SocketIO
import SocketIOAdmin
import SocketIOPostgresAdapter

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
let nodeName = "\(ProcessInfo.processInfo.processIdentifier)"
for name in ["/", "/custom"] {
    TestSuiteHandlers.install(on: io.of(name))
    // The cluster suites' events only on a cluster node: a single node stays exactly the
    // server the protocol suites and the benchmark describe (and pays for nothing else).
    if options.adapter != nil { ClusterHandlers.install(on: io.of(name), nodeName: nodeName) }
}

let listener: any Channel
do {
    listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .serverChannelOption(.backlog, value: 4096)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
        .childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
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

// Stop cleanly on SIGINT/SIGTERM so every session ends with "server shutting down".
let stopped = AsyncStream<Void> { continuation in
    for signalNumber in [SIGINT, SIGTERM] {
        signal(signalNumber, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
        source.setEventHandler { continuation.yield() }
        source.resume()
        SignalSources.keep(source)
    }
}
for await _ in stopped { break }
try? await listener.close().get()
admin?.shutdown()
await io.close()
await echoEngine.close()
exit(0)
