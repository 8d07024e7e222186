import EngineIOParser
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// WebSocket (`engine.io-client`'s `WebSocket`): one frame per packet, through NIO's client
/// upgrade (`NIOTypedWebSocketClientUpgrader`) and frame aggregator.
final class WebSocketTransport: EngineClientTransport {
    let kind = EngineTransportKind.websocket
    var sid: String?
    weak var delegate: (any EngineClientTransportDelegate)?

    private enum State { case idle, opening, open, closed }
    private var state = State.idle
    private let endpoint: EngineClientEndpoint
    private var channel: (any Channel)?

    init(endpoint: EngineClientEndpoint, sid: String? = nil) {
        self.endpoint = endpoint
        self.sid = sid
    }

    var writable: Bool { state == .open }

    private enum UpgradeOutcome: Sendable {
        case upgraded
        /// The server answered without upgrading, with this status.
        case refused(EventLoopFuture<Int>)
    }

    func open() {
        guard state == .idle else { return }
        state = .opening
        let head = HTTPRequestHead(
            version: .http1_1,
            method: .GET,
            uri: endpoint.requestTarget(.websocket, sid: sid),
            headers: endpoint.headers()
        )
        let maxFrameSize = endpoint.options.maxFrameSize
        let outcome = endpoint.eventLoop.makePromise(of: UpgradeOutcome.self)
        endpoint.connect { [self] channel in
            let upgrader = NIOTypedWebSocketClientUpgrader<UpgradeOutcome>(maxFrameSize: maxFrameSize) { channel, _ in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        NIOWebSocketFrameAggregator(
                            minNonFinalFragmentSize: 0,
                            maxAccumulatedFrameCount: Int.max,
                            maxAccumulatedFrameSize: maxFrameSize
                        )
                    )
                    try channel.pipeline.syncOperations.addHandler(WebSocketFrameHandler(transport: self))
                    return .upgraded
                }
            }
            var configuration = NIOUpgradableHTTPClientPipelineConfiguration(
                upgradeConfiguration: .init(
                    upgradeRequestHead: head,
                    upgraders: [upgrader],
                    notUpgradingCompletionHandler: { channel in
                        channel.eventLoop.makeCompletedFuture {
                            let status = channel.eventLoop.makePromise(of: Int.self)
                            try channel.pipeline.syncOperations.addHandler(RefusedUpgradeHandler(status: status))
                            return .refused(status.futureResult)
                        }
                    }
                )
            )
            // The open packet may arrive in the same read as the 101.
            configuration.leftOverBytesStrategy = .forwardBytes
            let result = try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(configuration: configuration)
            result.cascade(to: outcome)
        }.whenComplete { [self] result in
            switch result {
            case .success(let channel):
                guard state == .opening else {
                    channel.close(promise: nil)
                    return
                }
                self.channel = channel
            case .failure(let error):
                outcome.fail(error)
            }
        }
        outcome.futureResult.whenComplete { [self] result in
            guard state == .opening else { return }
            switch result {
            case .success(.upgraded):
                state = .open
                delegate?.transportDidOpen(self)
            case .success(.refused(let status)):
                status.whenComplete { [self] result in
                    let code = (try? result.get()).map { " with HTTP \($0)" } ?? ""
                    closeFromServer(.transportError, EngineClientError.transportFailed("the server refused the WebSocket upgrade\(code)"))
                }
            case .failure(let error):
                closeFromServer(.transportError, EngineClientError.transportFailed(cause: error))
            }
        }
    }

    func send(_ packets: [EnginePacket]) {
        guard state == .open, let channel else { return }
        for packet in packets {
            let frame = WebSocketFrame(
                fin: true,
                opcode: packet.isBinary ? .binary : .text,
                maskKey: .random(),
                data: packet.wire
            )
            channel.write(frame, promise: nil)
        }
        channel.flush()
        delegate?.transportDidDrain(self)
    }

    func pause(_ done: @escaping () -> Void) { done() }

    func close() {
        guard state != .closed else { return }
        if let channel, state == .open {
            let frame = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: ByteBuffer(integer: UInt16(1000)))
            channel.writeAndFlush(frame).whenComplete { _ in channel.close(promise: nil) }
        } else {
            channel?.close(promise: nil)
        }
        state = .closed
        delegate = nil
        channel = nil
    }

    func discard() {
        state = .closed
        delegate = nil
        channel?.close(promise: nil)
        channel = nil
    }

    // MARK: From the frame handler

    func received(_ packet: EnginePacket) {
        guard state == .open else { return }
        delegate?.transport(self, didReceive: packet)
    }

    func closeFromServer(_ reason: EngineClientCloseReason, _ error: (any Error)?) {
        guard state != .closed else { return }
        let delegate = self.delegate
        discard()
        delegate?.transport(self, didCloseWith: reason, error: error)
    }
}

extension WebSocketTransport: @unchecked Sendable {}

/// Turns frames into packets for the transport, and answers WebSocket pings.
final class WebSocketFrameHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let transport: WebSocketTransport

    init(transport: WebSocketTransport) {
        self.transport = transport
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            do {
                transport.received(try EnginePacket.decode(text: frame.unmaskedData))
            } catch {
                transport.closeFromServer(.parseError, error)
            }
        case .binary:
            transport.received(.decode(binary: frame.unmaskedData))
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            transport.closeFromServer(.transportClose, nil)
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        transport.closeFromServer(.transportClose, nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        transport.closeFromServer(.transportError, EngineClientError.transportFailed(cause: error))
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension WebSocketFrameHandler: Sendable {}

/// Reads the status of a refused upgrade, then closes.
final class RefusedUpgradeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    private var status: EventLoopPromise<Int>?

    init(status: EventLoopPromise<Int>) {
        self.status = status
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) {
            status?.succeed(Int(head.status.code))
            status = nil
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        status?.fail(EngineClientError.closed)
        status = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        status?.fail(EngineClientError.closed)
        status = nil
    }
}

@available(*, unavailable)
extension RefusedUpgradeHandler: Sendable {}
