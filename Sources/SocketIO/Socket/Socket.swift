public import EngineIO
import Foundation
import NIOConcurrencyHelpers
public import NIOCore

/// A client's connection to one namespace (Node's `Socket`).
///
/// Its state lives on its client's event loop: events from the client reach the
/// handlers there, one at a time, in the order they were sent, with no lock held.
/// Every public method may be called from any thread.
public final class Socket: @unchecked Sendable {
    /// The socket's id, distinct from the engine connection's id.
    public let id: String
    /// The namespace the socket belongs to.
    public let namespace: Namespace
    /// The connection this socket shares with the client's other namespaces.
    public let client: Client
    /// The connection details.
    public let handshake: Handshake
    /// Whether the socket's session was restored by connection state recovery.
    public let recovered: Bool
    /// The private session id (connection state recovery), sent to the client on connect.
    let pid: String?

    struct Shared {
        var data: JSONValue = .null
        var connected = false
        var disconnected = false
        var dataListeners: [@Sendable (_ old: JSONValue, _ new: JSONValue) -> Void] = []
    }
    let shared = NIOLockedValueBox(Shared())
    let listeners = NIOLockedValueBox(SocketListeners())

    // Loop-confined.
    var acks: [UInt64: PendingAck] = [:]
    var nextAckID: UInt64 = 0
    var slowConsumerPolicy: SlowConsumerPolicy?
    /// Events waiting for an asynchronous packet middleware chain, in arrival order.
    var packetQueue = PacketQueue()

    struct PendingAck {
        let callback: @Sendable (Result<[JSONValue], SocketIOError>) -> Void
        let timer: Scheduled<Void>?
    }

    init(namespace: Namespace, client: Client, auth: JSONObject, restored: RestoredSession?) {
        self.namespace = namespace
        self.client = client
        self.handshake = Handshake(request: client.conn.request, auth: auth)
        if let restored {
            id = restored.session.sid
            pid = restored.session.pid
            recovered = true
            shared.withLockedValue { $0.data = restored.session.data }
        } else {
            id = SessionID.random()
            pid = namespace.server.options.connectionStateRecovery != nil ? SessionID.random() : nil
            recovered = false
        }
    }

    // MARK: State

    /// The engine connection (Node's `socket.conn`).
    public var conn: EngineSocket { client.conn }
    /// The first HTTP request of the connection (Node's `socket.request`).
    public var request: EngineRequest { client.conn.request }
    /// The event loop that runs this socket's handlers.
    public var eventLoop: any EventLoop { client.conn.eventLoop }
    /// The namespace's adapter.
    public var adapter: Adapter { namespace.adapter }
    /// The server.
    public var server: SocketIOServer { namespace.server }

    /// Arbitrary data attached to the socket (Node's `socket.data`); `fetchSockets` returns it.
    public var data: JSONValue {
        get { shared.withLockedValue { $0.data } }
        set {
            let (old, listeners) = shared.withLockedValue { shared in
                defer { shared.data = newValue }
                return (shared.data, shared.dataListeners)
            }
            for listener in listeners { listener(old, newValue) }
        }
    }

    /// Adds a listener called after every assignment to ``data``, with the old and the new
    /// value, on the assigning thread (what Node applications get by wrapping `socket.data`
    /// in a `Proxy`, as `@socket.io/admin-ui` does).
    public func onDataChange(_ listener: @escaping @Sendable (_ old: JSONValue, _ new: JSONValue) -> Void) {
        shared.withLockedValue { $0.dataListeners.append(listener) }
    }

    /// The rooms the socket is in; always contains its own id while connected.
    public var rooms: Set<String> { adapter.socketRooms(id) ?? [] }

    /// Whether the socket is connected to its namespace.
    public var connected: Bool { shared.withLockedValue { $0.connected } }
    /// Whether the socket has disconnected.
    public var disconnected: Bool { !connected }

    func onLoop(_ body: @escaping @Sendable () -> Void) {
        if eventLoop.inEventLoop { body() } else { eventLoop.execute(body) }
    }

    // MARK: Rooms

    /// Joins a room (Node's `socket.join`).
    public func join(_ room: String) { join([room]) }

    /// Joins several rooms.
    public func join(_ rooms: [String]) {
        adapter.addAll(id, rooms: Set(rooms))
    }

    /// Leaves a room (Node's `socket.leave`).
    public func leave(_ room: String) { leave([room]) }

    /// Leaves several rooms.
    public func leave(_ rooms: [String]) {
        for room in rooms { adapter.del(id, room: room) }
    }

