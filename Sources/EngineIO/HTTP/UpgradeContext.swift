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

    /// The engine whose path the upgrade request is for.
    var engine: EngineServer?
    var accepted: Accepted?
    /// Set when the upgrader refused: the request then reaches the HTTP handler, which
    /// answers it with this instead of checking it a second time.
    var refusal: Refusal?

    /// Whether NIO's upgrade handler is in the pipeline. It looks at one request only and
    /// then leaves, but clients (aiohttp, for one) reuse a keep-alive connection that
    /// carried polling requests for the WebSocket upgrade: so it is put back after each request.
    var upgraderInstalled = true
    /// Puts a fresh upgrade handler back in its place (set up with the pipeline).
    var installUpgrader: (() throws -> Void)?

    /// Puts the upgrade handler back if the last request made it leave.
    func reinstallUpgraderIfNeeded() {
        guard !upgraderInstalled, let installUpgrader else { return }
        upgraderInstalled = true
        do { try installUpgrader() } catch { upgraderInstalled = false }
    }
}
