public import NIOCore
package import Logging
import NIOConcurrencyHelpers
import NIOWebSocket

/// One Engine.IO session (Node's engine.io `Socket`): a client identified by its sid,
/// whatever transport currently carries it.
///
/// All mutable state lives on `eventLoop`; public methods may be called from any
/// thread and hop there. Listeners run on `eventLoop`, in the order events happen,
/// never under a lock.
public final class EngineSocket: @unchecked Sendable {
    /// The session id (`sid`).
    public let id: String
    /// The request that opened the session (Node's `socket.request`).
    public let request: EngineRequest
    /// The event loop that owns this session's state and runs its listeners.
    public let eventLoop: any EventLoop
    /// Always 4.
    public let protocolVersion = 4

    let options: EngineOptions
    private weak var server: EngineServer?
    /// The engine's logger; ``logger`` adds this session's id to it.
    package let baseLogger: Logger

    /// What other threads may read without hopping.
    private struct Observable {
        var transport: EngineTransportKind
        var readyState: EngineReadyState = .open
        var upgraded = false
    }
    private let observable: NIOLockedValueBox<Observable>

    // MARK: Loop-confined state

    enum Transport {
        case polling(pendingGet: PollingResponder?)
        case websocket(EngineWebSocketConnection)
    }
    var transport: Transport
    var readyState: EngineReadyState = .open
    /// Packets waiting for a polling GET (or for an upgrade to finish).
    var writeBuffer: [EnginePacket] = []
    /// The WebSocket that is probing an upgrade, and whether it sent its probe.
    var upgradeCandidate: (connection: EngineWebSocketConnection, probed: Bool)?
    var upgradeTimer: Scheduled<Void>?
    var pingIntervalTimer: Scheduled<Void>?
    var pingTimeoutTimer: Scheduled<Void>?
    var closeTimer: Scheduled<Void>?
    var listeners = EngineSocketListeners()

    init(
        id: String,
        request: EngineRequest,
        eventLoop: any EventLoop,
        transport: Transport,
        options: EngineOptions,
        server: EngineServer
    ) {
        self.id = id
        self.request = request
        self.eventLoop = eventLoop
        self.transport = transport
        self.options = options
        self.server = server
        self.baseLogger = server.logger
        let kind: EngineTransportKind
        switch transport {
        case .polling: kind = .polling
        case .websocket: kind = .websocket
        }
        self.observable = NIOLockedValueBox(Observable(transport: kind))
    }

    // MARK: Public state

    /// The transport carrying the session now.
    public var transportName: EngineTransportKind { observable.withLockedValue { $0.transport } }
    /// Whether the session is open, closing or closed.
    public var state: EngineReadyState { observable.withLockedValue { $0.readyState } }
    /// Whether the session was upgraded from polling to WebSocket.
    public var upgraded: Bool { observable.withLockedValue { $0.upgraded } }

    /// Whether a packet sent now would leave at once rather than wait in a buffer (Node's
    /// `transport.writable`, which volatile emits check). Call it on `eventLoop`.
    public var isWritable: Bool {
        eventLoop.assertInEventLoop()
        guard readyState == .open else { return false }
        switch transport {
        case .websocket(let connection): return writeBuffer.isEmpty && connection.channel.isWritable
        case .polling(let pendingGet): return pendingGet != nil
        }
    }

    /// How many packets wait in the write buffer for a polling GET or for an upgrade to
    /// finish (Node's `socket.writeBuffer.length`). Call it on `eventLoop`.
    public var bufferedPacketCount: Int {
        eventLoop.assertInEventLoop()
        return writeBuffer.count
    }

    // MARK: Sending

    /// Sends a message to the client (Node's `socket.send`). Callable from any thread.
    public func send(_ message: EngineMessage) {
        send(packets: [.message(message)])
    }

    /// Sends already-encoded packets as one batch, in order (one flush on WebSocket, one
    /// polling response). Callable from any thread.
    public func send(packets: [EnginePacket]) {
        if eventLoop.inEventLoop {
            sendPackets(packets)
        } else {
            eventLoop.execute { self.sendPackets(packets) }
        }
    }

    /// Closes the session (Node's `socket.close()`): packets already queued are still
    /// delivered, then the transport closes and `close` fires with `forced close`.
    public func close() {
        onLoop { $0.forceClose() }
    }

    // MARK: Listeners (registration hops to the session's loop)

