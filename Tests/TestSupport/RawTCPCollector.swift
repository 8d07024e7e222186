import NIOCore

/// Keeps every byte a ``RawTCPConnection`` receives and hands them over when the peer closes,
/// which is the moment the tests built on it care about.
final class RawTCPCollector: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private var received: [UInt8] = []
    private let closed: EventLoopPromise<[UInt8]>

    init(closed: EventLoopPromise<[UInt8]>) {
        self.closed = closed
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.received.append(contentsOf: Self.unwrapInboundIn(data).readableBytesView)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.closed.succeed(self.received)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // Normally a no-op (channelInactive came first); otherwise a waiter would hang to its bound.
        self.closed.succeed(self.received)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A reset counts as the peer closing: the test asks whether it hung up, not how.
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension RawTCPCollector: Sendable {}
