public import EngineIOClient
public import EngineIOParser
import EngineIOTimers
import Logging
import NIOConcurrencyHelpers
public import NIOCore
public import SocketIOParser

/// One connection to a Socket.IO server, shared by the sockets of every namespace on it,
/// with automatic reconnection (`socket.io-client`'s `Manager`).
///
/// All mutable state lives on ``eventLoop``; every public method may be called from any
/// thread. Events reach listeners on ``eventLoop``, in order, never under a lock.
public final class Manager: @unchecked Sendable {
    /// The connection's state, as the Manager's `_readyState`.
    public enum ReadyState: String, Sendable {
        /// Not connected (before the first attempt, between attempts, after `shutdown`).
        case closed
        /// Connecting.
        case opening
        /// Connected.
        case open
    }

    /// The server.
    public let url: EngineClientURL
    /// The options, shared by the sockets the Manager makes.
    public let options: SocketIOClientOptions
    /// The loop that owns the Manager, its sockets and its connection.
    public let eventLoop: any EventLoop

    private let listeners = NIOLockedValueBox(ListenerList<@Sendable (ManagerEvent) -> Void>())
    private let sockets = NIOLockedValueBox([String: ClientSocket]())

    private struct Observable {
        var readyState = ReadyState.closed
        var transport: EngineTransportKind?
        var engineID: String?
    }
    private let observable = NIOLockedValueBox(Observable())

    // MARK: Loop-confined state

    private var readyState = ReadyState.closed
    private var engine: EngineClient?
    /// Counts engines, so that a late event of a dropped one is told apart.
    private var engineGeneration = 0
    private var decoder: SocketIOMessageDecoder
    private var backoff: Backoff
    private var reconnecting = false
    private var skipReconnect = false
    private var openTimer: Scheduled<Void>?
    private var reconnectTimer: Scheduled<Void>?
    private var openCallbacks: [(SocketIOClientError?) -> Void] = []
    private let logger: Logger

    /// Creates a Manager; it connects when a socket does (or on ``open()``).
    /// - Parameters:
    ///   - url: The server, such as `http://127.0.0.1:3000` (its path is ignored here).
    ///   - options: The options.
    public init(url: EngineClientURL, options: SocketIOClientOptions = SocketIOClientOptions()) {
        self.url = url
        self.options = options
        self.eventLoop = options.eventLoopGroup.next()
        var logger = options.logger
        logger[metadataKey: "url"] = "\(url.origin)"
        self.logger = logger
        self.backoff = Backoff(min: options.reconnectionDelay, max: options.reconnectionDelayMax, jitter: options.randomizationFactor)
        self.decoder = options.parser.makeDecoder()
    }

    /// Creates a Manager for a URL string.
    /// - Throws: ``EngineClientError`` when the URL is not `http(s)`/`ws(s)`.
    public convenience init(_ url: String, options: SocketIOClientOptions = SocketIOClientOptions()) throws {
        self.init(url: try EngineClientURL(url), options: options)
    }

    /// The connection's state.
    public var state: ReadyState { observable.withLockedValue { $0.readyState } }
    /// The transport in use, once open.
    public var transport: EngineTransportKind? { observable.withLockedValue { $0.transport } }
    /// The engine's session id, once open.
    public var engineID: String? { observable.withLockedValue { $0.engineID } }

    // MARK: Sockets

    /// The socket of namespace `nsp`, made on first use (`manager.socket(nsp)`); it does not
    /// connect by itself: call ``ClientSocket/connect()``.
    /// - Parameters:
    ///   - nsp: The namespace, `/` by default.
    ///   - auth: What its CONNECT packet carries; the Manager's ``SocketIOClientOptions/auth`` by default.
    /// - Returns: The socket.
    public func socket(_ nsp: String = "/", auth: SocketAuth? = nil) -> ClientSocket {
        let name = nsp.hasPrefix("/") ? nsp : "/" + nsp
        return sockets.withLockedValue { sockets in
            if let socket = sockets[name] { return socket }
            let socket = ClientSocket(manager: self, namespace: name, auth: auth ?? options.auth)
            sockets[name] = socket
            return socket
        }
    }

    /// Whether a socket exists for `nsp`.
    func hasSocket(_ nsp: String) -> Bool { sockets.withLockedValue { $0[nsp] != nil } }

    // MARK: Events

    /// Adds a listener for the Manager's events (`manager.on(…)`).
    /// - Returns: an id for ``off(_:)``.
    @discardableResult
    public func onEvent(_ handler: @escaping @Sendable (ManagerEvent) -> Void) -> ListenerID {
        listeners.withLockedValue { $0.add(handler) }
    }

    /// Removes a listener added by ``onEvent(_:)``.
    public func off(_ id: ListenerID) {
        listeners.withLockedValue { $0.remove(id) }
    }

