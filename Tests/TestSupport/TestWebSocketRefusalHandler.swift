import NIOCore
import NIOHTTP1

/// Takes over when the server answers a WebSocket handshake with anything but 101: reports the
/// status it chose (a test of a refused upgrade wants exactly that number) and hangs up.
final class TestWebSocketRefusalHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let status: EventLoopPromise<Int>

    init(status: EventLoopPromise<Int>) {
        self.status = status
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = Self.unwrapInboundIn(data) {
            self.status.succeed(Int(head.status.code))
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        // Only reached without a head if the connection broke mid-answer; a late fail is ignored.
        self.status.fail(TestClientError.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.status.fail(error)
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension TestWebSocketRefusalHandler: Sendable {}