    // MARK: Emitting

    /// Emits an event to this client (Node's `socket.emit`).
    /// - Throws: ``SocketIOError`` for a reserved event name.
    public func emit(_ event: String, _ arguments: JSONValue...) throws {
        try emitter.emit(event, arguments)
    }

    /// Emits an event with an argument list.
    /// - Throws: ``SocketIOError`` for a reserved event name.
    public func emit(_ event: String, _ arguments: [JSONValue]) throws {
        try emitter.emit(event, arguments)
    }

    /// Emits an event and calls `ack` with every argument of the client's reply, or with
    /// an error on timeout (set with ``timeout(_:)``) or disconnection (Node's
    /// `socket.emit(event, …args, callback)`).
    /// - Throws: ``SocketIOError`` for a reserved event name.
    public func emit(_ event: String, _ arguments: [JSONValue], ack: @escaping @Sendable (Result<[JSONValue], SocketIOError>) -> Void) throws {
        try emitter.emit(event, arguments, ack: ack)
    }

    /// Emits an `Encodable` value as the single argument.
    /// - Throws: ``SocketIOError`` for a reserved name, or the encoding error.
    public func emit<T: Encodable>(_ event: String, encoding value: T) throws {
        try emitter.emit(event, [JSONValue(encoding: value)])
    }

    /// Emits an event and waits for the client's reply (Node's `emitWithAck`).
    /// - Returns: the reply's first argument, `.null` when it had none, as Node's promise;
    ///   the callback form ``emit(_:_:ack:)`` gets every argument.
    /// - Throws: ``SocketIOError`` on timeout, disconnection, or a reserved name.
    public func emitWithAck(_ event: String, _ arguments: JSONValue...) async throws -> JSONValue {
        try await emitter.emitWithAck(event, arguments)
    }

    /// Sends a `message` event (Node's `socket.send`).
    public func send(_ arguments: JSONValue...) {
        try? emitter.emit("message", arguments)
    }

    /// Sends a `message` event and calls `ack` with every argument of the client's reply
    /// (Node's `socket.send(...args, callback)`).
    public func send(_ arguments: [JSONValue], ack: @escaping @Sendable (Result<[JSONValue], SocketIOError>) -> Void) {
        try? emitter.emit("message", arguments, ack: ack)
    }

    /// This socket with a timeout for the acknowledgement of the next emit.
    public func timeout(_ duration: Duration) -> SocketEmitter { emitter.timeout(duration) }
    /// This socket, dropping the next packet if the client cannot take it now.
    public var volatile: SocketEmitter { emitter.volatile }
    /// This socket with the compress flag (accepted without effect).
    public func compress(_ compress: Bool) -> SocketEmitter { emitter.compress(compress) }

    var emitter: SocketEmitter { SocketEmitter(socket: self) }

    // MARK: Broadcasting from this socket (the socket itself is left out)

    /// Every other socket in `room` (Node's `socket.to`).
    public func to(_ room: String) -> BroadcastOperator { broadcast.to(room) }
    /// Every other socket in these rooms.
    public func to(_ rooms: [String]) -> BroadcastOperator { broadcast.to(rooms) }
    /// Synonym of ``to(_:)-swift.method`` (Node's `socket.in`).
    public func `in`(_ room: String) -> BroadcastOperator { broadcast.to(room) }
    /// Every other socket in these rooms (Node's `socket.in([...])`).
    public func `in`(_ rooms: [String]) -> BroadcastOperator { broadcast.to(rooms) }
    /// Every other socket except those in `room`.
    public func except(_ room: String) -> BroadcastOperator { broadcast.except(room) }
    /// Every other socket except those in these rooms.
    public func except(_ rooms: [String]) -> BroadcastOperator { broadcast.except(rooms) }
    /// Every other socket of the namespace (Node's `socket.broadcast`).
    public var broadcast: BroadcastOperator {
        var flags = BroadcastFlags()
        flags.broadcast = true
        return BroadcastOperator(namespace: namespace, rooms: [], except: [id], flags: flags)
    }

    // MARK: Disconnecting

    /// Leaves the namespace (Node's `socket.disconnect`); with `close`, ends the whole
    /// connection and every namespace on it.
    public func disconnect(close: Bool = false) {
        onLoop { [self] in
            guard connected else { return }
            if close {
                client.disconnectAll()
            } else {
                client.send(SocketIOPacket.disconnect(namespace: namespace.name))
                onClose(.serverNamespaceDisconnect, description: nil)
            }
        }
    }
}
