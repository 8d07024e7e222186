import NIOCore
import NIOHTTP1

/// Gathers one HTTP response for ``TestHTTPClient`` and settles its promise exactly once:
/// with the response, with the first error, when the connection ends early, or at the deadline.
/// Whichever comes first also closes the connection, since each request owns its own.
final class TestHTTPResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private enum State {
        case awaitingHead
        case receivingBody(HTTPResponseHead, [UInt8])
        case finished
    }

    private var state: State = .awaitingHead
    private let promise: EventLoopPromise<TestHTTPResponse>
    private let deadline: NIODeadline
    private var deadlineTimer: Scheduled<Void>?

    init(promise: EventLoopPromise<TestHTTPResponse>, deadline: NIODeadline) {
        self.promise = promise
        self.deadline = deadline
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.deadlineTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: self.deadline) {
            self.finish(.failure(TestClientError.timeout), context: context)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // A pipeline torn down without channelInactive must still settle the caller's wait.
        _ = self.settle(.failure(TestClientError.connectionClosed))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (self.state, Self.unwrapInboundIn(data)) {
        case (.awaitingHead, .head(let head)):
            self.state = .receivingBody(head, [])

        case (.receivingBody(let head, var body), .body(let part)):
            // Drop the state's reference first so the append does not copy the whole body.
            self.state = .awaitingHead
            body.append(contentsOf: part.readableBytesView)
            self.state = .receivingBody(head, body)

        case (.receivingBody(let head, let body), .end):
            let response = TestHTTPResponse(
                status: Int(head.status.code),
                headers: head.headers.map { ($0.name, $0.value) },
                body: body
            )
            self.finish(.success(response), context: context)

        case (.finished, _):
            break

        case (.awaitingHead, .body), (.awaitingHead, .end), (.receivingBody, .head):
            // NIO's decoder never produces these; treat them like a broken connection, not a crash.
            self.finish(.failure(TestClientError.connectionClosed), context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.finish(.failure(TestClientError.connectionClosed), context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.finish(.failure(error), context: context)
    }

    private func finish(_ result: Result<TestHTTPResponse, any Error>, context: ChannelHandlerContext) {
        if self.settle(result) {
            context.close(promise: nil)
        }
    }

    /// Completes the promise unless something already did; returns whether this call did.
    private func settle(_ result: Result<TestHTTPResponse, any Error>) -> Bool {
        if case .finished = self.state { return false }
        self.state = .finished
        self.deadlineTimer?.cancel()
        self.deadlineTimer = nil
        self.promise.completeWith(result)
        return true
    }
}

@available(*, unavailable)
extension TestHTTPResponseCollector: Sendable {}
