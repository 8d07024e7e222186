import Logging
import NIOConcurrencyHelpers
import EngineIO
import NIOCore

/// What happens on the socket's event loop: connecting, incoming packets, deliveries,
/// acknowledgements and closing.
extension Socket {
    /// The reasons after which a session is kept for connection state recovery.
    static let recoverableReasons: Set<DisconnectReason> = [
        .transportError, .transportClose, .forcedClose, .pingTimeout, .serverShuttingDown, .forcedServerClose,
    ]

    // MARK: Connecting

    /// Joins the namespace: registers, joins its own room, answers the CONNECT, replays
    /// what a restored session missed, then tells the `connection` listeners.
    func onConnect(restored: RestoredSession?) {
        eventLoop.assertInEventLoop()
        shared.withLockedValue { $0.connected = true }
        namespace.register(self)
        client.register(self)
        join(id)
        if let restored { join(Array(restored.session.rooms)) }
        // As Node: the missed packets go out before the CONNECT reply; clients hold events
        // that arrive before it and deliver them once connected.
        for missed in restored?.missedPackets ?? [] {
            client.send(SocketIOPacket(type: .event, namespace: namespace.name, data: .array(missed)))
        }
        var reply: JSONObject = ["sid": .string(id)]
        if let pid { reply["pid"] = .string(pid) }
        client.send(SocketIOPacket.connect(namespace: namespace.name, data: reply))
        debugLog("socket connected", restored == nil ? [:] : ["recovered": "true"])
        namespace.emitConnection(self)
    }

    // MARK: Incoming

    func onPacket(_ packet: SocketIOPacket) {
        eventLoop.assertInEventLoop()
        guard connected else { return }
        switch packet.type {
        case .event, .binaryEvent:
            onEvent(packet)
        case .ack, .binaryAck:
            onAckPacket(packet)
        case .disconnect:
            onClose(.clientNamespaceDisconnect, description: nil)
        case .connect, .connectError:
            break
        }
    }

    private func onEvent(_ packet: SocketIOPacket) {
        guard let event = packet.eventName else { return }
        var arguments = Array(packet.arguments)
        var ack: Ack?
        if let ackID = packet.ackId {
            let client = self.client
            let name = namespace.name
            ack = Ack { reply in
                client.sendFromAnyThread(SocketIOPacket.ack(reply, ackId: ackID, namespace: name))
            }
        }
        let listeners = self.listeners.withLockedValue { $0 }
        for entry in listeners.any { entry.handler(event, arguments, ack) }
        if packetQueue.isBusy || listeners.middlewares.contains(where: { $0.handler.isAsync }) {
            enqueueForMiddlewares(QueuedEvent(name: event, arguments: arguments, ack: ack))
            return
        }
        do {
            for entry in listeners.middlewares {
                if case .sync(let middleware) = entry.handler { try middleware(event, &arguments) }
            }
        } catch {
            emitError(error)
            return
        }
        dispatchToHandlers(event, arguments, ack: ack, handlers: listeners.events[event])
    }

    /// Calls the `on` handlers of `event` (on the loop), removing the `once` ones.
    func dispatchToHandlers(_ event: String, _ arguments: [JSONValue], ack: Ack?, handlers: [SocketListeners.Entry<EventHandler>]?) {
        guard let handlers else { return }
        if handlers.contains(where: \.once) {
            let onceIDs = Set(handlers.filter(\.once).map(\.id))
            self.listeners.withLockedValue { $0.events[event]?.removeAll { onceIDs.contains($0.id) } }
        }
        for entry in handlers { entry.handler(arguments, ack) }
    }

    private func onAckPacket(_ packet: SocketIOPacket) {
        guard let ackID = packet.ackId, let pending = acks.removeValue(forKey: ackID) else { return }
        pending.timer?.cancel()
        pending.callback(.success(Array(packet.arguments)))
    }

    func emitError(_ error: any Error) {
        let handlers = listeners.withLockedValue { $0.error }
        for entry in handlers { entry.handler(error) }
    }

