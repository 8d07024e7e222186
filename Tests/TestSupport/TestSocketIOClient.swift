import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A raw Socket.IO v5 client over Engine.IO v4 WebSocket, for tests that drive a server
/// packet by packet.
///
/// It does what every official client does and nothing more: answers the server's pings
/// (unless told not to), joins binary attachments back to their packet, and reports the
/// packets in the order they came. Everything else — connecting to namespaces, emitting,
/// acknowledging — is an explicit call, so a test can also misbehave on purpose. Payloads are
/// JSON text; the SocketIO tests add `JSONValue` conveniences on top. Every wait is bounded.
final class TestSocketIOClient: Sendable {
    /// What the reader hands the test, in arrival order.
    enum Incoming: Sendable, Equatable {
        /// A complete Socket.IO packet, attachments included.
        case packet(TestSocketIOPacket)
        /// A message that is neither a valid Socket.IO packet nor an engine control packet.
        case unexpected(String)
        /// The connection ended; nothing follows.
        case closed(code: UInt16?)
    }

    private struct State {
        var answersPings: Bool
        var pingsAnswered = 0
        var sids: [String: String] = [:]
    }

    /// The WebSocket underneath, for tests that send raw frames.
    let webSocket: TestWebSocket
    /// The Engine.IO session id from the open packet.
    let engineSID: String
    /// The open packet's JSON, exactly as the server sent it.
    let openPayload: String
    private let state: NIOLockedValueBox<State>
    private let loop: any EventLoop
    private let queue: NIOLoopBound<TestMessageQueue<Incoming>>

    private init(
        webSocket: TestWebSocket,
        engineSID: String,
        openPayload: String,
        answersPings: Bool,
        loop: any EventLoop,
        queue: NIOLoopBound<TestMessageQueue<Incoming>>
    ) {
        self.webSocket = webSocket
        self.engineSID = engineSID
        self.openPayload = openPayload
        self.state = NIOLockedValueBox(State(answersPings: answersPings))
        self.loop = loop
        self.queue = queue
    }

    // MARK: Opening

    /// Opens an Engine.IO session over WebSocket, without joining any namespace.
    ///
    /// - Parameters:
    ///   - host: The server's address.
    ///   - port: The server's port.
    ///   - path: The server's path.
    ///   - query: Extra query parameters, already encoded (`"a=1&b=2"`), after `EIO` and `transport`.
    ///   - headers: Extra handshake headers.
    ///   - answersPings: Whether to answer the server's pings; turn it off to provoke a ping timeout.
    ///   - timeout: Bound on the handshake and the open packet.
    /// - Returns: The open client.
    /// - Throws: ``TestClientError`` for connection failures, ``TestSocketIOClientError/badHandshake(_:)``.
    static func open(
        host: String = "127.0.0.1",
        port: Int,
        path: String = "/socket.io/",
        query: String = "",
        headers: [(String, String)] = [],
        answersPings: Bool = true,
        timeout: Duration = .seconds(30)
    ) async throws -> TestSocketIOClient {
        let target = "\(path)?EIO=4&transport=websocket" + (query.isEmpty ? "" : "&" + query)
        let webSocket = try await TestWebSocket.connect(host: host, port: port, path: target, headers: headers, timeout: timeout)
        let first = try await webSocket.receive(timeout: timeout)
        guard case .text(let text) = first, text.hasPrefix("0") else {
            await webSocket.close()
            throw TestSocketIOClientError.badHandshake("\(first)")
        }
        let payload = String(text.dropFirst())
        guard let sid = Self.jsonObject(payload)?["sid"] as? String else {
            await webSocket.close()
            throw TestSocketIOClientError.badHandshake(text)
        }
        // The queue belongs to one loop; it must be made there.
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let queue = try await loop.submit {
            NIOLoopBound(TestMessageQueue<Incoming>(eventLoop: loop), eventLoop: loop)
        }.get()
        let client = TestSocketIOClient(
            webSocket: webSocket, engineSID: sid, openPayload: payload, answersPings: answersPings, loop: loop, queue: queue
        )
        Task { await client.readLoop() }
        return client
    }

    /// Opens a session and joins `namespace`.
    ///
    /// - Parameters:
    ///   - host: The server's address.
    ///   - port: The server's port.
    ///   - namespace: The namespace to join.
    ///   - auth: The CONNECT packet's JSON auth object, if any (`#"{"token":"abc"}"#`).
    ///   - query: Extra query parameters, already encoded.
    ///   - headers: Extra handshake headers.
    ///   - answersPings: Whether to answer the server's pings.
    ///   - timeout: Bound on each step.
    /// - Returns: The connected client; ``sid(_:)`` has the socket id.
    /// - Throws: ``TestSocketIOConnectError`` when refused, or what ``open`` and ``connect(namespace:auth:timeout:)`` throw.
    static func connect(
        host: String = "127.0.0.1",
        port: Int,
        namespace: String = "/",
        auth: String? = nil,
        query: String = "",
        headers: [(String, String)] = [],
        answersPings: Bool = true,
        timeout: Duration = .seconds(30)
    ) async throws -> TestSocketIOClient {
        let client = try await Self.open(
            host: host, port: port, query: query, headers: headers, answersPings: answersPings, timeout: timeout
        )
        do {
            _ = try await client.connect(namespace: namespace, auth: auth, timeout: timeout)
        } catch {
            await client.close()
            throw error
        }
        return client
    }

