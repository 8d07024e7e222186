public import SocketIOParser

/// A socket with flags for the next emit (`socket.timeout(…)`, `socket.volatile`): an
/// immutable value, so flags never leak into other emits.
public struct ClientSocketEmitter: Sendable {
    let socket: ClientSocket
    var ackTimeout: Duration?
    var isVolatile = false

    /// Fails the acknowledgement with a timeout after `duration` (`socket.timeout(ms)`).
    public func timeout(_ duration: Duration) -> ClientSocketEmitter {
        var copy = self
        copy.ackTimeout = duration
        return copy
    }

    /// Drops the event unless it can be written now (`socket.volatile`).
    public var volatile: ClientSocketEmitter {
        var copy = self
        copy.isVolatile = true
        return copy
    }

    /// Emits `event` (`socket.emit`).
    /// - Throws: ``SocketIOClientError`` with code ``SocketIOClientError/Code/reservedEvent``
    ///   for `connect`, `disconnect` and the other reserved names.
    public func emit(_ event: String, _ arguments: JSONValue...) throws {
        try emit(event, arguments)
    }

    /// Emits `event` with an argument array.
    /// - Throws: ``SocketIOClientError`` for a reserved name.
    public func emit(_ event: String, _ arguments: [JSONValue]) throws {
        try Self.check(event)
        let (socket, volatile, timeout) = (socket, isVolatile, ackTimeout)
        socket.io.onLoop { socket.emitOnLoop(event, arguments, volatile: volatile, timeout: timeout, ack: nil) }
    }

    /// Emits `event` and calls `ack` with the server's reply, or with an error after the
    /// timeout or when the socket disconnected first (`socket.emit(…, callback)`).
    /// - Throws: ``SocketIOClientError`` for a reserved name.
    public func emit(
        _ event: String,
        _ arguments: [JSONValue],
        ack: @escaping @Sendable (Result<[JSONValue], SocketIOClientError>) -> Void
    ) throws {
        try Self.check(event)
        let (socket, volatile, timeout) = (socket, isVolatile, ackTimeout)
        socket.io.onLoop { socket.emitOnLoop(event, arguments, volatile: volatile, timeout: timeout, ack: ack) }
    }

    /// Emits `event` and waits for the reply (`socket.emitWithAck`).
    /// - Returns: the reply's arguments.
    /// - Throws: ``SocketIOClientError``: a reserved name, a timeout, a disconnection.
    public func emitWithAck(_ event: String, _ arguments: JSONValue...) async throws -> [JSONValue] {
        try await emitWithAck(event, arguments)
    }

    /// Emits `event` with an argument array and waits for the reply.
    /// - Returns: the reply's arguments.
    /// - Throws: ``SocketIOClientError``: a reserved name, a timeout, a disconnection.
    public func emitWithAck(_ event: String, _ arguments: [JSONValue]) async throws -> [JSONValue] {
        try Self.check(event)
        return try await withCheckedThrowingContinuation { continuation in
            do {
                try emit(event, arguments) { result in continuation.resume(with: result) }
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    /// Emits one `Encodable` value.
    /// - Throws: ``SocketIOClientError`` for a reserved name or a value that does not encode.
    public func emit<T: Encodable>(_ event: String, encoding value: T) throws {
        try emit(event, [Self.encode(value)])
    }

    /// Emits one `Encodable` value and decodes the reply's first argument as `R`.
    /// - Returns: the decoded reply.
    /// - Throws: ``SocketIOClientError``, or a `DecodingError` when the reply does not fit `R`.
    public func emitWithAck<T: Encodable, R: Decodable>(_ event: String, encoding value: T, as type: R.Type) async throws -> R {
        let reply = try await emitWithAck(event, [Self.encode(value)])
        return try (reply.first ?? .null).decode(R.self)
    }

    private static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        do {
            return try JSONValue(encoding: value)
        } catch {
            throw SocketIOClientError(.encoding, "\(error)")
        }
    }

    private static func check(_ event: String) throws {
        if SocketIOPacket.reservedEventNames.contains(event) {
            throw SocketIOClientError(.reservedEvent, "\"\(event)\" is a reserved event name")
        }
    }
}

extension ClientSocket {
    private var emitter: ClientSocketEmitter { ClientSocketEmitter(socket: self) }

    /// An emitter whose acknowledgements time out after `duration` (`socket.timeout(ms)`).
    public func timeout(_ duration: Duration) -> ClientSocketEmitter { emitter.timeout(duration) }

    /// An emitter that drops events it cannot write now (`socket.volatile`).
    public var volatile: ClientSocketEmitter { emitter.volatile }

    /// Emits `event` (`socket.emit`); buffered while disconnected.
    /// - Throws: ``SocketIOClientError`` for a reserved name.
    public func emit(_ event: String, _ arguments: JSONValue...) throws { try emitter.emit(event, arguments) }

    /// Emits `event` with an argument array.
    /// - Throws: ``SocketIOClientError`` for a reserved name.
    public func emit(_ event: String, _ arguments: [JSONValue]) throws { try emitter.emit(event, arguments) }

    /// Emits `event` and calls `ack` with the reply or an error.
    /// - Throws: ``SocketIOClientError`` for a reserved name.
    public func emit(
        _ event: String,
        _ arguments: [JSONValue],
        ack: @escaping @Sendable (Result<[JSONValue], SocketIOClientError>) -> Void
    ) throws {
        try emitter.emit(event, arguments, ack: ack)
    }

    /// Emits one `Encodable` value.
    /// - Throws: ``SocketIOClientError`` for a reserved name or a value that does not encode.
    public func emit<T: Encodable>(_ event: String, encoding value: T) throws { try emitter.emit(event, encoding: value) }

    /// Emits `event` and waits for the reply (`socket.emitWithAck`), within the
    /// ``SocketIOClientOptions/ackTimeout`` if one is set.
    /// - Returns: the reply's arguments.
    /// - Throws: ``SocketIOClientError``: a reserved name, a timeout, a disconnection.
    public func emitWithAck(_ event: String, _ arguments: JSONValue...) async throws -> [JSONValue] {
        try await emitter.emitWithAck(event, arguments)
    }

    /// Emits `event` with an argument array and waits for the reply.
    /// - Returns: the reply's arguments.
    /// - Throws: ``SocketIOClientError``.
    public func emitWithAck(_ event: String, _ arguments: [JSONValue]) async throws -> [JSONValue] {
        try await emitter.emitWithAck(event, arguments)
    }

    /// Emits one `Encodable` value and decodes the reply's first argument.
    /// - Returns: the decoded reply.
    /// - Throws: ``SocketIOClientError`` or a `DecodingError`.
    public func emitWithAck<T: Encodable, R: Decodable>(_ event: String, encoding value: T, as type: R.Type) async throws -> R {
        try await emitter.emitWithAck(event, encoding: value, as: type)
    }

    /// Emits a `message` event (`socket.send`).
    public func send(_ arguments: JSONValue...) {
        try? emitter.emit("message", arguments)
    }
}
