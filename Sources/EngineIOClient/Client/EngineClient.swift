public import EngineIOParser
import EngineIOTimers
import Logging
import NIOConcurrencyHelpers
public import NIOCore
import NIOSSL
import Synchronization

/// One Engine.IO client connection (`engine.io-client`'s `Socket`): the handshake, the
/// heartbeat, the write buffer, and the polling → WebSocket upgrade with its probe.
///
/// All mutable state lives on ``eventLoop``, where the transports' channels live too; the
/// public methods may be called from any thread and hop there. The handlers run on
/// ``eventLoop``, in the order things happen, never under a lock.
public final class EngineClient: @unchecked Sendable {
    /// What the connection reports to its owner, on its event loop.
    public struct Handlers: Sendable {
        /// The handshake completed.
        public var onOpen: @Sendable (EngineHandshake) -> Void = { _ in }
        /// A message arrived.
        public var onMessage: @Sendable (EngineMessage) -> Void = { _ in }
        /// The server pinged (and was answered).
        public var onPing: @Sendable () -> Void = {}
        /// The connection moved to another transport.
        public var onUpgrade: @Sendable (EngineTransportKind) -> Void = { _ in }
        /// The connection closed (or never opened); called once.
        public var onClose: @Sendable (EngineClientCloseReason, (any Error)?) -> Void = { _, _ in }

        /// Creates handlers that ignore everything.
        public init() {}
    }

    /// The connection's state, as `engine.io-client`'s `readyState`.
    public enum ReadyState: String, Sendable {
        /// Connecting: the handshake has not arrived.
        case opening
        /// Open: packets flow.
        case open
        /// Closing once what is buffered was written.
        case closing
        /// Closed.
        case closed
    }

    /// The event loop that owns the connection.
    public let eventLoop: any EventLoop
    /// Where it connects.
    public let url: EngineClientURL
    /// Its options.
    public let options: EngineClientOptions

    private let handlers: Handlers
    private let endpoint: EngineClientEndpoint
    private var logger: Logger

    private struct Observable {
        var readyState: ReadyState = .closed
        var transport: EngineTransportKind?
        var sid: String?
    }
    private let observable = NIOLockedValueBox(Observable())

    /// Whether any WebSocket succeeded in this process (`rememberUpgrade`).
    private static let priorWebsocketSuccess = Atomic<Bool>(false)

    // MARK: Loop-confined state

    private var readyState = ReadyState.closed
    private var transport: (any EngineClientTransport)?
    private var probe: (any EngineClientTransport)?
    private var upgrading = false
    private var writeBuffer: [EnginePacket] = []
    private var pingTimer: Scheduled<Void>?
    private var handshake: EngineHandshake?
    private var started = false

    /// Creates a connection; nothing happens until ``open()``.
    /// - Parameters:
    ///   - url: The server.
    ///   - options: The options.
    ///   - eventLoop: The loop that owns the connection and its channels.
    ///   - handlers: What to tell the owner.
    /// - Throws: when the TLS configuration cannot be loaded.
    public init(url: EngineClientURL, options: EngineClientOptions, eventLoop: any EventLoop, handlers: Handlers) throws {
        self.url = url
        self.options = options
        self.eventLoop = eventLoop
        self.handlers = handlers
        self.logger = options.logger
        self.logger[metadataKey: "url"] = "\(url.origin)"
        let sslContext = url.secure ? try NIOSSLContext(configuration: options.tlsConfiguration ?? .makeClientConfiguration()) : nil
        self.endpoint = EngineClientEndpoint(url: url, options: options, eventLoop: eventLoop, sslContext: sslContext)
    }

    /// The connection's state.
    public var state: ReadyState { observable.withLockedValue { $0.readyState } }
    /// The session id, once open.
    public var id: String? { observable.withLockedValue { $0.sid } }
    /// The transport in use.
    public var transportName: EngineTransportKind? { observable.withLockedValue { $0.transport } }

