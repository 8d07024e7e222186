import Logging
import NIOCore
import ServiceLifecycle
import SocketIO
import SocketIOClient
import SocketIOLifecycle
import Testing
@testable import TestSupport

/// The server as a swift-service-lifecycle Service, run in a ServiceGroup as an application
/// runs it: it listens when the group starts, and a graceful shutdown closes it properly.
@Suite struct SocketIOServiceTests {
    @Test func gracefulShutdownDisconnectsWithTheReasonAndStopsListening() async throws {
        let io = SocketIOServer()
        let reasons = Recorder<DisconnectReason>()
        io.onConnection { socket in socket.onDisconnect { reason, _ in reasons.append(reason) } }
        let bound = Signal<Int>()
        var logger = Logger(label: "service-test")
        logger.logLevel = .warning
        let service = SocketIOService(server: io, port: 0, onListening: { bound.set($0) })
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try #require(await bound.wait())
            var options = SocketIOClientOptions()
            options.reconnection = false
            let manager = try Manager("http://127.0.0.1:\(port)", options: options)
            let socket = manager.socket().connect()
            let clientSaw = Signal<ClientDisconnectReason>()
            socket.onDisconnect { reason, _ in clientSaw.set(reason) }
            #expect(await eventually { socket.connected })

            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            #expect(reasons.values == [.serverShuttingDown])
            #expect(await clientSaw.wait() != nil)
            await manager.shutdown()

            // Nothing listens any more.
            await #expect(throws: (any Error).self) {
                _ = try await RawTCPConnection.connect(port: port, timeout: .seconds(5))
            }
        }
    }

    @Test func aCancelledGroupStillClosesTheServer() async throws {
        let io = SocketIOServer()
        let bound = Signal<Int>()
        let service = SocketIOService(server: io, port: 0, onListening: { bound.set($0) })
        let group = ServiceGroup(configuration: .init(services: [service], logger: Logger(label: "service-test")))
        let running = Task { try await group.run() }
        _ = try #require(await bound.wait())
        running.cancel()
        _ = try? await running.value
        // A closed server refuses to listen again: close() ran.
        await #expect(throws: SocketIOError.self) { _ = try await io.listen(port: 0) }
    }
}