    /// Adds a listener for messages from the client (Node's `message` / `data` events).
    public func onMessage(_ listener: @escaping @Sendable (EngineMessage) -> Void) {
        onLoop { $0.listeners.message.append(listener) }
    }
    /// Adds a listener for every packet received (Node's `packet`).
    public func onPacket(_ listener: @escaping @Sendable (EnginePacket) -> Void) {
        onLoop { $0.listeners.packet.append(listener) }
    }
    /// Adds a listener for every packet queued for sending (Node's `packetCreate`).
    public func onPacketCreate(_ listener: @escaping @Sendable (EnginePacket) -> Void) {
        onLoop { $0.listeners.packetCreate.append(listener) }
    }
    /// Adds a listener called when a WebSocket probe succeeded (Node's `upgrading`).
    public func onUpgrading(_ listener: @escaping @Sendable (EngineTransportKind) -> Void) {
        onLoop { $0.listeners.upgrading.append(listener) }
    }
    /// Adds a listener called once the session moved to WebSocket (Node's `upgrade`).
    public func onUpgrade(_ listener: @escaping @Sendable (EngineTransportKind) -> Void) {
        onLoop { $0.listeners.upgrade.append(listener) }
    }
    /// Adds a listener called when the write buffer was handed to the transport (Node's `drain`).
    public func onDrain(_ listener: @escaping @Sendable () -> Void) {
        onLoop { $0.listeners.drain.append(listener) }
    }
    /// Adds a listener called on every pong (Node's `heartbeat`).
    public func onHeartbeat(_ listener: @escaping @Sendable () -> Void) {
        onLoop { $0.listeners.heartbeat.append(listener) }
    }
    /// Adds a listener for the end of the session (Node's `close`), with its reason and an
    /// optional description. Added after the close, it runs at once.
    public func onClose(_ listener: @escaping @Sendable (EngineCloseReason, String?) -> Void) {
        onLoop { socket in
            if socket.readyState == .closed {
                listener(socket.closeReason ?? .transportClose, nil)
            } else {
                socket.listeners.close.append(listener)
            }
        }
    }

    var closeReason: EngineCloseReason?

    func setObservedTransport(_ kind: EngineTransportKind, upgraded: Bool) {
        observable.withLockedValue {
            $0.transport = kind
            $0.upgraded = upgraded
        }
    }

    func onLoop(_ body: @escaping @Sendable (EngineSocket) -> Void) {
        if eventLoop.inEventLoop {
            body(self)
        } else {
            eventLoop.execute { body(self) }
        }
    }

    // MARK: Opening

    /// Queues the open packet (and the initial packet) and starts the heartbeat.
    func open() {
        eventLoop.assertInEventLoop()
        var upgrades: [String] = []
        if case .polling = transport, options.allowUpgrades, options.transports.contains(.websocket) {
            upgrades = ["\"websocket\""]
        }
        let json = "{\"sid\":\(JSONString.quote(id)),\"upgrades\":[\(upgrades.joined(separator: ","))],"
            + "\"pingInterval\":\(options.pingInterval.milliseconds),\"pingTimeout\":\(options.pingTimeout.milliseconds),"
            + "\"maxPayload\":\(options.maxHttpBufferSize)}"
        var packets: [EnginePacket] = [.text(.open, string: json)]
        if let initial = options.initialPacket { packets.append(.message(initial)) }
        sendPackets(packets)
        schedulePing()
    }

    // MARK: Sending (on the loop)

    func sendPackets(_ packets: [EnginePacket]) {
        eventLoop.assertInEventLoop()
        guard readyState == .open else { return }
        if !listeners.packetCreate.isEmpty {
            for packet in packets { for listener in listeners.packetCreate { listener(packet) } }
        }
        // Fast path: an open WebSocket with nothing queued writes straight through.
        if case .websocket(let connection) = transport, writeBuffer.isEmpty {
            connection.send(packets)
            emitDrain()
            return
        }
        writeBuffer.append(contentsOf: packets)
        flush()
    }

    /// Hands the write buffer to the transport if it can take it now.
    func flush() {
        guard !writeBuffer.isEmpty, readyState != .closed else { return }
        switch transport {
        case .websocket(let connection):
            let packets = writeBuffer
            writeBuffer.removeAll(keepingCapacity: true)
            connection.send(packets)
            emitDrain()
        case .polling(let pendingGet):
            guard let pendingGet else { return }
            let packets = writeBuffer
            writeBuffer.removeAll(keepingCapacity: true)
            transport = .polling(pendingGet: nil)
            pendingGet.respond(.packets(packets))
            emitDrain()
            // A closing session whose close packet just left is done.
            if readyState == .closing, packets.last?.type == .close {
                finishClose(.forcedClose, description: nil)
            }
        }
    }

    private func emitDrain() {
        for listener in listeners.drain { listener() }
    }

    // MARK: Receiving