    private func emit(_ event: ManagerEvent) {
        for handler in listeners.withLockedValue({ $0.handlers() }) { handler(event) }
    }

    // MARK: Opening and closing

    /// Opens the connection if it is not open or opening (`manager.open()`).
    public func open() {
        onLoop { [self] in open(then: nil) }
    }

    /// Closes the connection and stops reconnecting (`manager.disconnect()`); the sockets get
    /// `disconnect` with `forced close`.
    public func disconnect() {
        onLoop { [self] in close() }
    }

    /// Closes the connection, stops reconnecting, and returns once every timer is cancelled
    /// and the connection is closed: the structured end of a Manager. It lets go of its
    /// sockets (which refer to it) and ``io(_:_:)`` stops sharing it, so the Manager and its
    /// sockets are freed once the application drops them; it is not to be opened again.
    public func shutdown() async {
        let promise = eventLoop.makePromise(of: Void.self)
        onLoop { [self] in
            close()
            openTimer?.cancel()
            reconnectTimer?.cancel()
            openCallbacks = []
            let released = sockets.withLockedValue { sockets in
                defer { sockets.removeAll() }
                return Array(sockets.values)
            }
            for socket in released { socket.cancelTimers() }
            promise.succeed(())
        }
        try? await promise.futureResult.get()
        stopSharing(self)
    }

    func onLoop(_ body: @escaping @Sendable () -> Void) {
        eventLoop.run(body)
    }

    private func setReadyState(_ state: ReadyState) {
        readyState = state
        observable.withLockedValue { $0.readyState = state }
    }

    /// Opens the connection; `then` hears whether it opened (on the loop).
    func open(then: ((SocketIOClientError?) -> Void)?) {
        eventLoop.preconditionInEventLoop()
        if let then { openCallbacks.append(then) }
        guard readyState == .closed else { return }
        skipReconnect = false
        setReadyState(.opening)
        decoder.reset()
        engineGeneration += 1
        let handlers = makeEngineHandlers(generation: engineGeneration)
        let engine: EngineClient
        do {
            engine = try EngineClient(url: url, options: options.engineOptions, eventLoop: eventLoop, handlers: handlers)
        } catch {
            openFailed(SocketIOClientError(.connectionFailed, "\(error)"))
            return
        }
        self.engine = engine
        if let timeout = options.timeout {
            openTimer = options.timers.scheduleTask(on: eventLoop, in: timeout) { [self, weak engine] in
                guard let engine, self.engine === engine, readyState == .opening else { return }
                self.engine = nil
                engine.close()
                openFailed(SocketIOClientError(.timeout, "timeout"))
            }
        }
        engine.open()
    }

    private func makeEngineHandlers(generation: Int) -> EngineClient.Handlers {
        var handlers = EngineClient.Handlers()
        // Weak: a Manager that was shut down and dropped is freed while its engine may still
        // report the end of the connection; those late reports then go nowhere.
        let this = WeakBox(self)
        handlers.onOpen = { _ in
            guard let manager = this.current(generation) else { return }
            manager.engineOpened()
        }
        handlers.onMessage = { message in
            guard let manager = this.current(generation) else { return }
            manager.engineMessage(message)
        }
        handlers.onPing = {
            guard let manager = this.current(generation) else { return }
            manager.emit(.ping)
        }
        handlers.onUpgrade = { kind in
            guard let manager = this.current(generation) else { return }
            manager.observable.withLockedValue { $0.transport = kind }
            manager.emit(.upgrade(kind))
        }
        handlers.onClose = { reason, error in
            guard let manager = this.current(generation) else { return }
            manager.engineClosed(reason, error)
        }
        return handlers
    }

    fileprivate func isCurrent(_ generation: Int) -> Bool {
        engine != nil && engineGeneration == generation
    }

    private func engineOpened() {
        guard readyState == .opening, let engine else { return }
        openTimer?.cancel()
        openTimer = nil
        setReadyState(.open)
        observable.withLockedValue {
            $0.transport = engine.transportName
            $0.engineID = engine.id
        }
        emit(.open)
        let callbacks = openCallbacks
        openCallbacks = []
        for callback in callbacks { callback(nil) }
        for socket in sockets.withLockedValue({ Array($0.values) }) where socket.isActive {
            socket.managerOpened()
        }
    }

    private func engineClosed(_ reason: EngineClientCloseReason, _ error: (any Error)?) {
        switch readyState {
        case .opening:
            self.engine = nil
            let detail = error.map { "\($0)" } ?? reason.rawValue
            openFailed(SocketIOClientError(.connectionFailed, detail))
        case .open:
            self.engine = nil
            onClose(reason.rawValue, error.map { SocketIOClientError(.connectionFailed, "\($0)") })
        case .closed:
            break
        }
    }

