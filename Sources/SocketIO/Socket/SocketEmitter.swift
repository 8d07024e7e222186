import EngineIO
import NIOCore

/// A socket with flags for the next emit (Node's `socket.timeout(…)`, `socket.volatile`,
/// `socket.compress(…)`), as an immutable value.
public struct SocketEmitter: Sendable {
    let socket: Socket
    var timeoutDuration: Duration?
    var isVolatile = false
    var compressFlag = true

    init(socket: Socket) {
        self.socket = socket
    }

    /// With a timeout for the acknowledgement.
    public func timeout(_ duration: Duration) -> SocketEmitter {
        var copy = self
        copy.timeoutDuration = duration
        return copy
    }

    /// Dropping the packet if the client cannot take it now.
    public var volatile: SocketEmitter {
        var copy = self
        copy.isVolatile = true
        return copy
    }

    /// With the compress flag (accepted without effect: no permessage-deflate).
    public func compress(_ compress: Bool) -> SocketEmitter {
        var copy = self
        copy.compressFlag = compress
        return copy
    }

    /// Emits an event.
    /// - Throws: ``SocketIOError`` for a reserved event name.
    public func emit(_ event: String, _ arguments: JSONValue...) throws {
        try emit(event, arguments)
    }

    /// Emits an event with an argument list.
    /// - Throws: ``SocketIOError`` for a reserved event name.
    public func emit(_ event: String, _ arguments: [JSONValue]) throws {
        try Self.checkName(event)
        let packet = SocketIOPacket.event(event, arguments, namespace: socket.namespace.name)
        if socket.server.options.connectionStateRecovery != nil, !isVolatile {
            // Through the adapter, so the packet gets an offset and can be replayed.
            socket.adapter.broadcast(packet, options: BroadcastOptions(rooms: [socket.id]))
            return
        }
        let socket = self.socket
        let volatile = isVolatile
        socket.onLoop { socket.sendEvent(packet, volatile: volatile) }
    }

    /// Emits an event and calls `ack` with the reply, or with an error on timeout or
    /// disconnection (Node's `socket.timeout(…).emit(event, …args, callback)`).
    ///
    /// The acknowledgement rule of this library, as Node's: a callback gets **every**
    /// argument of the reply, as Node's callback does; an `emitWithAck` resolves with the
    /// **first** argument (`.null` when the reply had none), and a broadcast's
    /// `emitWithAck` with one such first argument per client.
    /// - Throws: ``SocketIOError`` for a reserved event name.
    public func emit(_ event: String, _ arguments: [JSONValue], ack: @escaping @Sendable (Result<[JSONValue], SocketIOError>) -> Void) throws {
        try Self.checkName(event)
        let socket = self.socket
        let id = socket.namespace.nextAckID()
        let packet = SocketIOPacket.event(event, arguments, namespace: socket.namespace.name, ackId: id)
        let timeout = timeoutDuration
        let volatile = isVolatile
        socket.onLoop {
            guard socket.connected else {
                ack(.failure(.disconnected))
                return
            }
            socket.registerAck(id, timeout: timeout, callback: ack)
            socket.sendEvent(packet, volatile: volatile)
        }
    }

    /// Emits an event and waits for the reply (Node's `emitWithAck`).
    /// - Returns: the reply's first argument, `.null` when it had none (Node's promise
    ///   resolves with the first argument); use ``emit(_:_:ack:)`` for all of them.
    /// - Throws: ``SocketIOError`` on timeout, disconnection or a reserved name.
    public func emitWithAck(_ event: String, _ arguments: JSONValue...) async throws -> JSONValue {
        try await emitWithAck(event, arguments)
    }

    /// Emits an event with an argument list and waits for the reply.
    /// - Returns: the reply's first argument, `.null` when it had none (as Node).
    /// - Throws: ``SocketIOError`` on timeout, disconnection or a reserved name.
    public func emitWithAck(_ event: String, _ arguments: [JSONValue]) async throws -> JSONValue {
        try Self.checkName(event)
        return try await withCheckedThrowingContinuation { continuation in
            do {
                try emit(event, arguments) { result in continuation.resume(with: result.map { $0.first ?? .null }) }
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    static func checkName(_ event: String) throws {
        if SocketIOPacket.reservedEventNames.contains(event) { throw SocketIOError.reservedEventName(event) }
    }
}
