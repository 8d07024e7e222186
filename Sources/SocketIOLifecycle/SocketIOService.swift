public import NIOSSL
public import ServiceLifecycle
public import SocketIO

/// A ``SocketIOServer`` as a swift-service-lifecycle `Service`, so it starts and stops with
/// the rest of an application's services. On graceful shutdown (SIGTERM or SIGINT when the
/// `ServiceGroup` watches them) the server closes as ``SocketIOServer/close()`` does: every
/// socket is disconnected with the reason `server shutting down`, no new connection is
/// accepted, and the run returns once every connection is closed.
///
/// ```swift
/// let io = SocketIOServer()
/// let group = ServiceGroup(configuration: .init(
///     services: [SocketIOService(server: io, host: "0.0.0.0", port: 3000)],
///     gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
/// try await group.run()
/// ```
public struct SocketIOService: Service {
    /// The server this service runs and closes.
    public let server: SocketIOServer
    private let listening: Listening?

    private struct Listening: Sendable {
        let host: String
        let port: Int
        let tls: NIOSSLContext?
        let onListening: @Sendable (Int) async -> Void
    }

    /// A server that listens on its own port when the service runs.
    /// - Parameters:
    ///   - server: the server to run.
    ///   - host: the address to listen on.
    ///   - port: the port; 0 picks a free one.
    ///   - tls: serve https/wss with this context; `nil` serves plain http/ws.
    ///   - onListening: called with the bound port (useful with port 0).
    public init(server: SocketIOServer, host: String = "127.0.0.1", port: Int, tls: NIOSSLContext? = nil,
                onListening: @escaping @Sendable (Int) async -> Void = { _ in }) {
        self.server = server
        listening = Listening(host: host, port: port, tls: tls, onListening: onListening)
    }

    /// A server attached to someone else's listener (a Hummingbird application, your own
    /// NIO bootstrap): the service only closes it on shutdown.
    public init(attached server: SocketIOServer) {
        self.server = server
        listening = nil
    }

    public func run() async throws {
        if let listening {
            let port = try await server.listen(host: listening.host, port: listening.port, tls: listening.tls)
            await listening.onListening(port)
        }
        // Returns on graceful shutdown; throws when the task is cancelled. Either way the
        // server closes: a cancelled group must not leave sockets open.
        try? await gracefulShutdown()
        await server.close()
    }
}