    private func openFailed(_ error: SocketIOClientError) {
        logger.debug("connection failed", metadata: ["error": "\(error.message)"])
        openTimer?.cancel()
        openTimer = nil
        setReadyState(.closed)
        emit(.error(error))
        for socket in sockets.withLockedValue({ Array($0.values) }) where socket.isActive {
            socket.managerError(error)
        }
        let callbacks = openCallbacks
        openCallbacks = []
        if callbacks.isEmpty {
            maybeReconnectOnOpen()
        } else {
            for callback in callbacks { callback(error) }
        }
    }

    private func maybeReconnectOnOpen() {
        if !reconnecting, options.reconnection, backoff.attempts == 0 { reconnect() }
    }

    private func onClose(_ reason: String, _ error: SocketIOClientError?) {
        backoff.reset()
        setReadyState(.closed)
        observable.withLockedValue {
            $0.transport = nil
            $0.engineID = nil
        }
        emit(.close(reason: reason, error: error))
        for socket in sockets.withLockedValue({ Array($0.values) }) where socket.isActive {
            socket.managerClosed(reason)
        }
        if options.reconnection, !skipReconnect { reconnect() }
    }

    /// Called by a socket that left: closes the connection when no socket is active
    /// (the Manager's `_destroy`).
    func socketDestroyed() {
        let anyActive = sockets.withLockedValue { $0.values.contains { $0.isActive } }
        if !anyActive { close() }
    }

    private func close() {
        skipReconnect = true
        reconnecting = false
        reconnectTimer?.cancel()
        reconnectTimer = nil
        let engine = self.engine
        self.engine = nil
        switch readyState {
        case .open:
            onClose(EngineClientCloseReason.forcedClose.rawValue, nil)
        case .opening:
            openTimer?.cancel()
            setReadyState(.closed)
            openCallbacks = []
        case .closed:
            break
        }
        engine?.close()
    }

    private func reconnect() {
        guard !reconnecting, !skipReconnect else { return }
        if backoff.attempts >= options.reconnectionAttempts {
            backoff.reset()
            reconnecting = false
            emit(.reconnectFailed)
            return
        }
        let delay = backoff.duration(random: options.random())
        reconnecting = true
        logger.debug("reconnecting", metadata: ["attempt": "\(backoff.attempts)", "delay": "\(delay)"])
        reconnectTimer = options.timers.scheduleTask(on: eventLoop, in: delay) { [self] in
            reconnectTimer = nil
            guard !skipReconnect else { return }
            emit(.reconnectAttempt(backoff.attempts))
            guard !skipReconnect else { return }
            open { [self] error in
                if let error {
                    reconnecting = false
                    reconnect()
                    emit(.reconnectError(error))
                } else {
                    let attempts = backoff.attempts
                    reconnecting = false
                    backoff.reset()
                    emit(.reconnect(attempts))
                }
            }
        }
    }

    /// Whether the Manager is waiting to reconnect.
    var isReconnecting: Bool { reconnecting }
    var isOpen: Bool { readyState == .open }

    // MARK: Packets

    private func engineMessage(_ message: EngineMessage) {
        do {
            let packet: SocketIOPacket?
            switch message {
            case .text(let text): packet = try decoder.receive(text: text)
            case .binary(let bytes): packet = try decoder.receive(binary: bytes)
            }
            guard let packet else { return }
            sockets.withLockedValue { $0[packet.namespace] }?.receive(packet)
        } catch {
            logger.debug("parse error", metadata: ["error": "\(error)"])
            let engine = self.engine
            self.engine = nil
            engine?.close()
            onClose(ClientDisconnectReason.parseError.rawValue, SocketIOClientError(.connectionFailed, "\(error)"))
        }
    }

    /// Encodes and writes a packet: its text and the attachments right behind it, or with
    /// msgpack its one binary message.
    func send(_ packet: SocketIOPacket) throws(SocketIOParserError) {
        let wire = try options.parser.encode(packet, textPrefix: nil)
        guard let engine else { return }
        switch wire {
        case .text(let encoded) where encoded.attachments.isEmpty:
            engine.send(.text(encoded.text))
        case .text(let encoded):
            var packets = [EnginePacket.message(.text(encoded.text))]
            for attachment in encoded.attachments { packets.append(.message(.binary(attachment))) }
            engine.send(packets)
        case .binary(let message):
            engine.send(.binary(message))
        }
    }

    /// Whether the transport can take a packet now (for `volatile`).
    var isWritable: Bool { readyState == .open && engine?.state == .open }
}

/// A weak reference to a Manager, `Sendable` because the Manager is.
private struct WeakBox: Sendable {
    weak var value: Manager?
    init(_ value: Manager) { self.value = value }

    /// The Manager, while it is alive and `generation` is its current engine's.
    func current(_ generation: Int) -> Manager? {
        guard let manager = value, manager.isCurrent(generation) else { return nil }
        return manager
    }
}