    // MARK: Namespaces

    /// Sends CONNECT for `namespace` and waits for the answer.
    ///
    /// The next packet must be the answer (CONNECT or CONNECT_ERROR for that namespace);
    /// anything else fails the call rather than being skipped.
    ///
    /// - Parameters:
    ///   - namespace: The namespace to join.
    ///   - auth: The JSON auth object, if any.
    ///   - timeout: Bound on the answer.
    /// - Returns: The socket id from the server's CONNECT packet.
    /// - Throws: ``TestSocketIOConnectError`` when refused, ``TestSocketIOClientError``, ``TestClientError/timeout``.
    @discardableResult
    func connect(namespace: String = "/", auth: String? = nil, timeout: Duration = .seconds(30)) async throws -> String {
        try await self.send(TestSocketIOPacket(kind: .connect, namespace: namespace, payload: auth ?? ""))
        let reply = try await self.nextPacket(timeout: timeout)
        guard reply.namespace == namespace else {
            throw TestSocketIOClientError.unexpected("answer to CONNECT \(namespace): \(reply)")
        }
        switch reply.kind {
        case .connect:
            guard let sid = Self.jsonObject(reply.payload)?["sid"] as? String else {
                throw TestSocketIOClientError.unexpected("CONNECT without sid: \(reply)")
            }
            self.state.withLockedValue { $0.sids[namespace] = sid }
            return sid
        case .connectError:
            throw TestSocketIOConnectError(namespace: namespace, payload: reply.payload)
        case .disconnect, .event, .ack, .binaryEvent, .binaryAck:
            throw TestSocketIOClientError.unexpected("answer to CONNECT \(namespace): \(reply)")
        }
    }

    /// The socket id the server gave for `namespace`, once joined.
    func sid(_ namespace: String = "/") -> String? {
        self.state.withLockedValue { $0.sids[namespace] }
    }

    /// Sends DISCONNECT for `namespace` (the client's `socket.disconnect()`).
    ///
    /// - Throws: An error if the connection is closed.
    func disconnect(namespace: String = "/") async throws {
        try await self.send(TestSocketIOPacket(kind: .disconnect, namespace: namespace))
    }

    // MARK: Sending

    /// Sends a packet: its text, then each attachment as a binary message.
    ///
    /// - Throws: An error if the connection is closed.
    func send(_ packet: TestSocketIOPacket) async throws {
        try await self.webSocket.send(text: "4" + packet.encodedText)
        for attachment in packet.attachments {
            try await self.webSocket.send(binary: attachment)
        }
    }

    /// Sends one Engine.IO text message exactly as given (`"4X"` is a message with a broken
    /// Socket.IO packet, `"3"` a pong).
    ///
    /// - Throws: An error if the connection is closed.
    func sendEngineText(_ text: String) async throws {
        try await self.webSocket.send(text: text)
    }

    /// Emits an event whose arguments are given as JSON text.
    ///
    /// - Parameters:
    ///   - event: The event name.
    ///   - argumentsJSON: The arguments after the name, comma-separated JSON (`#""a",1"#`);
    ///     attachments are referenced with `{"_placeholder":true,"num":n}`.
    ///   - attachments: Binary attachments; with any, the packet is sent as BINARY_EVENT.
    ///   - namespace: The namespace.
    ///   - ackID: The acknowledgement id to ask for, if any.
    /// - Throws: An error if the connection is closed.
    func emit(
        _ event: String,
        argumentsJSON: String,
        attachments: [[UInt8]] = [],
        namespace: String = "/",
        ackID: UInt64? = nil
    ) async throws {
        var payload = "[" + TestSocketIOPacket.jsonQuoted(event)
        if !argumentsJSON.isEmpty {
            payload += "," + argumentsJSON
        }
        payload += "]"
        try await self.send(
            TestSocketIOPacket(
                kind: attachments.isEmpty ? .event : .binaryEvent,
                namespace: namespace,
                ackID: ackID,
                payload: payload,
                attachments: attachments
            )
        )
    }

    /// Answers the server's event `id`, with arguments given as JSON text.
    ///
    /// - Parameters:
    ///   - id: The ack id the server's event carried.
    ///   - argumentsJSON: Comma-separated JSON arguments.
    ///   - attachments: Binary attachments; with any, the packet is sent as BINARY_ACK.
    ///   - namespace: The namespace.
    /// - Throws: An error if the connection is closed.
    func sendAck(_ id: UInt64, argumentsJSON: String, attachments: [[UInt8]] = [], namespace: String = "/") async throws {
        try await self.send(
            TestSocketIOPacket(
                kind: attachments.isEmpty ? .ack : .binaryAck,
                namespace: namespace,
                ackID: id,
                payload: "[" + argumentsJSON + "]",
                attachments: attachments
            )
        )
    }

