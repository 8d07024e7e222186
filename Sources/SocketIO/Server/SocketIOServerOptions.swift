/// The options of a Socket.IO server, named and defaulted as Node's `ServerOptions`.
public struct SocketIOServerOptions: Sendable {
    /// The engine's options. Its `path` defaults to `/socket.io/` here.
    public var engine: EngineOptions
    /// How long a new connection may take to join a namespace before it is closed.
    public var connectTimeout: Duration = .seconds(45)
    /// Remove a dynamic namespace's child once its last socket left.
    public var cleanupEmptyChildNamespaces = false
    /// Connection state recovery; `nil` turns it off (Node's default).
    public var connectionStateRecovery: ConnectionStateRecoveryOptions?
    /// Makes the adapter of each namespace; the in-memory ``Adapter`` by default.
    public var adapter: @Sendable (Namespace) -> Adapter = { Adapter(namespace: $0) }
    /// The largest number of binary attachments one packet may carry.
    public var maxAttachments = 10
    /// The deepest JSON nesting a packet may carry.
    public var maxJSONDepth = 32
    /// The wire format of packets: ``SocketIOPacketParser/default`` (`socket.io-parser`) or
    /// ``SocketIOPacketParser/msgpack`` (`socket.io-msgpack-parser`). Clients must use the
    /// same one; a client on the other is disconnected with `parse error`. Mirrors Node's
    /// `parser` option.
    public var parser: SocketIOPacketParser = .default

    /// Creates options with Node's defaults.
    public init() {
        engine = EngineOptions()
        engine.path = "/socket.io/"
    }
}

/// Connection state recovery (Node's `connectionStateRecovery`).
public struct ConnectionStateRecoveryOptions: Sendable {
    /// How long a disconnected session is kept for the client to come back.
    public var maxDisconnectionDuration: Duration = .seconds(120)
    /// Whether middlewares are skipped when a session is recovered.
    public var skipMiddlewares = true

    /// Creates recovery options with Node's defaults.
    public init(maxDisconnectionDuration: Duration = .seconds(120), skipMiddlewares: Bool = true) {
        self.maxDisconnectionDuration = maxDisconnectionDuration
        self.skipMiddlewares = skipMiddlewares
    }
}
