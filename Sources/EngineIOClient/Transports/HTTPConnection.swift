import NIOCore
import NIOHTTP1

/// A response read whole.
struct HTTPClientResponse: Sendable {
    var head: HTTPResponseHead
    var body: ByteBuffer
}

/// One keep-alive HTTP/1.1 connection that carries one request at a time, reconnecting
/// when the server closed it. Confined to its event loop.
final class HTTPConnection {
    private let endpoint: EngineClientEndpoint
    private var channel: (any Channel)?
    private var handler: HTTPExchangeHandler?
    private var closed = false

    init(endpoint: EngineClientEndpoint) {
        self.endpoint = endpoint
    }

    /// Sends one request and reads its whole response.
    func request(_ method: HTTPMethod, _ target: String, body: ByteBuffer?) -> EventLoopFuture<HTTPClientResponse> {
        let loop = endpoint.eventLoop
        guard !closed else { return loop.makeFailedFuture(EngineClientError.closed) }
        var headers = endpoint.headers()
        if let body {
            headers.add(name: "Content-Type", value: "text/plain;charset=UTF-8")
            headers.add(name: "Content-Length", value: String(body.readableBytes))
        }
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: target, headers: headers)
        return connected().flatMap { [self] in
            guard let channel, let handler else { return loop.makeFailedFuture(EngineClientError.closed) }
            let promise = loop.makePromise(of: HTTPClientResponse.self)
            handler.pending = promise
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            if let body { channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil) }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            return promise.futureResult
        }
    }

    /// Closes the connection; requests in flight fail.
    func close() {
        closed = true
        channel?.close(promise: nil)
        channel = nil
        handler = nil
    }

    private func connected() -> EventLoopFuture<Void> {
        if let channel, let handler, channel.isActive, !handler.mustReconnect {
            return endpoint.eventLoop.makeSucceededVoidFuture()
        }
        channel?.close(promise: nil)
        channel = nil
        handler = nil
        let maxBody = endpoint.options.maxPayloadSize
        let loop = endpoint.eventLoop
        return endpoint.connect { channel in
            try channel.pipeline.syncOperations.addHTTPClientHandlers()
            try channel.pipeline.syncOperations.addHandler(HTTPExchangeHandler(maxBody: maxBody))
        }.flatMapThrowing { [self] channel in
            loop.preconditionInEventLoop()
            if closed {
                channel.close(promise: nil)
                throw EngineClientError.closed
            }
            self.handler = try channel.pipeline.syncOperations.handler(type: HTTPExchangeHandler.self)
            self.channel = channel
        }
    }
}

extension HTTPConnection: @unchecked Sendable {}

/// Reads one response at a time into the pending promise.
final class HTTPExchangeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    var pending: EventLoopPromise<HTTPClientResponse>?
    /// The server asked to close after this response, or the connection failed.
    private(set) var mustReconnect = false
    private let maxBody: Int
    private var head: HTTPResponseHead?
    private var body = ByteBuffer()

    init(maxBody: Int) {
        self.maxBody = maxBody
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
            if !head.isKeepAlive { mustReconnect = true }
        case .body(var part):
            if body.readableBytes + part.readableBytes > maxBody {
                fail(EngineClientError.transportFailed("response larger than \(maxBody) bytes"))
                context.close(promise: nil)
                return
            }
            body.writeBuffer(&part)
        case .end:
            guard let head else { return }
            self.head = nil
            let response = HTTPClientResponse(head: head, body: body)
            body = ByteBuffer()
            let promise = pending
            pending = nil
            promise?.succeed(response)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        mustReconnect = true
        fail(EngineClientError.transportFailed("connection closed"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        mustReconnect = true
        fail(EngineClientError.transportFailed(cause: error))
        context.close(promise: nil)
    }

    private func fail(_ error: any Error) {
        let promise = pending
        pending = nil
        promise?.fail(error)
    }
}

@available(*, unavailable)
extension HTTPExchangeHandler: Sendable {}