    // MARK: Receiving

    /// The next thing the reader saw: a packet, a stray message, or the end.
    ///
    /// - Throws: ``TestClientError/timeout`` when nothing arrives in time.
    func next(timeout: Duration = .seconds(30)) async throws -> Incoming {
        let deadline = NIODeadline.now() + TimeAmount(timeout)
        let queue = self.queue
        return try await self.loop.flatSubmit {
            queue.value.next(deadline: deadline)
        }.get()
    }

    /// The next Socket.IO packet.
    ///
    /// - Throws: ``TestClientError/timeout``, ``TestSocketIOClientError/closed(code:)`` once the
    ///   connection is over, ``TestSocketIOClientError/unexpected(_:)`` for a stray message.
    func nextPacket(timeout: Duration = .seconds(30)) async throws -> TestSocketIOPacket {
        switch try await self.next(timeout: timeout) {
        case .packet(let packet): return packet
        case .unexpected(let text): throw TestSocketIOClientError.unexpected(text)
        case .closed(let code): throw TestSocketIOClientError.closed(code: code)
        }
    }

    /// Waits for the connection to end and returns the packets that came before the end.
    ///
    /// - Parameter timeout: Bound on the whole wait.
    /// - Returns: The packets received until the close, in order.
    /// - Throws: ``TestClientError/timeout`` if the connection is still open at the bound,
    ///   ``TestSocketIOClientError/unexpected(_:)`` for a stray message.
    func packetsUntilClose(timeout: Duration = .seconds(30)) async throws -> [TestSocketIOPacket] {
        let deadline = ContinuousClock.now + timeout
        var packets: [TestSocketIOPacket] = []
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw TestClientError.timeout }
            switch try await self.next(timeout: remaining) {
            case .packet(let packet): packets.append(packet)
            case .unexpected(let text): throw TestSocketIOClientError.unexpected(text)
            case .closed: return packets
            }
        }
    }

    // MARK: Heartbeat

    /// How many of the server's pings this client has answered.
    var pingsAnswered: Int {
        self.state.withLockedValue { $0.pingsAnswered }
    }

    /// Turns answering the server's pings on or off.
    func setAnswersPings(_ answers: Bool) {
        self.state.withLockedValue { $0.answersPings = answers }
    }

    // MARK: Closing

    /// Closes the WebSocket (a normal closure), as a client closing its tab would.
    func close() async {
        await self.webSocket.close()
    }

    // MARK: Reader

    /// Reads every message until the connection ends: answers pings, assembles packets with
    /// their attachments, and queues what the test should see.
    private func readLoop() async {
        var pending: (packet: TestSocketIOPacket, missing: Int)?
        while true {
            let message: TestWebSocketMessage
            do {
                message = try await self.webSocket.receive(timeout: .seconds(30))
            } catch TestClientError.timeout {
                continue
            } catch {
                self.finish(code: nil)
                return
            }
            switch message {
            case .closed(let code):
                self.finish(code: code)
                return

            case .binary(let bytes):
                guard var partial = pending else {
                    self.push(.unexpected("binary message with no packet waiting for it (\(bytes.count) bytes)"))
                    continue
                }
                partial.packet.attachments.append(bytes)
                partial.missing -= 1
                if partial.missing == 0 {
                    pending = nil
                    self.push(.packet(partial.packet))
                } else {
                    pending = partial
                }

            case .text(let text):
                if pending != nil {
                    self.push(.unexpected("text message while attachments were due: \(text)"))
                    pending = nil
                }
                switch text.first {
                case "2"?:
                    if self.state.withLockedValue({ $0.answersPings }) {
                        try? await self.webSocket.send(text: "3" + text.dropFirst())
                        self.state.withLockedValue { $0.pingsAnswered += 1 }
                    }
                case "6"?:
                    break  // noop
                case "4"?:
                    guard let (packet, missing) = TestSocketIOPacket.parseHeader(String(text.dropFirst())) else {
                        self.push(.unexpected(text))
                        continue
                    }
                    if missing > 0 {
                        pending = (packet, missing)
                    } else {
                        self.push(.packet(packet))
                    }
                default:
                    // "1" (engine close) is followed by the end of the stream; anything else is a
                    // protocol violation the test should see.
                    if text != "1" { self.push(.unexpected(text)) }
                }
            }
        }
    }

    private func push(_ incoming: Incoming) {
        let queue = self.queue
        self.loop.execute { queue.value.push(incoming) }
    }

    private func finish(code: UInt16?) {
        let queue = self.queue
        self.loop.execute { queue.value.finish(with: .closed(code: code)) }
    }

    /// A JSON object's top level, for the few fields this client itself reads (sid).
    static func jsonObject(_ text: String) -> [String: Any]? {
        guard let data = text.data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}
