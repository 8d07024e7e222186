public import HummingbirdCore
public import Logging
public import NIOCore
public import NIOHTTPTypes
import NIOHTTPTypesHTTP1
public import SocketIO

/// Hummingbird's HTTP/1.1 child channel with Socket.IO in front: requests for the Socket.IO
/// path (long-polling and the WebSocket upgrade) are served by the engine, every other
/// request goes on to the application's router, on the same connection, port and event loop.
///
/// The engine sits where Hummingbird's HTTP/1 decoding ends, before its request handling, so
/// Hummingbird's middleware does not see Socket.IO's requests (they are not `Request`s: a
/// polling request waits for packets, a WebSocket becomes frames). Put checks on the
/// handshake in `io.engine.use` (Node's engine middlewares) or `io.use` instead.
public struct SocketIOHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    /// What Hummingbird reads requests from and writes responses to.
    public typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    public let responder: HTTPChannelHandler.Responder
    let io: SocketIOServer
    let additionalChannelHandlers: @Sendable () -> [any RemovableChannelHandler]

    /// - Parameters:
    ///   - responder: the application's responder (Hummingbird passes its router's).
    ///   - io: the Socket.IO server to serve on the same connections.
    ///   - additionalChannelHandlers: handlers for the application's requests, after HTTP
    ///     decoding (as in Hummingbird's `HTTP1Channel`).
    public init(responder: @escaping HTTPChannelHandler.Responder, io: SocketIOServer,
                additionalChannelHandlers: @escaping @Sendable () -> [any RemovableChannelHandler] = { [] }) {
        self.responder = responder
        self.io = io
        self.additionalChannelHandlers = additionalChannelHandlers
    }

    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            // HTTP/1 decoding and the WebSocket upgrade, then the engine, which passes
            // requests for other paths on to what follows: Hummingbird's own handling.
            try io.attach(channel: channel, passThrough: true)
            let operations = channel.pipeline.syncOperations
            try operations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try operations.addHandlers(additionalChannelHandlers())
            try operations.addHandler(HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
            return try NIOAsyncChannel(wrappingChannelSynchronously: channel,
                                       configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    public func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}

/// Socket.IO beside the application's routes.
extension HTTPServerBuilder {
    /// HTTP/1.1 with Socket.IO served on the same port:
    ///
    /// ```swift
    /// let io = SocketIOServer()
    /// io.onConnection { socket in socket.on("ping") { _, ack in ack?("pong") } }
    /// let router = Router()
    /// router.get("/health") { _, _ in "ok" }
    /// let app = Application(router: router, server: .socketIO(io))
    /// // Socket.IO after the application: a group stops its services last to first, so on
    /// // SIGTERM the sockets are told "server shutting down" before connections close.
    /// let group = ServiceGroup(configuration: .init(
    ///     services: [app, SocketIOService(attached: io)],
    ///     gracefulShutdownSignals: [.sigterm, .sigint], logger: app.logger))
    /// try await group.run()
    /// ```
    public static func socketIO(
        _ io: SocketIOServer,
        additionalChannelHandlers: @autoclosure @escaping @Sendable () -> [any RemovableChannelHandler] = []
    ) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            SocketIOHTTP1Channel(responder: responder, io: io, additionalChannelHandlers: additionalChannelHandlers)
        }
    }
}
