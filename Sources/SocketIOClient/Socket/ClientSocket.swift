import EngineIOTimers
import NIOConcurrencyHelpers
import NIOCore
import SocketIOParser

/// A connection to one namespace over a ``Manager`` (`socket.io-client`'s `Socket`).
///
/// Named `ClientSocket` so that a program that also runs a server (the tests, the
/// console) can name both without qualification. Every public method may be called
/// from any thread; events reach listeners on ``Manager/eventLoop``, in the order they
/// arrived, never under a lock.
public final class ClientSocket: @unchecked Sendable {
    /// The namespace (`socket.nsp`).
    public let namespace: String
    /// The Manager that carries the socket (`socket.io`).
    public let io: Manager
    /// What the CONNECT packet carries.
    public let auth: SocketAuth?

    struct Listeners {
        var events: [String: ListenerList<EventHandler>] = [:]
        var any = ListenerList<AnyEventHandler>()
        var anyOutgoing = ListenerList<AnyEventHandler>()
        var connect = ListenerList<@Sendable () -> Void>()
        var connectError = ListenerList<@Sendable (SocketIOClientError) -> Void>()
        var disconnect = ListenerList<@Sendable (ClientDisconnectReason, String?) -> Void>()
    }
    let listeners = NIOLockedValueBox(Listeners())

    private struct Observable {
        var connected = false
        var active = false
        var id: String?
        var recovered = false
    }
    private let observable = NIOLockedValueBox(Observable())

    private struct PendingAck {
        let callback: @Sendable (Result<[JSONValue], SocketIOClientError>) -> Void
        var timer: Scheduled<Void>?
    }

    // MARK: Loop-confined state

    private var subscribed = false
    private var joined = false
    private var pid: String?
    private var lastOffset: String?
    private var nextAckID: UInt64 = 0
    private var acks: [UInt64: PendingAck] = [:]
    private var sendBuffer: [SocketIOPacket] = []
    private var receiveBuffer: [SocketIOPacket] = []
    private var connectAttempt = 0
    /// Emits waiting for their turn when ``SocketIOClientOptions/retries`` is set: one at a
    /// time, each until acknowledged or out of tries.
    private var retryQueue: [QueuedEmit] = []

    private final class QueuedEmit: @unchecked Sendable {
        let event: String
        let arguments: [JSONValue]
        let timeout: Duration?
        let ack: (@Sendable (Result<[JSONValue], SocketIOClientError>) -> Void)?
        var tryCount = 0
        var pending = false

        init(event: String, arguments: [JSONValue], timeout: Duration?, ack: (@Sendable (Result<[JSONValue], SocketIOClientError>) -> Void)?) {
            self.event = event
            self.arguments = arguments
            self.timeout = timeout
            self.ack = ack
        }
    }

    init(manager: Manager, namespace: String, auth: SocketAuth?) {
        self.io = manager
        self.namespace = namespace
        self.auth = auth
    }

    /// Whether the socket is connected to its namespace (`socket.connected`).
    public var connected: Bool { observable.withLockedValue { $0.connected } }
    /// Whether the socket is not connected (`socket.disconnected`).
    public var disconnected: Bool { !connected }
    /// Whether the socket will reconnect by itself (`socket.active`): it was connected and
    /// neither side disconnected it.
    public var active: Bool { observable.withLockedValue { $0.active } }
    /// The session id in the namespace, while connected (`socket.id`).
    public var id: String? { observable.withLockedValue { $0.id } }
    /// Whether the last connection recovered the previous session's state (`socket.recovered`).
    public var recovered: Bool { observable.withLockedValue { $0.recovered } }

    /// Whether the socket is subscribed to its Manager (read on the loop).
    var isActive: Bool { subscribed }

    // MARK: Connecting

    /// Connects to the namespace, opening the Manager's connection if needed (`socket.connect()`).
    /// - Returns: the socket.
    @discardableResult
    public func connect() -> ClientSocket {
        io.onLoop { [self] in
            guard !joined else { return }
            setActive(true)
            if !io.isReconnecting { io.open(then: nil) }
            if io.isOpen { managerOpened() }
        }
        return self
    }

    /// Same as ``connect()`` (`socket.open()`).
    @discardableResult
    public func open() -> ClientSocket { connect() }

