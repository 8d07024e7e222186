import NIOCore
import NIOWebSocket

/// The WebSocket side of a session: writes engine packets as frames on its channel.
///
/// The session may live on another event loop than the channel (a polling session
/// upgraded by a WebSocket that landed on another loop); writes then hop once per batch.
final class EngineWebSocketConnection: Sendable {
    let channel: any Channel
    /// Where frames are written from: the engine's WebSocket handler, set while it is in the
    /// pipeline. Frames then go through the frame encoder towards the socket and never
    /// through handlers an application put after the engine (Hummingbird's HTTP handling
    /// takes HTTP parts, and a frame there is a crash). Only used on the channel's loop.
    private let writer: NIOLoopBoundBox<ChannelHandlerContext?>

    init(channel: any Channel) {
        self.channel = channel
        writer = .makeEmptyBox(valueType: ChannelHandlerContext.self, eventLoop: channel.eventLoop)
    }

    /// The engine's WebSocket handler joined the pipeline (`context` is its own) or left it (`nil`).
    func setWriter(_ context: ChannelHandlerContext?) {
        writer.value = context
    }

    /// Writes `packets` as one batch and flushes once.
    func send(_ packets: some Collection<EnginePacket> & Sendable) {
        if channel.eventLoop.inEventLoop {
            writeNow(packets)
        } else {
            channel.eventLoop.execute { self.writeNow(packets) }
        }
    }

    /// Writes one packet and flushes.
    func send(_ packet: EnginePacket) {
        send(CollectionOfOne(packet))
    }

    private func writeNow(_ packets: some Collection<EnginePacket>) {
        // No handler: the connection is gone, and so is anything written to it.
        guard let context = writer.value else { return }
        for packet in packets {
            let frame = WebSocketFrame(fin: true, opcode: packet.isBinary ? .binary : .text, data: packet.wire)
            context.write(NIOAny(frame), promise: nil)
        }
        context.flush()
    }

    /// Sends a close frame with `code`, then closes the TCP connection.
    func close(code: WebSocketErrorCode = .normalClosure) {
        let channel = self.channel
        // Written at once when possible: after a decoding error NIO closes the channel as
        // soon as the error handlers return, and the close frame must go out before that.
        if channel.eventLoop.inEventLoop {
            writeClose(code)
        } else {
            channel.eventLoop.execute { self.writeClose(code) }
        }
    }

    private func writeClose(_ code: WebSocketErrorCode) {
        let channel = self.channel
        guard let context = writer.value else {
            channel.close(promise: nil)
            return
        }
        var data = channel.allocator.buffer(capacity: 2)
        data.write(webSocketErrorCode: code)
        let frame = WebSocketFrame(fin: true, opcode: .connectionClose, data: data)
        context.writeAndFlush(NIOAny(frame)).whenComplete { _ in channel.close(promise: nil) }
    }

    /// Closes the TCP connection without a close frame.
    func abort() {
        channel.close(promise: nil)
    }
}