    /// Opens the connection with the first transport of ``EngineClientOptions/transports``
    /// (WebSocket when ``EngineClientOptions/rememberUpgrade`` applies).
    public func open() {
        eventLoop.run { [self] in
            guard !started else { return }
            started = true
            var kinds = options.transports
            if kinds.isEmpty { kinds = [.polling, .websocket] }
            var kind = kinds[0]
            if options.rememberUpgrade, Self.priorWebsocketSuccess.load(ordering: .relaxed), kinds.contains(.websocket) {
                kind = .websocket
            }
            setReadyState(.opening)
            let transport = makeTransport(kind, sid: nil)
            setTransport(transport)
            transport.open()
        }
    }

    /// Sends one message (a `message` packet).
    public func send(_ message: EngineMessage) {
        send([EnginePacket.message(message)])
    }

    /// Sends packets back to back: nothing else comes between them.
    public func send(_ packets: [EnginePacket]) {
        eventLoop.run { [self] in
            guard readyState == .opening || readyState == .open else { return }
            writeBuffer.append(contentsOf: packets)
            flush()
        }
    }

    /// Closes the connection after what is buffered was written (reason `forced close`).
    /// During an upgrade it waits for the upgrade to end, as the official client does: the
    /// buffer (a namespace's DISCONNECT, say) is held until then and must not be lost.
    public func close() {
        eventLoop.run { [self] in
            switch readyState {
            case .opening, .open:
                setReadyState(.closing)
                // Otherwise the drain after the buffer's last write, or the upgrade's end, closes.
                if writeBuffer.isEmpty, !upgrading { finishClose() }
            case .closing, .closed:
                if !started {
                    started = true
                    setReadyState(.closed)
                }
            }
        }
    }

    // MARK: Internals

    private func setReadyState(_ state: ReadyState) {
        readyState = state
        observable.withLockedValue { $0.readyState = state }
    }

    private func makeTransport(_ kind: EngineTransportKind, sid: String?) -> any EngineClientTransport {
        switch kind {
        case .polling: PollingTransport(endpoint: endpoint, sid: sid)
        case .websocket: WebSocketTransport(endpoint: endpoint, sid: sid)
        }
    }

    private func setTransport(_ transport: any EngineClientTransport) {
        self.transport = transport
        transport.delegate = self
        observable.withLockedValue { $0.transport = transport.kind }
    }

    private func flush() {
        guard readyState != .closed, !upgrading, !writeBuffer.isEmpty, let transport, transport.writable else { return }
        var count = writeBuffer.count
        if transport.kind == .polling, let maxPayload = handshake?.maxPayload, maxPayload > 0 {
            // A polling body must stay under the server's maxPayload; always send at least one.
            var size = 0
            count = 0
            for packet in writeBuffer {
                size += packet.byteCount + 2
                if count > 0, size > maxPayload { break }
                count += 1
            }
        }
        let batch = Array(writeBuffer.prefix(count))
        writeBuffer.removeFirst(count)
        transport.send(batch)
    }

    private func onHandshake(_ packet: EnginePacket) {
        let handshake: EngineHandshake
        do {
            handshake = try EngineHandshake(json: packet.data)
        } catch {
            onClose(.parseError, error)
            return
        }
        self.handshake = handshake
        logger[metadataKey: "sid"] = "\(handshake.sid)"
        logger.debug("open", metadata: ["transport": "\(transport?.kind.rawValue ?? "?")"])
        transport?.sid = handshake.sid
        observable.withLockedValue { $0.sid = handshake.sid }
        setReadyState(.open)
        if transport?.kind == .websocket { Self.priorWebsocketSuccess.store(true, ordering: .relaxed) }
        resetPingTimeout()
        handlers.onOpen(handshake)
        guard readyState == .open else { return }
        flush()
        if options.upgrade, transport?.kind == .polling, options.transports.contains(.websocket),
            handshake.upgrades.contains(EngineTransportKind.websocket.rawValue)
        {
            startProbe(sid: handshake.sid)
        }
    }