    /// Disconnects from the namespace; the Manager's connection closes when no other socket
    /// uses it (`socket.disconnect()`).
    @discardableResult
    public func disconnect() -> ClientSocket {
        io.onLoop { [self] in
            let wasConnected = joined
            if wasConnected { try? io.send(.disconnect(namespace: namespace)) }
            destroy()
            if wasConnected { onClose(ClientDisconnectReason.ioClientDisconnect.rawValue, nil) }
        }
        return self
    }

    /// Same as ``disconnect()`` (`socket.close()`).
    @discardableResult
    public func close() -> ClientSocket { disconnect() }

    private func setActive(_ value: Bool) {
        subscribed = value
        observable.withLockedValue { $0.active = value }
    }

    private func destroy() {
        setActive(false)
        io.socketDestroyed()
    }

    func cancelTimers() {
        for key in acks.keys { acks[key]?.timer?.cancel() }
    }

    // MARK: From the Manager (on its loop)

    func managerOpened() {
        connectAttempt += 1
        let attempt = connectAttempt
        switch auth {
        case nil:
            sendConnect(nil)
        case .object(let object):
            sendConnect(object)
        case .provider(let provider):
            sendConnect(provider())
        case .asyncProvider(let provider):
            Task { [self] in
                let object = await provider()
                io.onLoop { [self] in
                    guard attempt == connectAttempt, io.isOpen, subscribed, !joined else { return }
                    sendConnect(object)
                }
            }
        }
    }

    private func sendConnect(_ auth: JSONObject?) {
        var data = auth
        if let pid {
            var recovery: JSONObject = ["pid": .string(pid)]
            recovery["offset"] = lastOffset.map { .string($0) } ?? .null
            for (key, value) in auth ?? [:] { recovery[key] = value }
            data = recovery
        }
        try? io.send(.connect(namespace: namespace, data: data))
    }

    func managerError(_ error: SocketIOClientError) {
        if !joined { emitConnectError(error) }
    }

    func managerClosed(_ reason: String) {
        onClose(reason, nil)
    }

    func receive(_ packet: SocketIOPacket) {
        switch packet.type {
        case .connect:
            guard let sid = packet.data?["sid"]?.stringValue else {
                emitConnectError(SocketIOClientError(.connectError, "It seems you are trying to reach a Socket.IO server in v2.x with a v3.x client, but they are not compatible"))
                return
            }
            onConnect(sid: sid, pid: packet.data?["pid"]?.stringValue)
        case .event, .binaryEvent:
            onEvent(packet)
        case .ack, .binaryAck:
            onAck(packet)
        case .disconnect:
            destroy()
            onClose(ClientDisconnectReason.ioServerDisconnect.rawValue, nil)
        case .connectError:
            destroy()
            let message = packet.data?["message"]?.stringValue ?? packet.data?.stringValue ?? "connect error"
            emitConnectError(SocketIOClientError(.connectError, message, data: packet.data?["data"]))
        }
    }

    private func onConnect(sid: String, pid: String?) {
        let recovered = pid != nil && self.pid == pid
        self.pid = pid
        joined = true
        observable.withLockedValue {
            $0.connected = true
            $0.id = sid
            $0.recovered = recovered
        }
        let received = receiveBuffer
        receiveBuffer = []
        for packet in received { dispatch(packet) }
        let buffered = sendBuffer
        sendBuffer = []
        for packet in buffered { write(packet) }
        for handler in listeners.withLockedValue({ $0.connect.handlers() }) { handler() }
        drainRetryQueue(force: true)
    }

    private func onClose(_ reason: String, _ description: String?) {
        guard joined else { return }
        joined = false
        observable.withLockedValue {
            $0.connected = false
            $0.id = nil
        }
        let typed = ClientDisconnectReason(rawValue: reason) ?? .transportClose
        for handler in listeners.withLockedValue({ $0.disconnect.handlers() }) { handler(typed, description) }
        clearAcks()
    }

    /// Fails the acks of packets that went out: their answers can no longer come. Those still
    /// in the send buffer wait for the next connection.
    private func clearAcks() {
        let waiting = Set(sendBuffer.compactMap(\.ackId))
        for id in acks.keys.sorted() where !waiting.contains(id) {
            guard let pending = acks.removeValue(forKey: id) else { continue }
            pending.timer?.cancel()
            pending.callback(.failure(.socketDisconnected))
        }
    }

