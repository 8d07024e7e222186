import NIOCore
import NIOWebSocket

/// Turns the server's frames into ``TestWebSocketMessage``s for ``TestWebSocket`` and does the
/// chores a browser does unasked: a pong for every ping, and the close handshake.
///
/// Fragmented messages arrive here already joined by the `NIOWebSocketFrameAggregator` ahead of it.
final class TestWebSocketHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let eventLoop: any EventLoop
    private let messages: TestMessageQueue<TestWebSocketMessage>
    private var context: ChannelHandlerContext?
    /// RFC 6455 allows one close frame per side; this stops a second one.
    private var sentClose = false

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
        self.messages = TestMessageQueue(eventLoop: eventLoop)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// The next message from the server, or a future failing with ``TestClientError/timeout``.
    func nextMessage(deadline: NIODeadline) -> EventLoopFuture<TestWebSocketMessage> {
        self.messages.next(deadline: deadline)
    }

    /// Sends a close frame with `code`, then closes the connection once it is written, without
    /// waiting for the server's reply: tests want prompt teardown, and the server still sees
    /// the close frame before the end of the stream.
    ///
    /// - Returns: A future that completes when the connection is closed.
    func close(code: UInt16) -> EventLoopFuture<Void> {
        guard let context = self.context else {
            // Removed from the pipeline only once the channel is gone: already closed.
            return self.eventLoop.makeSucceededVoidFuture()
        }
        var payload = context.channel.allocator.buffer(capacity: 2)
        payload.writeInteger(code)
        self.writeClose(payload: payload, context: context)
        return context.channel.closeFuture
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = Self.unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            self.messages.push(.text(String(buffer: frame.unmaskedData)))

        case .binary:
            self.messages.push(.binary(Array(buffer: frame.unmaskedData)))

        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)
            context.writeAndFlush(Self.wrapOutboundOut(pong), promise: nil)

        case .connectionClose:
            var payload = frame.unmaskedData
            let code = payload.readInteger(as: UInt16.self)
            self.messages.finish(with: .closed(code: code))
            // RFC 6455 §5.5.1: answer with a close frame echoing the status code, then hang up.
            var reply = context.channel.allocator.buffer(capacity: 2)
            if let code {
                reply.writeInteger(code)
            }
            self.writeClose(payload: reply, context: context)

        default:
            // Pongs only answer our pings, and continuations were joined upstream.
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        // Reached after a close frame too; the queue keeps whichever end it heard of first.
        self.messages.finish(with: .closed(code: nil))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // After a framing error the stream cannot be trusted; the protocol error handler has
        // already sent its close frame, so end the connection and let receive() report it.
        context.close(promise: nil)
    }

    private func writeClose(payload: ByteBuffer, context: ChannelHandlerContext) {
        guard !self.sentClose else {
            context.close(promise: nil)
            return
        }
        self.sentClose = true
        let frame = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: payload)
        context.writeAndFlush(Self.wrapOutboundOut(frame)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension TestWebSocketHandler: Sendable {}
