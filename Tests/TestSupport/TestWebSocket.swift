import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// A WebSocket client for integration tests: connect with a real HTTP upgrade, send frames
/// (masked, as RFC 6455 requires of clients), and receive whole messages in order, each wait
/// bounded by a timeout.
final class TestWebSocket: Sendable {
    /// How the handshake ended, as the pipeline reports it before the test sees anything.
    private enum UpgradeOutcome: Sendable {
        case upgraded(NIOLoopBound<TestWebSocketHandler>, handshake: TestHTTPResponse)
        case refused(status: EventLoopFuture<Int>)
    }

    /// A connected channel whose handshake may still be in flight.
    private struct PendingUpgrade: Sendable {
        let channel: any Channel
        let outcome: EventLoopFuture<UpgradeOutcome>
    }

    /// The server's `101` answer, for tests of handshake headers such as `Set-Cookie`.
    let handshake: TestHTTPResponse
    private let channel: any Channel
    private let handler: NIOLoopBound<TestWebSocketHandler>

    private init(channel: any Channel, handler: NIOLoopBound<TestWebSocketHandler>, handshake: TestHTTPResponse) {
        self.channel = channel
        self.handler = handler
        self.handshake = handshake
    }

    /// Opens a connection and performs the WebSocket upgrade handshake.
    ///
    /// - Parameters:
    ///   - host: The server's address.
    ///   - port: The server's port.
    ///   - path: The request target, including the query (`/engine.io/?EIO=4&transport=websocket`).
    ///   - headers: Extra handshake headers; `Host` is added when absent.
    ///   - timeout: Bound on connecting and completing the handshake.
    ///   - maxFrameSize: The largest message accepted from the server. Far above NIO's 16 KiB
    ///     default so tests of large payloads fail on the server's limits, not the client's.
    /// - Returns: The open connection.
    /// - Throws: ``TestClientError/upgradeRefused(status:)`` when the server answers without
    ///   101, ``TestClientError/timeout``, or NIO's error for a 101 with a wrong accept key.
    static func connect(
        host: String = "127.0.0.1",
        port: Int,
        path: String,
        headers: [(String, String)] = [],
        timeout: Duration = .seconds(30),
        maxFrameSize: Int = 1 << 24
    ) async throws -> TestWebSocket {
        let deadline = NIODeadline.after(timeout)
        var requestHeaders = HTTPHeaders(headers)
        if !requestHeaders.contains(name: "host") {
            requestHeaders.add(name: "Host", value: TestHTTPClient.hostHeader(host: host, port: port))
        }
        let requestHead = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: requestHeaders)

        let pending = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(TimeAmount(timeout))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let outcome = try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(
                        configuration: Self.pipelineConfiguration(requestHead: requestHead, maxFrameSize: maxFrameSize)
                    )
                    return PendingUpgrade(channel: channel, outcome: outcome)
                }
            }

        do {
            switch try await pending.outcome.get(deadline: deadline) {
            case .upgraded(let handler, let response):
                return TestWebSocket(channel: pending.channel, handler: handler, handshake: response)
            case .refused(let status):
                throw TestClientError.upgradeRefused(status: try await status.get(deadline: deadline))
            }
        } catch {
            pending.channel.close(promise: nil)
            throw error
        }
    }

    private static func pipelineConfiguration(
        requestHead: HTTPRequestHead,
        maxFrameSize: Int
    ) -> NIOUpgradableHTTPClientPipelineConfiguration<UpgradeOutcome> {
        let upgrader = NIOTypedWebSocketClientUpgrader<UpgradeOutcome>(maxFrameSize: maxFrameSize) { channel, head in
            channel.eventLoop.makeCompletedFuture {
                let handler = TestWebSocketHandler(eventLoop: channel.eventLoop)
                try channel.pipeline.syncOperations.addHandler(
                    NIOWebSocketFrameAggregator(
                        minNonFinalFragmentSize: 0,
                        maxAccumulatedFrameCount: Int.max,
                        maxAccumulatedFrameSize: maxFrameSize
                    )
                )
                try channel.pipeline.syncOperations.addHandler(handler)
                let response = TestHTTPResponse(
                    status: Int(head.status.code),
                    headers: head.headers.map { ($0.name, $0.value) },
                    body: []
                )
                return .upgraded(NIOLoopBound(handler, eventLoop: channel.eventLoop), handshake: response)
            }
        }
        var configuration = NIOUpgradableHTTPClientPipelineConfiguration(
            upgradeConfiguration: .init(
                upgradeRequestHead: requestHead,
                upgraders: [upgrader],
                notUpgradingCompletionHandler: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let status = channel.eventLoop.makePromise(of: Int.self)
                        try channel.pipeline.syncOperations.addHandler(TestWebSocketRefusalHandler(status: status))
                        return .refused(status: status.futureResult)
                    }
                }
            )
        )
        // A server may send its first frame (Engine.IO's open packet) in the same read as the
        // 101; the default would drop those bytes along with the HTTP decoder.
        configuration.leftOverBytesStrategy = .forwardBytes
        return configuration
    }

    /// Sends one text message in a single masked frame.
    ///
    /// - Throws: An error if the connection is closed.
    func send(text: String) async throws {
        try await self.send(opcode: .text, payload: ByteBuffer(string: text))
    }

    /// Sends one binary message in a single masked frame.
    ///
    /// - Throws: An error if the connection is closed.
    func send(binary: [UInt8]) async throws {
        try await self.send(opcode: .binary, payload: ByteBuffer(bytes: binary))
    }

    /// Sends a ping; the server's pong is consumed silently, not queued as a message.
    ///
    /// - Throws: An error if the connection is closed.
    func sendPing() async throws {
        try await self.send(opcode: .ping, payload: ByteBuffer(string: "test-ping"))
    }

    /// Waits for the next message from the server.
    ///
    /// Once the connection has ended, every call returns the same `.closed` at once.
    ///
    /// - Parameter timeout: How long to wait for a message.
    /// - Returns: The next message, or `.closed` when the connection is over.
    /// - Throws: ``TestClientError/timeout`` if nothing arrives in time.
    func receive(timeout: Duration = .seconds(30)) async throws -> TestWebSocketMessage {
        let deadline = NIODeadline.after(timeout)
        let handler = self.handler
        return try await self.channel.eventLoop.flatSubmit {
            handler.value.nextMessage(deadline: deadline)
        }.get()
    }

    /// Sends a close frame with `code` and closes the connection, without waiting for the
    /// server's answering close frame. Does nothing if the connection is already closed.
    ///
    /// - Parameter code: The close status code (1000 is a normal closure).
    func close(code: UInt16 = 1000) async {
        let handler = self.handler
        // The only failure is "already closed", which is the state this call wants.
        _ = try? await self.channel.eventLoop.flatSubmit {
            handler.value.close(code: code)
        }.get()
    }

    private func send(opcode: WebSocketOpcode, payload: ByteBuffer) async throws {
        let frame = WebSocketFrame(fin: true, opcode: opcode, maskKey: .random(), data: payload)
        try await self.channel.writeAndFlush(frame).get()
    }
}
