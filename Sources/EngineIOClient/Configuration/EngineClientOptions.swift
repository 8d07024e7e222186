public import EngineIOParser
public import EngineIOTimers
public import Logging
public import NIOSSL

/// The options of an Engine.IO client connection, named and defaulted as the
/// `SocketOptions` of Node's `engine.io-client`.
public struct EngineClientOptions: Sendable {
    /// The server's Engine.IO path (`/engine.io/`; Socket.IO uses `/socket.io/`).
    public var path: String = "/engine.io/"
    /// Extra query parameters sent with every request.
    public var query: [String: String] = [:]
    /// Extra HTTP headers sent with every request and with the WebSocket handshake.
    public var extraHeaders: [String: String] = [:]
    /// The transports to use, in order: the first one opens the connection.
    public var transports: [EngineTransportKind] = [.polling, .websocket]
    /// Whether to try upgrading from polling to WebSocket when the server offers it.
    public var upgrade: Bool = true
    /// Start with WebSocket once a WebSocket upgrade succeeded in this process
    /// (`rememberUpgrade`, with Node's process-wide memory).
    public var rememberUpgrade: Bool = false
    /// Add a `t` parameter to every request so that no cache answers it.
    public var timestampRequests: Bool = true
    /// TLS for `https`/`wss` URLs; `nil` means the system's defaults (full verification).
    public var tlsConfiguration: TLSConfiguration?
    /// The largest WebSocket frame accepted from the server.
    public var maxFrameSize: Int = 1 << 24
    /// The largest polling response accepted from the server.
    public var maxPayloadSize: Int = 1 << 24
    /// Where the client's timers come from: the event loop's, or a clock a test moves.
    public var timers: any TimerSource = EventLoopTimerSource()
    /// Where the connection logs its handshake, upgrade and close (with `sid` metadata).
    public var logger = Logger(label: "engine.io-client")

    /// Creates options with `engine.io-client`'s defaults.
    public init() {}
}
