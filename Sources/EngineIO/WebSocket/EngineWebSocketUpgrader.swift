import NIOCore
import NIOHTTP1

/// The WebSocket handshake (RFC 6455 §4.2) for the engine's path.
///
/// The engine has its own upgrader rather than NIO's so it decides where the frame
/// handlers go: right where its HTTP handler was, in front of anything an application
/// added after the engine, which must never see WebSocket bytes.
struct EngineWebSocketUpgrader: HTTPServerProtocolUpgrader, Sendable {
    /// Raised when the engine declines an upgrade; the request then reaches the HTTP
    /// handler, which answers it.
    struct Declined: Error {}

    let supportedProtocol = "websocket"
    // NIO would also demand these names in the `Connection` header; they are checked below instead.
    let requiredUpgradeHeaders: [String] = []

    /// Decides on the request: extra response headers to accept, `nil` to decline.
    let decide: @Sendable (any Channel, HTTPRequestHead) -> EventLoopFuture<HTTPHeaders?>
    /// Installs the WebSocket handlers once the 101 is out.
    let install: @Sendable (any Channel) throws -> Void

    private static let magicGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    func buildUpgradeResponse(channel: any Channel, upgradeRequest: HTTPRequestHead, initialResponseHeaders: HTTPHeaders) -> EventLoopFuture<HTTPHeaders> {
        let keys = upgradeRequest.headers[canonicalForm: "sec-websocket-key"]
        let versions = upgradeRequest.headers[canonicalForm: "sec-websocket-version"]
        guard keys.count == 1, let key = keys.first, !key.isEmpty, versions == ["13"],
              !Self.announcesBody(upgradeRequest.headers)
        else {
            return channel.eventLoop.makeFailedFuture(Declined())
        }
        return decide(channel, upgradeRequest).flatMapThrowing { extra in
            guard let extra else { throw Declined() }
            var headers = initialResponseHeaders
            headers.add(contentsOf: extra)
            headers.replaceOrAdd(name: "Upgrade", value: "websocket")
            headers.replaceOrAdd(name: "Connection", value: "Upgrade")
            headers.replaceOrAdd(name: "Sec-WebSocket-Accept", value: Self.acceptValue(forKey: String(key)))
            return headers
        }
    }

    func upgrade(context: ChannelHandlerContext, upgradeRequest: HTTPRequestHead) -> EventLoopFuture<Void> {
        let channel = context.channel
        return context.eventLoop.makeCompletedFuture { try install(channel) }
    }

    /// Whether the request says a body follows. A WebSocket handshake is a GET without one
    /// (RFC 6455 §4.1), and accepting one that has a body would leave NIO's upgrade handler
    /// waiting for the body's end with the upgrade it was handed: if the body never ends (a
    /// broken `Transfer-Encoding`, a client that hangs up), that handler keeps itself and the
    /// whole connection alive for ever — about 8.7 KB a connection, found by the fuzzer.
    static func announcesBody(_ headers: HTTPHeaders) -> Bool {
        if headers.contains(name: "transfer-encoding") { return true }
        return headers[canonicalForm: "content-length"].contains { $0 != "0" }
    }

    static func acceptValue(forKey key: String) -> String {
        var encoded = ByteBuffer()
        Base64.encode(ByteBuffer(bytes: SHA1.hash(Array((key + magicGUID).utf8))), into: &encoded)
        return String(buffer: encoded)
    }
}
