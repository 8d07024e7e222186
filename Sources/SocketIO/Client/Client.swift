public import EngineIO
import NIOCore

/// One engine connection, shared by the client's namespaces (Node's `Client`): decodes
/// packets, routes them by namespace, and writes what the sockets send.
///
/// Confined to its connection's event loop.
public final class Client: @unchecked Sendable {
    /// The engine connection (Node's `client.conn`).
    public let conn: EngineSocket
    /// The request that opened the connection (Node's `client.request`).
    public var request: EngineRequest { conn.request }
    unowned let server: SocketIOServer

    private var decoder: SocketIOMessageDecoder
    private var socketsByNamespace: [String: Socket] = [:]
    private var connectTimer: Scheduled<Void>?
    private var closed = false
    private let parser: SocketIOPacketParser

    init(server: SocketIOServer, conn: EngineSocket) {
        self.server = server
        self.conn = conn
        parser = server.options.parser
        decoder = parser.makeDecoder(maxAttachments: server.options.maxAttachments, maxDepth: server.options.maxJSONDepth)
    }

    /// Starts listening to the connection (on its loop).
    func start() {
        conn.onMessage { [self] message in onMessage(message) }
        conn.onClose { [self] reason, description in onClose(DisconnectReason(engineReason: reason), description: description) }
        connectTimer = server.options.engine.timers.scheduleTask(on: conn.eventLoop, in: server.options.connectTimeout) { [weak self] in
            guard let self, self.socketsByNamespace.isEmpty else { return }
            self.close()
        }
    }

    var isOpen: Bool { !closed && conn.state == .open }

    /// The sockets of this connection, by namespace name (on the loop).
    public var sockets: [String: Socket] {
        conn.eventLoop.assertInEventLoop()
        return socketsByNamespace
    }

    func onLoop(_ body: @escaping @Sendable () -> Void) {
        if conn.eventLoop.inEventLoop { body() } else { conn.eventLoop.execute(body) }
    }

    // MARK: Incoming

    private func onMessage(_ message: EngineMessage) {
        do {
            let packet: SocketIOPacket?
            switch message {
            case .text(let buffer): packet = try decoder.receive(text: buffer)
            case .binary(let buffer): packet = try decoder.receive(binary: buffer)
            }
            if let packet { onDecoded(packet) }
        } catch {
            onParseError(error)
        }
    }

    private func onDecoded(_ packet: SocketIOPacket) {
        let socket = socketsByNamespace[packet.namespace]
        if socket == nil, packet.type == .connect {
            connect(packet.namespace, auth: packet.data?.objectValue ?? JSONObject())
        } else if let socket, packet.type != .connect, packet.type != .connectError {
            socket.onPacket(packet)
        } else {
            // A second CONNECT to the same namespace, or a packet for a namespace the
            // client never joined: the official server closes the connection.
            close()
        }
    }

    private func connect(_ name: String, auth: JSONObject) {
        if let namespace = server.namespace(named: name) {
            namespace.add(self, auth: auth)
            return
        }
        Task {
            let namespace = await server.dynamicNamespace(named: name, auth: auth)
            onLoop { [self] in
                if let namespace {
                    namespace.add(self, auth: auth)
                } else {
                    send(SocketIOPacket.connectError(message: "Invalid namespace", namespace: name))
                }
            }
        }
    }

    private func onParseError(_ error: any Error) {
        for socket in socketsByNamespace.values { socket.emitError(error) }
        onClose(.parseError, description: "\(error)")
        conn.close()
    }

    // MARK: Sockets

    func register(_ socket: Socket) {
        socketsByNamespace[socket.namespace.name] = socket
        connectTimer?.cancel()
        connectTimer = nil
    }

    func unregister(_ socket: Socket) {
        if socketsByNamespace[socket.namespace.name] === socket {
            socketsByNamespace[socket.namespace.name] = nil
        }
    }

    // MARK: Outgoing

    /// Encodes `packet` into ready engine packets: with the default parser the text
    /// (written behind Engine.IO's message digit in one buffer), then each attachment as a
    /// binary message; with msgpack one binary message.
    static func enginePackets(_ packet: SocketIOPacket, parser: SocketIOPacketParser) -> [EnginePacket]? {
        switch try? parser.encode(packet, textPrefix: EnginePacketType.message.rawValue) {
        case .text(let encoded)?:
            guard let text = try? EnginePacket.message(prefixedText: encoded.text) else { return nil }
            var packets = [text]
            for attachment in encoded.attachments { packets.append(.message(.binary(attachment))) }
            return packets
        case .binary(let message)?:
            return [.message(.binary(message))]
        case nil:
            return nil
        }
    }

    /// Encodes and sends one packet (on the loop).
    func send(_ packet: SocketIOPacket) {
        guard let packets = Self.enginePackets(packet, parser: parser) else { return }
        write(packets)
    }

    /// Encodes and sends one packet from any thread.
    func sendFromAnyThread(_ packet: SocketIOPacket) {
        if conn.eventLoop.inEventLoop {
            send(packet)
        } else {
            conn.eventLoop.execute { [self] in send(packet) }
        }
    }

    /// Writes pre-encoded packets (on the loop).
    func write(_ packets: [EnginePacket]) {
        guard !closed else { return }
        conn.send(packets: packets)
    }

    // MARK: Closing

    /// Disconnects every namespace, then closes the connection (`disconnect(true)`).
    func disconnectAll() {
        for socket in socketsByNamespace.values {
            send(SocketIOPacket.disconnect(namespace: socket.namespace.name))
            socket.onClose(.serverNamespaceDisconnect, description: nil)
        }
        close()
    }

    /// Closes the connection (Node's `client.close`): sockets still here get
    /// `forced server close`.
    func close() {
        guard !closed else { return }
        onClose(.forcedServerClose, description: nil)
        conn.close()
    }

    /// The connection ended: every socket leaves with `reason`.
    func onClose(_ reason: DisconnectReason, description: String?) {
        onLoop { [self] in
            guard !closed else { return }
            closed = true
            connectTimer?.cancel()
            connectTimer = nil
            for socket in socketsByNamespace.values { socket.onClose(reason, description: description) }
            socketsByNamespace.removeAll()
            decoder.reset()
        }
    }
}
