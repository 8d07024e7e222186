import Logging
import NIOConcurrencyHelpers
import SocketIO
import SocketIOClient
import Testing
import TestSupport

/// The server's log lines about a connection carry its ids, and `socket.logger` gives
/// handlers the same metadata.
@Suite struct LoggingMetadataTests {
    /// Keeps every line with its merged metadata.
    struct CapturingHandler: LogHandler {
        let lines: NIOLockedValueBox<[(message: String, metadata: Logger.Metadata)]>
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
            lines.withLockedValue { $0.append((event.message.description, merged)) }
        }
    }

    @Test(arguments: TransportMode.allCases)
    func connectionLinesCarryTheirIds(mode: TransportMode) async throws {
        let lines = NIOLockedValueBox<[(message: String, metadata: Logger.Metadata)]>([])
        let logger = Logger(label: "test") { _ in CapturingHandler(lines: lines) }
        let server = SocketIOServer(logger: logger)
        let serverSocketID = Signal<String>()
        server.of("/chat").onConnection { socket in
            serverSocketID.set(socket.id)
            socket.on("hello") { _, ack in
                socket.logger.info("said hello")
                ack?(.string("hi"))
            }
        }
        let port = try await server.listen(port: 0)
        var options = SocketIOClientOptions()
        options.transports = mode.transports
        options.reconnection = false
        let manager = try Manager("http://127.0.0.1:\(port)", options: options)
        let socket = manager.socket("/chat").connect()
        #expect(try await socket.emitWithAck("hello") == ["hi"])
        let engineID = try #require(manager.engineID)
        let socketID = try #require(await serverSocketID.wait())
        socket.disconnect()
        #expect(await eventually { lines.withLockedValue { $0.contains { $0.message == "engine session closed" } } })
        await manager.shutdown()
        await server.close()

        let captured = lines.withLockedValue { $0 }
        func line(_ message: String) -> Logger.Metadata? { captured.first { $0.message == message }?.metadata }
        #expect(line("engine session opened")?["engine.id"] == .string(engineID))
        #expect(line("engine session opened")?["transport"] == .string(mode == .websocket ? "websocket" : "polling"))
        for message in ["socket connected", "said hello", "socket disconnected"] {
            let metadata = try #require(line(message), "no \(message) line")
            #expect(metadata["engine.id"] == .string(engineID))
            #expect(metadata["socket.id"] == .string(socketID))
            #expect(metadata["socket.nsp"] == .string("/chat"))
        }
        #expect(line("socket disconnected")?["reason"] == .string("client namespace disconnect"))
        #expect(line("engine session closed")?["engine.id"] == .string(engineID))
    }

    @Test func nothingPerConnectionIsLoggedAboveDebug() async throws {
        let lines = NIOLockedValueBox<[(message: String, metadata: Logger.Metadata)]>([])
        var logger = Logger(label: "test") { _ in CapturingHandler(lines: lines) }
        logger.logLevel = .info
        let server = SocketIOServer(logger: logger)
        let port = try await server.listen(port: 0)
        var options = SocketIOClientOptions()
        options.reconnection = false
        let manager = try Manager("http://127.0.0.1:\(port)", options: options)
        let socket = manager.socket().connect()
        #expect(await eventually { socket.connected })
        await manager.shutdown()
        await server.close()
        #expect(lines.withLockedValue { $0.isEmpty })
    }
}
