import EngineIOParser
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// What a transport tells the client that owns it; called on the client's event loop.
protocol EngineClientTransportDelegate: AnyObject {
    func transportDidOpen(_ transport: any EngineClientTransport)
    func transport(_ transport: any EngineClientTransport, didReceive packet: EnginePacket)
    func transportDidDrain(_ transport: any EngineClientTransport)
    func transport(_ transport: any EngineClientTransport, didCloseWith reason: EngineClientCloseReason, error: (any Error)?)
}

/// One way of carrying Engine.IO packets (`engine.io-client`'s `Transport`). Confined to the
/// event loop of the client that owns it.
protocol EngineClientTransport: AnyObject {
    var kind: EngineTransportKind { get }
    /// The session id, once the open packet named it.
    var sid: String? { get set }
    /// Whether ``send(_:)`` may be called now.
    var writable: Bool { get }
    var delegate: (any EngineClientTransportDelegate)? { get set }

    func open()
    func send(_ packets: [EnginePacket])
    /// Stops reading and writing once what is in flight has completed, then calls `done`
    /// (the polling side of an upgrade).
    func pause(_ done: @escaping () -> Void)
    /// Closes the session politely (polling sends a close packet).
    func close()
    /// Drops the connections without a word, and without calling the delegate again.
    func discard()
}

/// What transports share: where to connect and how to open a channel there.
struct EngineClientEndpoint {
    let url: EngineClientURL
    let options: EngineClientOptions
    let eventLoop: any EventLoop
    let sslContext: NIOSSLContext?

    /// The request target for `transport`, with the protocol's parameters.
    func requestTarget(_ transport: EngineTransportKind, sid: String?) -> String {
        var path = options.path
        if !path.hasPrefix("/") { path = "/" + path }
        var target = path + "?EIO=4&transport=" + transport.rawValue
        if let sid { target += "&sid=" + percentEncoded(sid) }
        if options.timestampRequests, transport == .polling {
            target += "&t=" + Self.timestamp()
        }
        var query = url.query
        for (name, value) in options.query { query[name] = value }
        for name in query.keys.sorted() where !["EIO", "transport", "sid", "t"].contains(name) {
            target += "&" + percentEncoded(name) + "=" + percentEncoded(query[name]!)
        }
        return target
    }

    /// The headers every request carries.
    func headers() -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: url.hostHeader)
        for (name, value) in options.extraHeaders.sorted(by: { $0.key < $1.key }) {
            headers.add(name: name, value: value)
        }
        return headers
    }

    /// Connects a channel on the client's loop, with TLS first when the URL asks for it.
    func connect(_ initializer: @escaping @Sendable (any Channel) throws -> Void) -> EventLoopFuture<any Channel> {
        let sslContext = self.sslContext
        let host = url.host
        return ClientBootstrap(group: eventLoop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(20))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        let isAddress = host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" }
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: sslContext, serverHostname: isAddress ? nil : host)
                        )
                    }
                    try initializer(channel)
                }
            }
            .connect(host: host, port: url.port)
    }

    private static let timestampAlphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_")
    private static let counter = TimestampCounter()

    /// A short unique value, as `yeast()` makes them.
    private static func timestamp() -> String {
        var value = counter.next()
        var out: [Character] = []
        repeat {
            out.append(timestampAlphabet[Int(value % 64)])
            value /= 64
        } while value > 0
        return String(out.reversed())
    }
}

/// A process-wide counter from a random start, so request targets never repeat.
private final class TimestampCounter: Sendable {
    private let value = Atomic<UInt64>(UInt64.random(in: 0..<(1 << 40)))

    func next() -> UInt64 { value.wrappingAdd(1, ordering: .relaxed).newValue }
}
