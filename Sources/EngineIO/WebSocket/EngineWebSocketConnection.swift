import NIOCore
import NIOWebSocket

/// The WebSocket side of a session: writes engine packets as frames on its channel.
///
/// The session may live on another event loop than the channel (a polling session
/// upgraded by a WebSocket that landed on another loop); writes then hop once per batch.
final class EngineWebSocketConnection: Sendable {
    let channel: any Channel

    init(channel: any Channel) {
        self.channel = channel
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
        for packet in packets {
            let frame = WebSocketFrame(fin: true, opcode: packet.isBinary ? .binary : .text, data: packet.wire)
            channel.write(frame, promise: nil)
        }
        channel.flush()
    }

    /// Sends a close frame with `code`, then closes the TCP connection.
    func close(code: WebSocketErrorCode = .normalClosure) {
        let channel = self.channel
        // Written at once when possible: after a decoding error NIO closes the channel as
        // soon as the error handlers return, and the close frame must go out before that.
        if channel.eventLoop.inEventLoop {
            Self.writeClose(code, on: channel)
        } else {
            channel.eventLoop.execute { Self.writeClose(code, on: channel) }
        }
    }

    private static func writeClose(_ code: WebSocketErrorCode, on channel: any Channel) {
        var data = channel.allocator.buffer(capacity: 2)
        data.write(webSocketErrorCode: code)
        let frame = WebSocketFrame(fin: true, opcode: .connectionClose, data: data)
        channel.writeAndFlush(frame).whenComplete { _ in channel.close(promise: nil) }
    }

    /// Closes the TCP connection without a close frame.
    func abort() {
        channel.close(promise: nil)
    }
}
