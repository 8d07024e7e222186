import NIOCore
import NIOPosix
import SocketIO
import Testing
@testable import TestSupport

@Suite("Closing the server")
struct CloseTests {
    @Test("after io.close(), an engine attached to your own NIO server refuses handshakes (Node: nothing connects after close)")
    func closedAttachedServerRefusesHandshakes() async throws {
        let io = SocketIOServer()
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                // The engine's own configure: after close, io.attach would already refuse.
                channel.eventLoop.makeCompletedFuture { try io.engine.configure(channel: channel, passThrough: false) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        let before = try await TestHTTPClient.request(port: port, path: "/socket.io/?EIO=4&transport=polling")
        #expect(before.status == 200)
        await io.close()
        // Your own server still accepts TCP connections and sets up their pipelines, but
        // the engine takes no handshake, over polling or WebSocket.
        let after = try await TestHTTPClient.request(port: port, path: "/socket.io/?EIO=4&transport=polling")
        #expect(after.status == 403)
        #expect(after.text.contains("Server is closed"))
        await #expect(throws: (any Error).self) {
            _ = try await TestSocketIOClient.connect(port: port)
        }
        try await server.close()
    }

    @Test("listen after io.close() throws serverClosed")
    func listenAfterCloseThrows() async throws {
        let io = SocketIOServer()
        await io.close()
        await #expect(throws: SocketIOError.serverClosed) { _ = try await io.listen(port: 0) }
    }
}
