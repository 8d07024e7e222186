import EngineIOClient
public import EngineIOParser
public import EngineIOTimers
public import Logging
public import NIOCore
import NIOPosix
public import NIOSSL
public import SocketIOParser

/// What a socket sends in its CONNECT packet (`auth` of `socket.io-client`): a fixed object,
/// or a closure asked again before every connection attempt.
public enum SocketAuth: Sendable {
    /// The same object every time.
    case object(JSONObject)
    /// A closure called before each CONNECT (each reconnection gets a fresh value).
    case provider(@Sendable () -> JSONObject?)
    /// An asynchronous closure called before each CONNECT (a token refresh, say).
    case asyncProvider(@Sendable () async -> JSONObject?)
}

/// The options of ``Manager`` and its sockets, named and defaulted as the `ManagerOptions`
/// and `SocketOptions` of `socket.io-client` 4.x.
public struct SocketIOClientOptions: Sendable {
    // MARK: Engine

    /// The server's path (`/socket.io/`).
    public var path: String = "/socket.io/"
    /// Extra query parameters for every request.
    public var query: [String: String] = [:]
    /// Extra HTTP headers for every request and the WebSocket handshake.
    public var extraHeaders: [String: String] = [:]
    /// The transports, in order (polling first, then the upgrade, by default).
    public var transports: [EngineTransportKind] = [.polling, .websocket]
    /// Whether to upgrade from polling to WebSocket.
    public var upgrade: Bool = true
    /// Start with WebSocket once one succeeded in this process.
    public var rememberUpgrade: Bool = false
    /// Add a `t` parameter to polling requests.
    public var timestampRequests: Bool = true
    /// TLS for `https`/`wss`; `nil` means the system's defaults.
    public var tlsConfiguration: TLSConfiguration?

    // MARK: Manager

    /// How long a connection may take to open before it counts as failed; `nil` waits forever.
    public var timeout: Duration? = .seconds(20)
    /// Whether to reconnect after the connection is lost.
    public var reconnection: Bool = true
    /// How many reconnection attempts before `reconnect_failed`.
    public var reconnectionAttempts: Int = .max
    /// The first reconnection delay; it doubles with each attempt.
    public var reconnectionDelay: Duration = .seconds(1)
    /// The longest reconnection delay.
    public var reconnectionDelayMax: Duration = .seconds(5)
    /// The jitter: each delay moves by up to this fraction, either way.
    public var randomizationFactor: Double = 0.5
    /// Create a new Manager instead of sharing one for the same server (``io(_:_:)``).
    public var forceNew: Bool = false
    /// Share one Manager per server in ``io(_:_:)`` (`false` is the same as `forceNew`).
    public var multiplex: Bool = true
    /// The wire format of packets, which must be the server's: ``SocketIOPacketParser/default``
    /// or ``SocketIOPacketParser/msgpack`` (the `parser` option of `socket.io-client`).
    public var parser: SocketIOPacketParser = .default

    // MARK: Socket

    /// What the socket sends in its CONNECT packet.
    public var auth: SocketAuth?
    /// The default timeout of acknowledgements; `nil` waits forever (per emit: `timeout(_:)`).
    public var ackTimeout: Duration?
    /// How many times to resend an event whose ack timed out (with ``ackTimeout``); above 0,
    /// every emit gets an ack and the emits go out one at a time, in order, each once
    /// acknowledged or out of tries (`retries` of `socket.io-client`).
    public var retries: Int = 0
    /// Whether ``io(_:_:)`` connects the socket at once.
    public var autoConnect: Bool = true

    // MARK: Runtime

    /// The event loops to pick the Manager's loop from.
    public var eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    /// Where every timer comes from (heartbeat, open timeout, backoff, ack timeouts).
    public var timers: any TimerSource = EventLoopTimerSource()
    /// Where the Manager and its connection log (debug: open, close and its reason, upgrade,
    /// reconnection attempts, parse errors).
    public var logger = Logger(label: "socket.io-client")
    /// The random numbers (in 0..<1) the reconnection jitter uses.
    public var random: @Sendable () -> Double = { Double.random(in: 0..<1) }

    /// Creates options with `socket.io-client`'s defaults.
    public init() {}

    /// The engine's share of the options.
    var engineOptions: EngineClientOptions {
        var engine = EngineClientOptions()
        engine.path = path
        engine.query = query
        engine.extraHeaders = extraHeaders
        engine.transports = transports
        engine.upgrade = upgrade
        engine.rememberUpgrade = rememberUpgrade
        engine.timestampRequests = timestampRequests
        engine.tlsConfiguration = tlsConfiguration
        engine.timers = timers
        engine.logger = logger
        return engine
    }
}