    private func resetPingTimeout() {
        pingTimer?.cancel()
        guard let handshake else { return }
        pingTimer = options.timers.scheduleTask(on: eventLoop, in: handshake.pingInterval + handshake.pingTimeout) { [self] in
            onClose(.pingTimeout, nil)
        }
    }

    private func onPacket(_ packet: EnginePacket) {
        guard readyState == .opening || readyState == .open || readyState == .closing else { return }
        switch packet.type {
        case .open:
            if handshake == nil { onHandshake(packet) }
        case .ping:
            resetPingTimeout()
            writeBuffer.append(.pong)
            flush()
            handlers.onPing()
        case .message:
            if let message = packet.message { handlers.onMessage(message) }
        case .close:
            onClose(.transportClose, nil)
        case .pong, .upgrade, .noop:
            break
        }
    }

    private func finishClose() {
        let transport = self.transport
        self.transport = nil
        onClose(.forcedClose, nil)
        transport?.close()
    }

    private func onClose(_ reason: EngineClientCloseReason, _ error: (any Error)?) {
        guard readyState != .closed else { return }
        pingTimer?.cancel()
        pingTimer = nil
        transport?.discard()
        transport = nil
        probe?.discard()
        probe = nil
        writeBuffer = []
        setReadyState(.closed)
        observable.withLockedValue { $0.sid = nil }
        logger.debug("close", metadata: ["reason": "\(reason.rawValue)", "error": "\(error.map { "\($0)" } ?? "none")"])
        handlers.onClose(reason, error)
    }

    // MARK: Upgrade

    private func startProbe(sid: String) {
        let candidate = makeTransport(.websocket, sid: sid)
        probe = candidate
        candidate.delegate = self
        candidate.open()
    }

    private func probeOpened(_ candidate: any EngineClientTransport) {
        candidate.send([.probePing])
    }

    private func probeReceived(_ candidate: any EngineClientTransport, _ packet: EnginePacket) {
        guard packet.type == .pong, String(buffer: packet.data) == "probe" else {
            abandonProbe()
            return
        }
        upgrading = true
        transport?.pause { [self] in
            guard probe === candidate, readyState == .open || readyState == .closing else { return }
            probe = nil
            transport?.discard()
            setTransport(candidate)
            Self.priorWebsocketSuccess.store(true, ordering: .relaxed)
            candidate.send([.upgrade])
            upgrading = false
            logger.debug("upgraded", metadata: ["transport": "\(candidate.kind.rawValue)"])
            handlers.onUpgrade(candidate.kind)
            if readyState == .closing, writeBuffer.isEmpty {
                finishClose()
            } else {
                // When closing, the drain after this write closes.
                flush()
            }
        }
    }

    private func abandonProbe() {
        logger.debug("upgrade probe failed")
        probe?.discard()
        probe = nil
        if upgrading {
            // The polling transport is paused for good; the official client gives up too.
            onClose(.transportError, EngineClientError.transportFailed("upgrade failed after the probe"))
        }
    }
}

extension EngineClient: EngineClientTransportDelegate {
    func transportDidOpen(_ transport: any EngineClientTransport) {
        if transport === probe { probeOpened(transport) }
    }

    func transport(_ transport: any EngineClientTransport, didReceive packet: EnginePacket) {
        if transport === probe {
            probeReceived(transport, packet)
        } else if transport === self.transport {
            onPacket(packet)
        }
    }

    func transportDidDrain(_ transport: any EngineClientTransport) {
        guard transport === self.transport else { return }
        if readyState == .closing, writeBuffer.isEmpty {
            finishClose()
        } else {
            flush()
        }
    }

    func transport(_ transport: any EngineClientTransport, didCloseWith reason: EngineClientCloseReason, error: (any Error)?) {
        if transport === probe {
            probe = nil
            if upgrading { abandonProbe() }
        } else if transport === self.transport {
            onClose(reason, error)
        }
    }
}
