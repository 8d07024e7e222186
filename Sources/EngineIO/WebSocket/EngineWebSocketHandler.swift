import NIOCore
import NIOWebSocket

/// Turns WebSocket frames into engine packets for one session and answers the
/// WebSocket-level control frames (ping, close) itself.
final class EngineWebSocketHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let connection: EngineWebSocketConnection
    private let session: EngineSocket
    private var closed = false

    init(connection: EngineWebSocketConnection, session: EngineSocket) {
        self.connection = connection
        self.session = session
    }

    func handlerAdded(context: ChannelHandlerContext) {
        connection.setWriter(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        connection.setWriter(nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            do {
                let packet = try EnginePacket.decode(text: frame.unmaskedData)
                session.receive(packet, from: connection)
            } catch {
                session.transportFailed(connection, reason: .parseError, description: "\(error)")
                connection.close(code: .dataInconsistentWithMessage)
            }
        case .binary:
            session.receive(.decode(binary: frame.unmaskedData), from: connection)
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            // Echo the close handshake, then end the connection.
            guard !closed else { return }
            closed = true
            var reply = context.channel.allocator.buffer(capacity: 2)
            reply.write(webSocketErrorCode: .normalClosure)
            let frame = WebSocketFrame(fin: true, opcode: .connectionClose, data: reply)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(frame)).whenComplete { _ in channel.close(promise: nil) }
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        session.transportClosed(connection)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Only the first error counts: the decoder reports every later byte as another
        // error, and closing at once would cut off the close frame already on its way.
        guard !closed else { return }
        closed = true
        // Oversized messages and broken fragmentation are the client's fault: say so with
        // 1009 as the protocol asks, then drop the connection.
        let tooLarge = (error as? NIOWebSocketError) == .invalidFrameLength || error is NIOWebSocketFrameAggregator.Error
        session.transportFailed(connection, reason: .transportError, description: "\(error)")
        connection.close(code: tooLarge ? .messageTooLarge : .protocolError)
    }
}
