import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import SocketIO
import SocketIOClient
import SocketIOHummingbird
import Testing
@testable import TestSupport

/// A Hummingbird application with Socket.IO on the same port, run the way applications run
/// (a ServiceGroup), driven by an HTTP client and the Swift Socket.IO client at once.
@Suite struct HummingbirdIntegrationTests {
    /// Runs an application (a `/health` route and Socket.IO echoing with acks) until `body`
    /// ends, then shuts it down gracefully and returns the server-side disconnect reasons.
    private func withApplication(
        _ body: @Sendable (_ port: Int) async throws -> Void
    ) async throws -> [DisconnectReason] {
        let io = SocketIOServer()
        let reasons = Recorder<DisconnectReason>()
        io.onConnection { socket in
            socket.on("echo") { arguments, ack in ack?.send(arguments) }
            socket.onDisconnect { reason, _ in reasons.append(reason) }
        }
        let router = Router()
        router.get("/health") { _, _ in "ok" }
        let bound = Signal<Int>()
        var logger = Logger(label: "hummingbird-test")
        logger.logLevel = .warning
        let app = Application(
            router: router,
            server: .socketIO(io),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in bound.set(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        // Socket.IO after the application: a group stops its services last to first, so the
        // sockets are told "server shutting down" before the HTTP server closes connections.
        let group = ServiceGroup(configuration: .init(services: [app, SocketIOService(attached: io)], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                let port = try #require(await bound.wait())
                try await body(port)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        return reasons.values
    }

    @Test(arguments: TransportMode.allCases)
    func routesAndSocketIOShareOnePort(mode: TransportMode) async throws {
        let reasons = try await withApplication { port in
            let health = try await TestHTTPClient.request(port: port, path: "/health")
            #expect(health.status == 200 && String(decoding: health.body, as: UTF8.self) == "ok")

            var options = SocketIOClientOptions()
            options.transports = mode.transports
            options.reconnection = false
            let manager = try Manager("http://127.0.0.1:\(port)", options: options)
            let socket = manager.socket().connect()
            #expect(try await socket.emitWithAck("echo", "through hummingbird") == ["through hummingbird"])
            if mode == .upgrade {
                #expect(await eventually { manager.transport == .websocket })
                #expect(try await socket.emitWithAck("echo", "after the upgrade") == ["after the upgrade"])
            }
            // The application's routes still answer while a client is connected.
            let again = try await TestHTTPClient.request(port: port, path: "/health")
            #expect(again.status == 200)
            let missing = try await TestHTTPClient.request(port: port, path: "/nowhere")
            #expect(missing.status == 404)
            #expect(socket.connected)
        }
        // Graceful shutdown closed the Socket.IO server: its sockets were told why.
        #expect(reasons == [.serverShuttingDown])
    }
}