    private func emitConnectError(_ error: SocketIOClientError) {
        for handler in listeners.withLockedValue({ $0.connectError.handlers() }) { handler(error) }
    }

    private func onEvent(_ packet: SocketIOPacket) {
        if joined {
            dispatch(packet)
        } else {
            receiveBuffer.append(packet)
        }
    }

    private func dispatch(_ packet: SocketIOPacket) {
        guard let name = packet.eventName else { return }
        let arguments = Array(packet.arguments)
        if pid != nil, packet.ackId == nil, let offset = arguments.last?.stringValue {
            lastOffset = offset
        }
        var ack: Ack?
        if let ackId = packet.ackId {
            let namespace = self.namespace
            ack = Ack { [io] reply in
                io.onLoop { try? io.send(.ack(reply, ackId: ackId, namespace: namespace)) }
            }
        }
        let (any, handlers) = listeners.withLockedValue { listeners -> ([AnyEventHandler], [EventHandler]) in
            (listeners.any.handlers(), listeners.events[name]?.handlers() ?? [])
        }
        for handler in any { handler(name, arguments) }
        for handler in handlers { handler(arguments, ack) }
    }

    private func onAck(_ packet: SocketIOPacket) {
        guard let id = packet.ackId, let pending = acks.removeValue(forKey: id) else { return }
        pending.timer?.cancel()
        pending.callback(.success(Array(packet.arguments)))
    }

    // MARK: Emitting (on the loop)

    func emitOnLoop(
        _ event: String,
        _ arguments: [JSONValue],
        volatile: Bool,
        timeout: Duration?,
        ack: (@Sendable (Result<[JSONValue], SocketIOClientError>) -> Void)?
    ) {
        if io.options.retries > 0, !volatile {
            retryQueue.append(QueuedEmit(event: event, arguments: arguments, timeout: timeout, ack: ack))
            drainRetryQueue(force: false)
            return
        }
        send(event, arguments, volatile: volatile, timeout: timeout, ack: ack)
    }

    /// Sends the head of the retry queue, unless it is already waiting for its ack
    /// (`_drainQueue` of `socket.io-client`).
    private func drainRetryQueue(force: Bool) {
        guard joined, let head = retryQueue.first, !head.pending || force else { return }
        head.pending = true
        head.tryCount += 1
        let retries = io.options.retries
        send(head.event, head.arguments, volatile: false, timeout: head.timeout) { [self] result in
            io.onLoop { [self] in
                guard retryQueue.first === head else { return }
                switch result {
                case .success:
                    retryQueue.removeFirst()
                    head.ack?(result)
                case .failure:
                    if head.tryCount > retries {
                        retryQueue.removeFirst()
                        head.ack?(result)
                    }
                }
                head.pending = false
                drainRetryQueue(force: false)
            }
        }
    }

    private func send(
        _ event: String,
        _ arguments: [JSONValue],
        volatile: Bool,
        timeout: Duration?,
        ack: (@Sendable (Result<[JSONValue], SocketIOClientError>) -> Void)?
    ) {
        var packet = SocketIOPacket.event(event, arguments, namespace: namespace)
        if let ack {
            let id = nextAckID
            nextAckID += 1
            packet.ackId = id
            var pending = PendingAck(callback: ack)
            if let timeout = timeout ?? io.options.ackTimeout {
                pending.timer = io.options.timers.scheduleTask(on: io.eventLoop, in: timeout) { [self] in
                    guard let expired = acks.removeValue(forKey: id) else { return }
                    sendBuffer.removeAll { $0.ackId == id }
                    expired.callback(.failure(.ackTimedOut))
                }
            }
            acks[id] = pending
        }
        if volatile, !(joined && io.isWritable) {
            return
        }
        if joined {
            write(packet)
        } else {
            sendBuffer.append(packet)
        }
    }

    private func write(_ packet: SocketIOPacket) {
        if packet.type.isEvent, let name = packet.eventName {
            let handlers = listeners.withLockedValue { $0.anyOutgoing.handlers() }
            if !handlers.isEmpty {
                let arguments = Array(packet.arguments)
                for handler in handlers { handler(name, arguments) }
            }
        }
        try? io.send(packet)
    }
}