    // MARK: Outgoing

    /// Whether an outgoing event is not sent: `volatile` to a client not ready for it, or
    /// shed by the slow-consumer policy. Each drop is counted.
    private func dropsOutgoing(_ event: String?, volatile: Bool) -> Bool {
        if volatile, !conn.isWritable {
            ServerMetrics.packetDropped(.volatile, namespace: namespace.name)
            return true
        }
        if let slowConsumerPolicy, slowConsumerPolicy.drops(event, on: conn) {
            ServerMetrics.packetDropped(.slowConsumer, namespace: namespace.name)
            return true
        }
        return false
    }

    /// Writes pre-encoded packets of a broadcast (on the loop).
    func deliver(_ enginePackets: [EnginePacket], outgoing: OutgoingEvent?, volatile: Bool) {
        guard connected, !dropsOutgoing(outgoing?.name, volatile: volatile) else { return }
        notifyOutgoing(outgoing)
        client.write(enginePackets)
    }

    /// Sends `packet` (an event, possibly with an ack id) to this client (on the loop).
    func sendEvent(_ packet: SocketIOPacket, volatile: Bool) {
        guard connected, !dropsOutgoing(packet.eventName, volatile: volatile) else { return }
        notifyOutgoing(OutgoingEvent(packet))
        client.send(packet)
    }

    /// Calls the `onAnyOutgoing` listeners; the event is only built when there are some.
    func notifyOutgoing(_ event: @autoclosure () -> OutgoingEvent?) {
        let listeners = listeners.withLockedValue { $0.anyOutgoing }
        guard !listeners.isEmpty, let event = event() else { return }
        for entry in listeners { entry.handler(event.name, event.arguments) }
    }

    /// Registers the callback of ack `id` (on the loop), with its timeout.
    func registerAck(_ id: UInt64, timeout: Duration?, callback: @escaping @Sendable (Result<[JSONValue], SocketIOError>) -> Void) {
        var timer: Scheduled<Void>?
        if let timeout {
            timer = server.options.engine.timers.scheduleTask(on: eventLoop, in: timeout) { [weak self] in
                guard let self, let pending = self.acks.removeValue(forKey: id) else { return }
                ServerMetrics.ackTimedOut(namespace: self.namespace.name)
                pending.callback(.failure(.ackTimeout))
            }
        }
        acks[id] = PendingAck(callback: callback, timer: timer)
    }

    /// One target of a broadcast with acknowledgements (on the loop).
    func emitExpectingAck(_ enginePackets: [EnginePacket], packet: SocketIOPacket, outgoing: OutgoingEvent?, reply: @escaping @Sendable (JSONValue) -> Void) {
        guard connected, let ackID = packet.ackId else { return }
        registerAck(ackID, timeout: nil) { result in
            if case .success(let arguments) = result { reply(arguments.first ?? .null) }
        }
        notifyOutgoing(outgoing)
        client.write(enginePackets)
    }

    // MARK: Closing

    /// Leaves the namespace with `reason` (Node's `_onclose`). Idempotent.
    func onClose(_ reason: DisconnectReason, description: String?) {
        eventLoop.assertInEventLoop()
        guard connected else { return }
        debugLog("socket disconnected", ["reason": "\(reason.rawValue)"])
        let listeners = self.listeners.withLockedValue { $0 }
        for entry in listeners.disconnecting { entry.handler(reason, description) }
        if let pid, Self.recoverableReasons.contains(reason) {
            let session = PersistedSession(sid: id, pid: pid, rooms: rooms, data: data)
            let adapter = self.adapter
            Task { await adapter.persistSession(session) }
        }
        adapter.delAll(id)
        namespace.unregister(self)
        client.unregister(self)
        shared.withLockedValue { $0.connected = false }
        let pending = acks
        acks.removeAll()
        for ack in pending.values {
            ack.timer?.cancel()
            ack.callback(.failure(.disconnected))
        }
        for entry in listeners.disconnect { entry.handler(reason, description) }
    }
}