    /// A packet arrived on `connection` (the active WebSocket or an upgrade candidate).
    func receive(_ packet: EnginePacket, from connection: EngineWebSocketConnection) {
        // Called for every inbound frame: stay off the closure-allocating path when the
        // connection already runs on the session's loop (the usual case).
        if eventLoop.inEventLoop {
            receiveOnLoop(packet, from: connection)
        } else {
            eventLoop.execute { self.receiveOnLoop(packet, from: connection) }
        }
    }

    private func receiveOnLoop(_ packet: EnginePacket, from connection: EngineWebSocketConnection) {
        if let candidate = upgradeCandidate, candidate.connection === connection {
            receiveOnUpgradeCandidate(packet)
        } else if case .websocket(let active) = transport, active === connection {
            onPacket(packet)
        }
    }

    /// Handles one packet from the active transport.
    func onPacket(_ packet: EnginePacket) {
        eventLoop.assertInEventLoop()
        guard readyState == .open else { return }
        for listener in listeners.packet { listener(packet) }
        switch packet.type {
        case .message:
            let message = packet.message!
            for listener in listeners.message { listener(message) }
        case .pong:
            pingTimeoutTimer?.cancel()
            pingTimeoutTimer = nil
            schedulePing()
            for listener in listeners.heartbeat { listener() }
        case .ping:
            // In v4 only the server pings; a client ping is a protocol violation.
            onError("invalid heartbeat direction")
        case .close:
            finishClose(.transportClose, description: nil)
        case .open, .upgrade, .noop:
            break
        }
    }

    /// A transport failure: the session ends with `transport error` (or the given reason).
    func onError(_ description: String, reason: EngineCloseReason = .transportError) {
        finishClose(reason, description: description)
    }

    /// The WebSocket `connection` closed.
    func transportClosed(_ connection: EngineWebSocketConnection) {
        onLoop { socket in
            if let candidate = socket.upgradeCandidate, candidate.connection === connection {
                socket.abandonUpgrade()
            } else if case .websocket(let active) = socket.transport, active === connection {
                socket.finishClose(.transportClose, description: nil)
            }
        }
    }

    /// The WebSocket `connection` failed or sent something undecodable; its handler closes
    /// it with the matching close code.
    func transportFailed(_ connection: EngineWebSocketConnection, reason: EngineCloseReason, description: String) {
        onLoop { socket in
            if let candidate = socket.upgradeCandidate, candidate.connection === connection {
                socket.abandonUpgrade()
            } else if case .websocket(let active) = socket.transport, active === connection {
                socket.finishClose(reason, description: description, closeTransport: false)
            }
        }
    }

    // MARK: Closing

    func forceClose() {
        guard readyState == .open else { return }
        switch transport {
        case .websocket:
            // finishClose sends the close frame; it must run first so that the channel
            // closing underneath does not report a `transport close` instead.
            flush()
            finishClose(.forcedClose, description: nil)
        case .polling:
            readyState = .closing
            observable.withLockedValue { $0.readyState = .closing }
            writeBuffer.append(.close)
            flush()
            if readyState == .closing {
                // Let the client fetch what is queued, but not forever.
                closeTimer = options.timers.scheduleTask(on: eventLoop, in: options.closeTimeout) { [weak self] in
                    self?.finishClose(.forcedClose, description: nil)
                }
            }
        }
    }

    /// Ends the session now: releases the transport, stops timers, unregisters and tells
    /// the listeners. Idempotent.
    /// - Parameter closeTransport: `false` when the transport reported the failure and
    ///   closes itself (with its own close code).
    func finishClose(_ reason: EngineCloseReason, description: String?, closeTransport: Bool = true) {
        eventLoop.assertInEventLoop()
        guard readyState != .closed else { return }
        readyState = .closed
        closeReason = reason
        observable.withLockedValue { $0.readyState = .closed }
        for timer in [pingIntervalTimer, pingTimeoutTimer, upgradeTimer, closeTimer] { timer?.cancel() }
        pingIntervalTimer = nil
        pingTimeoutTimer = nil
        upgradeTimer = nil
        closeTimer = nil
        if let candidate = upgradeCandidate {
            candidate.connection.abort()
            upgradeCandidate = nil
        }
        switch transport {
        case .polling(let pendingGet):
            // The client closed: end its poll quietly. Otherwise tell it the session is over.
            pendingGet?.respond(.packets([reason == .transportClose ? .noop : .close]))
            transport = .polling(pendingGet: nil)
        case .websocket(let connection):
            if closeTransport { connection.close() }
        }
        writeBuffer.removeAll()
        debugLog("engine session closed", ["reason": "\(reason.rawValue)", "description": "\(description ?? "")"])
        server?.sessionClosed(self)
        let closeListeners = listeners.close
        listeners = EngineSocketListeners()
        for listener in closeListeners { listener(reason, description) }
    }
}

extension Duration {
    /// Whole milliseconds, as the open packet carries them.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
