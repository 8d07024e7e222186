public import NIOHTTP1

/// A request middleware (Node's `engine.use`): runs before the engine handles any of its
/// requests, polling and WebSocket alike.
///
/// Return `.next` to go on; `.respond` to answer the request yourself (a WebSocket
/// request is then refused with that status). Throwing refuses the request with 400,
/// code 3 (Node answers a middleware error the same way). `headers` are added to the
/// engine's response when the request goes on.
public typealias EngineMiddleware = @Sendable (_ request: EngineRequest, _ headers: inout HTTPHeaders) async throws -> EngineMiddlewareResult

/// What a middleware decided.
public enum EngineMiddlewareResult: Sendable {
    /// Continue with the next middleware, then the engine.
    case next
    /// Answer the request now with this status, headers and body.
    case respond(status: HTTPResponseStatus, headers: HTTPHeaders = [:], body: String = "")
}
