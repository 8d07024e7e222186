import NIOCore
import NIOHTTP1
import NIOTLS

/// Answers the engine's HTTP requests on one connection: handshakes, polls, POSTs, CORS
/// preflights and errors. Requests for other paths go to the next handler
/// (`passThrough`) or get 404.
final class EngineHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Identifies one request, so a late answer for a request that is gone is dropped.
    final class RequestToken: Sendable {}

    private enum State {
        case idle
        /// A request for another path: its parts go to the next handler.
        case forwarding
        case receiving(HTTPRequestHead, body: ByteBuffer)
        /// The body went over the limit; the connection closes once the 413 is out.
        case discarding
        /// A request for another path in standalone mode: 404 once it has been read.
        case notFound(keepAlive: Bool)
        case waiting(RequestToken, keepAlive: Bool, pollSid: String?)
    }

    private let server: EngineServer
    private let passThrough: Bool
    private let upgradeContext: NIOLoopBoundBox<UpgradeContext>
    /// Only the first engine handler of a pipeline replays later upgrades (it sees every head).
    private let replaysLaterUpgrades: Bool
    private var state = State.idle

    init(server: EngineServer, passThrough: Bool, upgradeContext: NIOLoopBoundBox<UpgradeContext>, replaysLaterUpgrades: Bool) {
        self.server = server
        self.passThrough = passThrough
        self.upgradeContext = upgradeContext
        self.replaysLaterUpgrades = replaysLaterUpgrades
    }

    /// Notes a completed TLS handshake (NIOSSL fires it before any request), so requests
    /// on this connection are `secure`, as Node's `connection.encrypted`.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tls = event as? TLSUserEvent, case .handshakeCompleted = tls {
            upgradeContext.value.secure = true
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Hands a WebSocket upgrade that is not the connection's first request to a fresh NIO
    /// upgrade handler (the first one only looks at the first request). Done lazily, so
    /// polling requests on a keep-alive connection cost nothing extra. Returns whether it
    /// took the head: if the upgrade is declined, the head comes back here and is answered.
    private func replayedToUpgrader(context: ChannelHandlerContext, head: HTTPRequestHead, data: NIOAny) -> Bool {
        let shared = upgradeContext.value
        guard shared.firstRequestSeen else {
            shared.firstRequestSeen = true  // NIO's own upgrade handler has looked at this one
            return false
        }
        guard !shared.replayingUpgrade else {
            shared.replayingUpgrade = false  // declined: answer it as an HTTP request
            return false
        }
        guard head.headers.contains(name: "upgrade"), let installUpgrader = shared.installUpgrader,
              let (upgrader, upgraderContext) = try? installUpgrader() else { return false }
        shared.replayingUpgrade = true
        // The rest of the request now flows through the new handler, in front of this one.
        upgrader.channelRead(context: upgraderContext, data: data)
        return true
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if replaysLaterUpgrades, case .head(let head) = part, replayedToUpgrader(context: context, head: head, data: data) {
            return
        }
        switch (part, state) {
        case (.head(let head), .idle):
            guard server.matchesPath(head.uri) else {
                if passThrough {
                    state = .forwarding
                    context.fireChannelRead(data)
                } else {
                    state = .notFound(keepAlive: head.isKeepAlive)
                }
                return
            }
            if let length = head.headers.first(name: "content-length").flatMap(Int.init),
               length > server.options.maxHttpBufferSize {
                rejectOversizedBody(context: context, head: head)
                return
            }
            state = .receiving(head, body: context.channel.allocator.buffer(capacity: 0))
        case (.body(var chunk), .receiving(let head, var body)):
            guard body.readableBytes + chunk.readableBytes <= server.options.maxHttpBufferSize else {
                rejectOversizedBody(context: context, head: head)
                return
            }
            state = .idle  // drop our reference so the append below does not copy
            body.writeBuffer(&chunk)
            state = .receiving(head, body: body)
        case (.end, .receiving(let head, let body)):
            process(context: context, head: head, body: body)
        case (_, .forwarding):
            if case .end = part { state = .idle }
            context.fireChannelRead(data)
        case (_, .discarding):
            break
        case (.end, .notFound(let keepAlive)):
            write(context: context, status: .notFound, headers: [:], body: ByteBuffer(string: "Not Found"),
                  contentType: "text/plain; charset=UTF-8", keepAlive: keepAlive)
        case (.body, .notFound):
            break
        default:
            // Parts out of order cannot come from NIO's decoder; end the connection.
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .waiting(let token, _, let sid?) = state {
            server.session(sid)?.pollAborted(ObjectIdentifier(token))
        }
        state = .idle
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A declined WebSocket upgrade is reported here before its request arrives as
        // plain HTTP, which this handler then answers: nothing to pass on.
        if error is EngineWebSocketUpgrader.Declined { return }
        if passThrough {
            context.fireErrorCaught(error)
        } else {
            // NIO's protocol error handler has answered 400 to a request that did not parse;
            // the connection cannot be trusted after that.
            context.close(promise: nil)
        }
    }

    private func rejectOversizedBody(context: ChannelHandlerContext, head: HTTPRequestHead) {
        state = .discarding
        let request = EngineRequest(head: head, remoteAddress: context.channel.remoteAddress, localAddress: context.channel.localAddress,
                                    secure: upgradeContext.value.secure)
        if let sid = request.query["sid"], let session = server.session(sid) {
            session.payloadTooLarge()
        }
        var headers = HTTPHeaders()
        headers.add(name: "Connection", value: "close")
        writeHead(context: context, status: .payloadTooLarge, headers: headers, body: ByteBuffer(), keepAlive: false)
    }

    // MARK: Processing

    private func process(context: ChannelHandlerContext, head: HTTPRequestHead, body: ByteBuffer) {
        let request = EngineRequest(head: head, remoteAddress: context.channel.remoteAddress, localAddress: context.channel.localAddress,
                                    secure: upgradeContext.value.secure)
        let token = RequestToken()
        state = .waiting(token, keepAlive: head.isKeepAlive, pollSid: nil)

        if let refusal = upgradeContext.value.refusal {
            upgradeContext.value.refusal = nil
            switch refusal {
            case .error(let error): respond(context: context, token: token, request: request, answer: .error(error), headers: [:])
            case .respond(let status, let headers, let text):
                write(context: context, status: status, headers: headers, body: ByteBuffer(string: text),
                      contentType: "text/plain; charset=UTF-8", keepAlive: request.isKeepAlive)
            }
            return
        }

        let cors = server.options.cors
        let preflight = cors != nil && head.method == .OPTIONS
        if server.hasMiddlewares || cors.map(CORSHeaders.needsAsyncDecision) == true {
            let server = self.server
            let promise = context.eventLoop.makePromise(of: (MiddlewareOutcome, HTTPHeaders).self)
            promise.completeWithTask {
                var headers = HTTPHeaders()
                if let cors {
                    let allowed = await CORSHeaders.customDecision(cors, origin: request.headers.first(name: "origin"))
                    headers = CORSHeaders.headers(cors, request: request, matcher: server.corsPattern, customAllowed: allowed, preflight: preflight)
                }
                if preflight { return (.next, headers) }
                let outcome = await server.runMiddlewares(request, headers: &headers)
                return (outcome, headers)
            }
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            promise.futureResult.whenSuccess { outcome, headers in
                let (handler, context) = bound.value
                handler.proceed(context: context, token: token, request: request, body: body, outcome: outcome,
                                headers: headers, preflight: preflight)
            }
        } else {
            var headers = HTTPHeaders()
            if let cors {
                headers = CORSHeaders.headers(cors, request: request, matcher: server.corsPattern, customAllowed: nil, preflight: preflight)
            }
            proceed(context: context, token: token, request: request, body: body, outcome: .next, headers: headers, preflight: preflight)
        }
    }

    private func proceed(
        context: ChannelHandlerContext,
        token: RequestToken,
        request: EngineRequest,
        body: ByteBuffer,
        outcome: MiddlewareOutcome,
        headers: HTTPHeaders,
        preflight: Bool
    ) {
        guard isCurrent(token) else { return }
        if preflight {
            let status = HTTPResponseStatus(statusCode: server.options.cors?.optionsSuccessStatus ?? 204)
            write(context: context, status: status, headers: headers, body: ByteBuffer(), contentType: nil,
                  keepAlive: request.isKeepAlive)
            return
        }
        switch outcome {
        case .next: break
        case .refuse(let error):
            server.reportError(error, request: request)
            respond(context: context, token: token, request: request, answer: .error(error), headers: headers)
            return
        case .respond(let status, let extra, let text):
            var all = headers
            all.add(contentsOf: extra)
            write(context: context, status: status, headers: all, body: ByteBuffer(string: text),
                  contentType: "text/plain; charset=UTF-8", keepAlive: request.isKeepAlive)
            return
        }

        switch server.verify(request, upgrade: false) {
        case .failure(let error):
            server.reportError(error, request: request)
            respond(context: context, token: token, request: request, answer: .error(error), headers: headers)
        case .success(.handshake):
            guard server.options.allowRequest != nil else {
                openPollingSession(context: context, token: token, request: request, headers: headers)
                return
            }
            let server = self.server
            let promise = context.eventLoop.makePromise(of: EngineRequestError?.self)
            promise.completeWithTask { await server.checkAllowRequest(request) }
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            promise.futureResult.whenSuccess { refusal in
                let (handler, context) = bound.value
                guard handler.isCurrent(token) else { return }
                if let refusal {
                    server.reportError(refusal, request: request)
                    handler.respond(context: context, token: token, request: request, answer: .error(refusal), headers: headers)
                } else {
                    handler.openPollingSession(context: context, token: token, request: request, headers: headers)
                }
            }
        case .success(.session(let session, let transport)):
            guard transport == .polling else {
                let error = EngineRequestError(.badRequest, context: ["name": "TRANSPORT_MISMATCH"])
                respond(context: context, token: token, request: request, answer: .error(error), headers: headers)
                return
            }
            var all = headers
            all.add(contentsOf: server.responseHeaders(for: request, handshakeSid: nil))
            let responder = makeResponder(context: context, token: token, request: request, headers: all)
            switch request.method {
            case .GET:
                state = .waiting(token, keepAlive: request.isKeepAlive, pollSid: session.id)
                session.handlePoll(responder)
            case .POST:
                session.handlePost(body, responder: responder)
            default:
                let error = EngineRequestError(.badRequest, context: ["name": "METHOD_NOT_ALLOWED"])
                respond(context: context, token: token, request: request, answer: .error(error), headers: headers)
            }
        }
    }

    private func openPollingSession(context: ChannelHandlerContext, token: RequestToken, request: EngineRequest, headers: HTTPHeaders) {
        let sid = server.newSessionID(for: request)
        var all = headers
        all.add(contentsOf: server.responseHeaders(for: request, handshakeSid: sid))
        let responder = makeResponder(context: context, token: token, request: request, headers: all)
        let session = EngineSocket(
            id: sid, request: request, eventLoop: context.eventLoop,
            transport: .polling(pendingGet: responder), options: server.options, server: server
        )
        state = .waiting(token, keepAlive: request.isKeepAlive, pollSid: sid)
        server.openSession(session)
    }

    // MARK: Responding

    private func isCurrent(_ token: RequestToken) -> Bool {
        if case .waiting(let current, _, _) = state { return current === token }
        return false
    }

    /// A responder the session can call from its own loop; the answer hops back here.
    private func makeResponder(context: ChannelHandlerContext, token: RequestToken, request: EngineRequest, headers: HTTPHeaders) -> PollingResponder {
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        return PollingResponder(id: ObjectIdentifier(token)) { answer in
            if eventLoop.inEventLoop {
                let (handler, context) = bound.value
                handler.respond(context: context, token: token, request: request, answer: answer, headers: headers)
            } else {
                eventLoop.execute {
                    let (handler, context) = bound.value
                    handler.respond(context: context, token: token, request: request, answer: answer, headers: headers)
                }
            }
        }
    }

    private func respond(context: ChannelHandlerContext, token: RequestToken, request: EngineRequest, answer: PollingAnswer, headers: HTTPHeaders) {
        guard isCurrent(token), context.channel.isActive else { return }
        let keepAlive = request.isKeepAlive
        switch answer {
        case .packets(let packets):
            var all = headers
            all.replaceOrAdd(name: "Cache-Control", value: "no-store")
            let body = PollingPayload.encode(packets)
            if let compression = server.options.httpCompression, body.readableBytes >= compression.threshold {
                all.add(name: HTTPCompression.markerHeader, value: "1")
            }
            write(context: context, status: .ok, headers: all, body: body, contentType: "text/plain; charset=UTF-8", keepAlive: keepAlive)
        case .ok:
            var all = headers
            all.replaceOrAdd(name: "Cache-Control", value: "no-store")
            write(context: context, status: .ok, headers: all, body: ByteBuffer(string: "ok"), contentType: "text/html", keepAlive: keepAlive)
        case .error(let error):
            write(context: context, status: HTTPResponseStatus(statusCode: error.code.httpStatus), headers: headers,
                  body: ByteBuffer(string: error.jsonBody), contentType: "application/json", keepAlive: keepAlive)
        case .payloadTooLarge:
            write(context: context, status: .payloadTooLarge, headers: headers, body: ByteBuffer(), contentType: nil, keepAlive: false)
        }
    }

    private func write(context: ChannelHandlerContext, status: HTTPResponseStatus, headers: HTTPHeaders, body: ByteBuffer, contentType: String?, keepAlive: Bool) {
        state = .idle
        var all = headers
        if let contentType { all.replaceOrAdd(name: "Content-Type", value: contentType) }
        writeHead(context: context, status: status, headers: all, body: body, keepAlive: keepAlive)
    }

    private func writeHead(context: ChannelHandlerContext, status: HTTPResponseStatus, headers: HTTPHeaders, body: ByteBuffer, keepAlive: Bool) {
        var headers = headers
        headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes))
        if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: .http1_1, status: status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if body.readableBytes > 0 { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}

extension EngineRequest {
    /// Whether the connection stays open after the response (HTTP/1.1 default). An upgrade
    /// request only gets an HTTP answer when its upgrade was not taken, which leaves the
    /// client unsure what the connection is now: as Node does, answer it and close.
    var isKeepAlive: Bool {
        let connection = headers[canonicalForm: "connection"].map { $0.lowercased() }
        if connection.contains("close") || connection.contains("upgrade") { return false }
        if connection.contains("keep-alive") { return true }
        return version.major > 1 || (version.major == 1 && version.minor >= 1)
    }
}
