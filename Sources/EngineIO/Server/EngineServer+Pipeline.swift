public import NIOCore
import NIOHTTP1
import NIOWebSocket
public import NIOPosix
public import NIOSSL
import NIOConcurrencyHelpers
import Synchronization

extension EngineServer {
    private enum HandlerName {
        static let compressor = "engine.io.compressor"
        static let headTimeout = "engine.io.head-timeout"
        static func http(_ index: Int) -> String { "engine.io.http.\(index)" }
    }

    /// Sets up `channel`'s pipeline for the engine: HTTP/1.1, the WebSocket upgrade, the
    /// request-head timeout, compression and the engine's handler.
    ///
    /// Call it from your `childChannelInitializer` to attach the engine to your own
    /// server (Node's `engine.attach`). With `passThrough`, requests for other paths go
    /// on to the handlers you add after it; without, they get 404.
    /// - Throws: when the pipeline cannot be changed (not on the channel's event loop).
    public func configure(channel: any Channel, passThrough: Bool = false) throws {
        try Self.configure(channel: channel, engines: [self], passThrough: passThrough)
    }

    /// Sets up `channel` for several engines on one port, each on its own path (say
    /// `/socket.io/` and `/engine.io/`): one HTTP codec, one WebSocket upgrader that
    /// picks the engine by path, then each engine's handler in order.
    /// - Throws: when the pipeline cannot be changed (not on the channel's event loop).
    public static func configure(channel: any Channel, engines: [EngineServer], passThrough: Bool = false) throws {
        channel.eventLoop.assertInEventLoop()
        precondition(!engines.isEmpty, "configure needs at least one engine")
        let upgradeContext = NIOLoopBoundBox(UpgradeContext(), eventLoop: channel.eventLoop)
        let handlerNames = engines.indices.map(HandlerName.http)
        let upgrader = EngineWebSocketUpgrader(
            decide: { channel, head in
                upgradeContext.value.engine = nil
                guard let engine = engines.first(where: { $0.matchesPath(head.uri) }) else {
                    return channel.eventLoop.makeSucceededFuture(nil)
                }
                upgradeContext.value.engine = engine
                return engine.shouldUpgrade(channel: channel, head: head, context: upgradeContext)
            },
            install: { channel in
                guard let engine = upgradeContext.value.engine else {
                    channel.close(promise: nil)
                    return
                }
                try engine.upgradePipeline(channel: channel, context: upgradeContext, httpHandlerNames: handlerNames)
            }
        )
        let operations = channel.pipeline.syncOperations
        try operations.configureHTTPServerPipeline(
            withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }),
            withErrorHandling: true
        )
        upgradeContext.value.installUpgrader = try makeUpgraderInstaller(channel: channel, upgrader: upgrader)
        // The installer holds the upgrader, whose closures hold this context: a cycle that the
        // end of the connection (or its upgrade, below) breaks.
        channel.closeFuture.whenComplete { _ in upgradeContext.value.installUpgrader = nil }
        if engines.contains(where: { $0.options.httpCompression != nil }) {
            try operations.addHandler(HTTPCompression.makeCompressor(), name: HandlerName.compressor)
        }
        let headTimeout = engines.map(\.options.requestHeaderTimeout).min()!
        // Every engine on one connection shares the first one's timers (tests use one source).
        try operations.addHandler(RequestHeadTimeoutHandler(timeout: headTimeout, timers: engines[0].options.timers),
                                  name: HandlerName.headTimeout)
        for (index, engine) in engines.enumerated() {
            let isLast = index == engines.count - 1
            try operations.addHandler(
                EngineHTTPHandler(server: engine, passThrough: passThrough || !isLast, upgradeContext: upgradeContext,
                                  replaysLaterUpgrades: index == 0),
                name: HandlerName.http(index)
            )
        }
    }

    /// A closure that adds a fresh upgrade handler where NIO put the first one: right after
    /// the HTTP handlers it removes when it upgrades (the same ones, in the same order).
    private static func makeUpgraderInstaller(
        channel: any Channel, upgrader: EngineWebSocketUpgrader
    ) throws -> () throws -> (HTTPServerUpgradeHandler, ChannelHandlerContext) {
        let operations = channel.pipeline.syncOperations
        let encoder = try operations.handler(type: HTTPResponseEncoder.self)
        var extras: [any RemovableChannelHandler] = [try operations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)]
        if let pipelining = try? operations.handler(type: HTTPServerPipelineHandler.self) { extras.append(pipelining) }
        if let validator = try? operations.handler(type: NIOHTTPResponseHeadersValidator.self) { extras.append(validator) }
        let errorHandler = try operations.handler(type: HTTPServerProtocolErrorHandler.self)
        extras.append(errorHandler)
        return {
            let handler = HTTPServerUpgradeHandler(
                upgraders: [upgrader], httpEncoder: encoder, extraHTTPHandlers: extras, upgradeCompletionHandler: { _ in }
            )
            try operations.addHandler(handler, position: .after(errorHandler))
            return (handler, try operations.context(handler: handler))
        }
    }

    /// Binds a standalone server (Node's `engine.listen`) and returns the bound port.
    /// - Parameters:
    ///   - host: the address to listen on.
    ///   - port: the port; 0 picks a free one.
    ///   - tls: serve `https`/`wss` with this context (``EngineTLS/serverContext(certificateChainFile:privateKeyFile:)``
    ///     makes one from PEM files); `nil` serves plain `http`/`ws`.
    ///   - group: the event loops to serve on.
    /// - Returns: the port actually bound.
    /// - Throws: when the address cannot be bound.
    @discardableResult
    public func listen(host: String = "127.0.0.1", port: Int, tls: NIOSSLContext? = nil,
                       group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> Int {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { [self] channel in
                self.track(channel)
                return channel.eventLoop.makeCompletedFuture {
                    if let tls { try Self.addTLS(tls, to: channel) }
                    try self.configure(channel: channel, passThrough: false)
                }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        listeners.withLockedValue { $0.append(channel) }
        return channel.localAddress?.port ?? port
    }

    /// Puts TLS in front of the pipeline ``configure(channel:passThrough:)`` builds; call it
    /// first when you bind your own server. Requests on that connection are then `secure`.
    /// - Throws: when the pipeline cannot be changed (not on the channel's event loop).
    public static func addTLS(_ context: NIOSSLContext, to channel: any Channel) throws {
        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
    }

    private func track(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        connections.withLockedValue { $0[key] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in
            _ = self?.connections.withLockedValue { $0.removeValue(forKey: key) }
        }
    }

    /// Closes every session (reason `server shutting down`), stops listening and closes
    /// the connections this engine accepted (Node's `engine.close()`). From then on the
    /// engine refuses new handshakes (403, "Server is closed"), also on pipelines set up
    /// with ``configure(channel:passThrough:)``.
    public func close() async {
        closed.store(true, ordering: .releasing)
        let servers = listeners.withLockedValue { channels in
            defer { channels.removeAll() }
            return channels
        }
        for server in servers { try? await server.close() }
        let open = sessions.withLockedValue { $0.values }
        var closing: [EventLoopFuture<Void>] = []
        for session in open {
            closing.append(session.eventLoop.submit { session.finishClose(.serverShuttingDown, description: nil) })
        }
        for future in closing { try? await future.get() }
        let accepted = connections.withLockedValue { $0.values }
        for channel in accepted { try? await channel.close() }
    }

    // MARK: WebSocket upgrade

    func shouldUpgrade(channel: any Channel, head: HTTPRequestHead, context: NIOLoopBoundBox<UpgradeContext>) -> EventLoopFuture<HTTPHeaders?> {
        let eventLoop = channel.eventLoop
        context.value.accepted = nil
        context.value.refusal = nil
        guard matchesPath(head.uri) else { return eventLoop.makeSucceededFuture(nil) }
        let request = EngineRequest(head: head, remoteAddress: channel.remoteAddress, localAddress: channel.localAddress,
                                    secure: context.value.secure)
        guard request.query["transport"] == EngineTransportKind.websocket.rawValue else {
            return eventLoop.makeSucceededFuture(nil)
        }
        let needsAsync = hasMiddlewares || (options.allowRequest != nil && request.query["sid"] == nil)
        guard needsAsync else {
            let decision = decideUpgrade(request, middlewareHeaders: [:], allowed: nil)
            return eventLoop.makeSucceededFuture(apply(decision, to: context.value))
        }
        let promise = eventLoop.makePromise(of: UpgradeDecision.self)
        promise.completeWithTask { [self] in
            var headers = HTTPHeaders()
            switch await self.runMiddlewares(request, headers: &headers) {
            case .next: break
            case .refuse(let error):
                self.reportError(error, request: request)
                return .refuse(.error(error))
            case .respond(let status, let extra, let body): return .refuse(.respond(status, extra, body))
            }
            let refusal = request.query["sid"] == nil ? await self.checkAllowRequest(request) : nil
            return self.decideUpgrade(request, middlewareHeaders: headers, allowed: refusal)
        }
        return promise.futureResult.map { decision in self.apply(decision, to: context.value) }
    }

    enum UpgradeDecision: Sendable {
        case accept(UpgradeAcceptance, HTTPHeaders)
        case refuse(UpgradeRefusal)
    }

    enum UpgradeAcceptance: @unchecked Sendable {
        case handshake(sid: String, request: EngineRequest)
        case upgrade(EngineSocket)
    }

    enum UpgradeRefusal: Sendable {
        case error(EngineRequestError)
        case respond(HTTPResponseStatus, HTTPHeaders, String)
    }

    private func decideUpgrade(_ request: EngineRequest, middlewareHeaders: HTTPHeaders, allowed refusal: EngineRequestError?) -> UpgradeDecision {
        switch verify(request, upgrade: true) {
        case .failure(let error):
            reportError(error, request: request)
            return .refuse(.error(error))
        case .success(.handshake):
            if let refusal {
                reportError(refusal, request: request)
                return .refuse(.error(refusal))
            }
            let sid = newSessionID(for: request)
            var headers = middlewareHeaders
            headers.add(contentsOf: responseHeaders(for: request, handshakeSid: sid))
            return .accept(.handshake(sid: sid, request: request), headers)
        case .success(.session(let session, _)):
            var headers = middlewareHeaders
            headers.add(contentsOf: responseHeaders(for: request, handshakeSid: nil))
            return .accept(.upgrade(session), headers)
        }
    }

    private func apply(_ decision: UpgradeDecision, to context: UpgradeContext) -> HTTPHeaders? {
        switch decision {
        case .accept(.handshake(let sid, let request), let headers):
            context.accepted = .handshake(sid: sid, request: request)
            return headers
        case .accept(.upgrade(let session), let headers):
            context.accepted = .upgrade(session)
            return headers
        case .refuse(.error(let error)):
            context.refusal = .error(error)
            return nil
        case .refuse(.respond(let status, let headers, let body)):
            context.refusal = .respond(status, headers, body)
            return nil
        }
    }

    func upgradePipeline(channel: any Channel, context: NIOLoopBoundBox<UpgradeContext>, httpHandlerNames: [String]) throws {
        // No more HTTP on this connection: let go of the HTTP handlers the installer kept.
        context.value.installUpgrader = nil
        let operations = channel.pipeline.syncOperations
        // The frame handlers take the place of the engine's HTTP handler, in front of
        // anything an application added after the engine.
        let httpHandler = try operations.context(name: httpHandlerNames[0])
        let connection = EngineWebSocketConnection(channel: channel)
        try operations.addHandlers([
            WebSocketFrameEncoder(),
            ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: max(options.maxHttpBufferSize, 126))),
            NIOWebSocketFrameAggregator(
                minNonFinalFragmentSize: 0,
                maxAccumulatedFrameCount: 4096,
                maxAccumulatedFrameSize: options.maxHttpBufferSize
            ),
        ], position: .after(httpHandler.handler))
        // The HTTP-level handlers have nothing more to do on this connection.
        for name in httpHandlerNames + [HandlerName.headTimeout, HandlerName.compressor] {
            if let handlerContext = try? operations.context(name: name) {
                _ = operations.removeHandler(context: handlerContext)
            }
        }
        let aggregator = try operations.context(handlerType: NIOWebSocketFrameAggregator.self)
        let accepted = context.value.accepted
        context.value.accepted = nil
        switch accepted {
        case .handshake(let sid, let request):
            let session = EngineSocket(
                id: sid, request: request, eventLoop: channel.eventLoop,
                transport: .websocket(connection), options: options, server: self
            )
            try operations.addHandler(EngineWebSocketHandler(connection: connection, session: session), position: .after(aggregator.handler))
            openSession(session)
        case .upgrade(let session):
            try operations.addHandler(EngineWebSocketHandler(connection: connection, session: session), position: .after(aggregator.handler))
            session.beginUpgrade(connection)
        case nil:
            channel.close(promise: nil)
        }
    }

    func newSessionID(for request: EngineRequest) -> String {
        var id = options.generateId(request)
        // A custom generator might repeat itself; never let two sessions share an id.
        while session(id) != nil { id = SessionID.random() }
        return id
    }
}
