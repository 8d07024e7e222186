import NIOCore
import NIOHTTP1

/// What the WebSocket upgrader decided for the request it last saw on a connection,
/// shared with the HTTP handler of the same connection (both run on its event loop).
final class UpgradeContext {
    enum Accepted {
        /// A new session opened directly over WebSocket.
        case handshake(sid: String, request: EngineRequest)
        /// An existing polling session that wants to move to WebSocket.
        case upgrade(EngineSocket)
    }

    enum Refusal {
        case error(EngineRequestError)
        case respond(HTTPResponseStatus, HTTPHeaders, String)
    }

    /// Whether a TLS handler in front of the engine completed its handshake on this
    /// connection (the engine's HTTP handler sees NIO's `TLSUserEvent`).
    var secure = false
    /// The engine whose path the upgrade request is for.
    var engine: EngineServer?
    var accepted: Accepted?
    /// Set when the upgrader refused: the request then reaches the HTTP handler, which
    /// answers it with this instead of checking it a second time.
    var refusal: Refusal?

    /// Whether a request head has passed NIO's upgrade handler on this connection. That
    /// handler looks at the first request only and then leaves; clients (aiohttp, for one)
    /// reuse a keep-alive connection that carried polling requests for the WebSocket upgrade.
    var firstRequestSeen = false
    /// Set while a later upgrade request is handed to a fresh upgrade handler: if it
    /// declines, the head comes back to the HTTP handler, which then answers it.
    var replayingUpgrade = false
    /// Adds a fresh upgrade handler where NIO put the first one and returns it with its
    /// context (set up with the pipeline; dropped at upgrade and at close).
    var installUpgrader: (() throws -> (HTTPServerUpgradeHandler, ChannelHandlerContext))?
}
