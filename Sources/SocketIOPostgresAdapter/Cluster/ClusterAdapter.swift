public import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
public import SocketIO

/// A cluster-ready adapter (Node's `ClusterAdapterWithHeartbeat`): broadcasts and
/// requests go to the other servers through a ``ClusterBus``, theirs are applied here,
/// heartbeats tell who is alive. The wire format is Node's, so Swift and Node servers can
/// share one cluster.
open class ClusterAdapter: Adapter, @unchecked Sendable {
    /// This server's id in the cluster (16 hex characters).
    public let uid = ClusterMessage.randomID()
    let bus: any ClusterBus
    let clusterOptions: ClusterAdapterOptions
    let logger: Logger
    let publisher: ClusterPublisher
    private let timerLoop = MultiThreadedEventLoopGroup.singleton.any()
    /// The server's timer source: heartbeats, the silent-node sweep and request timeouts run
    /// on it, so tests can move cluster time themselves.
    private var timers: any TimerSource { namespace.server.options.engine.timers }

    struct PendingRequest {
        var missing: Set<String>
        /// Each response item with the uid of the server that sent it.
        var responses: [(node: String, value: JSONValue)]
        let continuation: CheckedContinuation<[(node: String, value: JSONValue)], any Error>
        let timer: Scheduled<Void>
    }

    struct AckRequest {
        let clientCount: @Sendable (Int) -> Void
        let ack: @Sendable (JSONValue) -> Void
    }

    struct ClusterState {
        var nodes: [String: ContinuousClock.Instant] = [:]
        var requests: [String: PendingRequest] = [:]
        var ackRequests: [String: AckRequest] = [:]
        var heartbeat: Scheduled<Void>?
        var cleanup: Scheduled<Void>?
        var closed = false
    }
    let cluster = NIOLockedValueBox(ClusterState())

    /// Creates the adapter of `namespace` on `bus`.
    public init(namespace: Namespace, bus: any ClusterBus, options: ClusterAdapterOptions = ClusterAdapterOptions(), logger: Logger = Logger(label: "socket.io.cluster")) {
        self.bus = bus
        self.clusterOptions = options
        self.logger = logger
        self.publisher = ClusterPublisher(bus: bus, logger: logger)
        super.init(namespace: namespace)
    }

    // MARK: Lifecycle

    open override func initialize() async throws {
        await bus.subscribe(namespace: namespace.name) { [weak self] message in self?.onMessage(message) }
        scheduleSweep()
        publish(.initialHeartbeat)
    }

    /// Looks for silent nodes every second (Node's cleanup timer).
    private func scheduleSweep() {
        let next = timers.scheduleTask(on: timerLoop, in: .seconds(1)) { [weak self] in
            guard let self else { return }
            self.dropSilentNodes(olderThan: self.clusterOptions.heartbeatTimeout)
            self.scheduleSweep()
        }
        let stillOpen = cluster.withLockedValue { state -> Bool in
            guard !state.closed else { return false }
            state.cleanup = next
            return true
        }
        if !stillOpen { next.cancel() }
    }

    open override func close() async {
        let alreadyClosed = cluster.withLockedValue { state -> Bool in
            defer { state.closed = true }
            state.heartbeat?.cancel()
            state.cleanup?.cancel()
            return state.closed
        }
        guard !alreadyClosed else { return }
        publisher.enqueue(message(.adapterClose))
        await publisher.finish()
        await bus.unsubscribe(namespace: namespace.name)
    }

    /// This server plus every server heard from within the heartbeat timeout.
    open override func serverCount() async -> Int {
        1 + cluster.withLockedValue { $0.nodes.count }
    }

    /// The other servers and when each was last heard from.
    public var nodes: [String: ContinuousClock.Instant] { cluster.withLockedValue { $0.nodes } }

    /// Messages that could not be published (PostgreSQL down, queue full…).
    public var publishFailures: Int { publisher.failureCount }

    // MARK: Publishing

    func message(_ type: ClusterMessageType, _ data: JSONObject? = nil) -> ClusterMessage {
        ClusterMessage(uid: uid, nsp: namespace.name, type: type, data: data)
    }

    func publish(_ type: ClusterMessageType, _ data: JSONObject? = nil) {
        guard !cluster.withLockedValue({ $0.closed }) else { return }
        publisher.enqueue(message(type, data))
        scheduleHeartbeat()
    }

    /// Sends a heartbeat `heartbeatInterval` after the last message (Node refreshes the
    /// timer on every publish).
    private func scheduleHeartbeat() {
        let interval = clusterOptions.heartbeatInterval
        let next = timers.scheduleTask(on: timerLoop, in: interval) { [weak self] () -> Void in self?.publish(.heartbeat) }
        let previous = cluster.withLockedValue { state -> Scheduled<Void>? in
            defer { state.heartbeat = next }
            return state.heartbeat
        }
        previous?.cancel()
    }

    // MARK: Operations that span the cluster

    open override func broadcast(_ packet: SocketIOPacket, options: BroadcastOptions) {
        if !options.flags.local {
            publish(.broadcast, ["packet": ClusterMessage.encode(packet), "opts": ClusterMessage.encode(options)])
        }
        super.broadcast(packet, options: options)
    }

    open override func broadcastWithAck(
        _ packet: SocketIOPacket,
        options: BroadcastOptions,
        clientCount: @escaping @Sendable (Int) -> Void,
        ack: @escaping @Sendable (JSONValue) -> Void
    ) {
        if !options.flags.local {
            let requestID = ClusterMessage.randomID()
            cluster.withLockedValue { $0.ackRequests[requestID] = AckRequest(clientCount: clientCount, ack: ack) }
            publish(.broadcast, [
                "packet": ClusterMessage.encode(packet), "requestId": .string(requestID), "opts": ClusterMessage.encode(options),
            ])
            // Nothing tells when every remote client answered: forget the request after the timeout.
            let lifetime = options.flags.timeout ?? clusterOptions.requestsTimeout
            _ = timers.scheduleTask(on: timerLoop, in: lifetime) { [weak self] in
                _ = self?.cluster.withLockedValue { $0.ackRequests.removeValue(forKey: requestID) }
            }
        }
        super.broadcastWithAck(packet, options: options, clientCount: clientCount, ack: ack)
    }

    open override func addSockets(_ options: BroadcastOptions, rooms: [String]) {
        if !options.flags.local {
            publish(.socketsJoin, ["opts": ClusterMessage.encode(options), "rooms": .array(rooms.map(JSONValue.string))])
        }
        super.addSockets(options, rooms: rooms)
    }

    open override func delSockets(_ options: BroadcastOptions, rooms: [String]) {
        if !options.flags.local {
            publish(.socketsLeave, ["opts": ClusterMessage.encode(options), "rooms": .array(rooms.map(JSONValue.string))])
        }
        super.delSockets(options, rooms: rooms)
    }

    open override func disconnectSockets(_ options: BroadcastOptions, close: Bool) {
        if !options.flags.local {
            publish(.disconnectSockets, ["opts": ClusterMessage.encode(options), "close": .bool(close)])
        }
        super.disconnectSockets(options, close: close)
    }

    open override func fetchSockets(_ options: BroadcastOptions) async throws -> [RemoteSocket] {
        try await fetchSocketsByNode(options).map(\.socket)
    }

    /// `fetchSockets`, each socket with the uid of the server that holds it (``uid`` for
    /// this server's own): what a console needs to show where a socket lives.
    /// - Throws: ``ClusterRequestTimeout`` when a server does not answer in time.
    public func fetchSocketsByNode(_ options: BroadcastOptions) async throws -> [(node: String, socket: RemoteSocket)] {
        var localOptions = options
        localOptions.flags.local = true
        let local = try await super.fetchSockets(localOptions).map { (node: uid, socket: $0) }
        guard !options.flags.local, !nodes.isEmpty else { return local }
        let remote = try await request(
            .fetchSockets,
            ["opts": ClusterMessage.encode(options)],
            timeout: options.flags.timeout ?? clusterOptions.requestsTimeout
        )
        return local + remote.compactMap { item in
            ClusterMessage.decodeSocket(item.value, namespace: namespace).map { (node: item.node, socket: $0) }
        }
    }

    /// The ids of the sockets in `rooms` on every server of the cluster (Node's
    /// `allSockets()` on a cluster adapter), asked with the `fetchSockets` request. When
    /// a server does not answer in time, the ids that did arrive are returned.
    open override func sockets(_ rooms: Set<String>) async -> Set<String> {
        let local = await super.sockets(rooms)
        guard !nodes.isEmpty else { return local }
        let options = BroadcastOptions(rooms: rooms)
        do {
            let remote = try await request(.fetchSockets, ["opts": ClusterMessage.encode(options)], timeout: clusterOptions.requestsTimeout)
            return local.union(remote.compactMap { $0.value["id"]?.stringValue })
        } catch let timeout as ClusterRequestTimeout {
            return local.union(timeout.responses.compactMap { $0["id"]?.stringValue })
        } catch {
            return local
        }
    }

    open override func serverSideEmit(_ arguments: [JSONValue]) {
        publish(.serverSideEmit, ["packet": .array(arguments)])
    }

    open override func serverSideEmitWithAck(_ arguments: [JSONValue], timeout: Duration?) async throws -> [JSONValue] {
        guard !nodes.isEmpty else { return [] }
        return try await request(.serverSideEmit, ["packet": .array(arguments)], timeout: timeout ?? clusterOptions.requestsTimeout)
            .map(\.value)
    }

    /// Publishes a request and waits for one response from every server known now; a
    /// server that leaves meanwhile is no longer waited for.
    private func request(_ type: ClusterMessageType, _ data: JSONObject, timeout: Duration) async throws -> [(node: String, value: JSONValue)] {
        let requestID = ClusterMessage.randomID()
        var data = data
        data["requestId"] = .string(requestID)
        let payload = data
        return try await withCheckedThrowingContinuation { continuation in
            let timer = timers.scheduleTask(on: timerLoop, in: timeout) { [weak self] () -> Void in self?.timeOut(requestID) }
            cluster.withLockedValue { state in
                state.requests[requestID] = PendingRequest(
                    missing: Set(state.nodes.keys), responses: [], continuation: continuation, timer: timer
                )
            }
            publish(type, payload)
        }
    }

    private func timeOut(_ requestID: String) {
        guard let request = cluster.withLockedValue({ $0.requests.removeValue(forKey: requestID) }) else { return }
        request.continuation.resume(throwing: ClusterRequestTimeout(missing: request.missing.count, responses: request.responses.map(\.value)))
    }

    // MARK: Receiving

    /// Applies a message from another server (the bus calls this).
    public func onMessage(_ message: ClusterMessage) {
        guard message.uid != uid else { return }
        guard message.nsp.isEmpty || message.nsp == namespace.name else { return }
        if message.uid != "emitter" {
            let now = timers.now
            cluster.withLockedValue { $0.nodes[message.uid] = now }
        }
        let data = message.data
        switch message.type {
        case .initialHeartbeat:
            publish(.heartbeat)
        case .heartbeat:
            break
        case .adapterClose:
            removeNode(message.uid)
        case .broadcast:
            guard let packet = ClusterMessage.decodePacket(data?["packet"], namespace: namespace.name) else { return }
            let options = ClusterMessage.decodeOptions(data?["opts"])
            if let requestID = message.requestID {
                localBroadcastWithAck(packet, options: options, requestID: requestID, requester: message.uid)
            } else {
                super.broadcast(packet, options: options)
            }
        case .socketsJoin:
            super.addSockets(ClusterMessage.decodeOptions(data?["opts"]), rooms: data?["rooms"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        case .socketsLeave:
            super.delSockets(ClusterMessage.decodeOptions(data?["opts"]), rooms: data?["rooms"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        case .disconnectSockets:
            super.disconnectSockets(ClusterMessage.decodeOptions(data?["opts"]), close: data?["close"]?.boolValue ?? false)
        case .fetchSockets:
            guard let requestID = message.requestID else { return }
            var options = ClusterMessage.decodeOptions(data?["opts"])
            options.flags.local = true
            let sockets = localSockets(options).map { ClusterMessage.encode(RemoteSocket(id: $0.id, handshake: $0.handshake, rooms: $0.rooms, data: $0.data, namespace: namespace)) }
            publish(.fetchSocketsResponse, ["requestId": .string(requestID), "sockets": .array(sockets)])
        case .serverSideEmit:
            receiveServerSideEmit(data, requestID: message.requestID)
        case .fetchSocketsResponse, .serverSideEmitResponse, .broadcastClientCount, .broadcastAck:
            onResponse(message)
        }
    }

    private func localBroadcastWithAck(_ packet: SocketIOPacket, options: BroadcastOptions, requestID: String, requester: String) {
        super.broadcastWithAck(packet, options: options, clientCount: { [weak self] count in
            self?.publish(.broadcastClientCount, ["requestId": .string(requestID), "clientCount": .int(Int64(count))])
        }, ack: { [weak self] reply in
            self?.publish(.broadcastAck, ["requestId": .string(requestID), "packet": reply])
        })
    }

    private func receiveServerSideEmit(_ data: JSONObject?, requestID: String?) {
        guard let packet = data?["packet"]?.arrayValue, let event = packet.first?.stringValue else { return }
        let arguments = Array(packet.dropFirst())
        var ack: Ack?
        if let requestID {
            ack = Ack { [weak self] reply in
                self?.publish(.serverSideEmitResponse, ["requestId": .string(requestID), "packet": reply.first ?? .null])
            }
        }
        namespace.receiveServerSideEmit(event, arguments, ack: ack)
    }

    private func onResponse(_ message: ClusterMessage) {
        guard let requestID = message.requestID, let data = message.data else { return }
        switch message.type {
        case .broadcastClientCount:
            let request = cluster.withLockedValue { $0.ackRequests[requestID] }
            request?.clientCount(Int(data["clientCount"]?.intValue ?? 0))
        case .broadcastAck:
            let request = cluster.withLockedValue { $0.ackRequests[requestID] }
            request?.ack(data["packet"] ?? .null)
        case .fetchSocketsResponse, .serverSideEmitResponse:
            let items: [JSONValue] = message.type == .fetchSocketsResponse
                ? data["sockets"]?.arrayValue ?? []
                : [data["packet"] ?? .null]
            let finished = cluster.withLockedValue { state -> PendingRequest? in
                guard var request = state.requests[requestID], request.missing.contains(message.uid) else { return nil }
                request.responses.append(contentsOf: items.map { (node: message.uid, value: $0) })
                request.missing.remove(message.uid)
                if request.missing.isEmpty {
                    state.requests[requestID] = nil
                    return request
                }
                state.requests[requestID] = request
                return nil
            }
            if let finished {
                finished.timer.cancel()
                finished.continuation.resume(returning: finished.responses)
            }
        default:
            break
        }
    }

    // MARK: Membership

    private func dropSilentNodes(olderThan timeout: Duration) {
        let now = timers.now
        let silent = cluster.withLockedValue { $0.nodes.filter { now - $0.value > timeout }.map(\.key) }
        for uid in silent {
            logger.info("cluster node seems down", metadata: ["uid": "\(uid)"])
            removeNode(uid)
        }
    }

    /// Forgets `uid`; pending requests stop waiting for it.
    func removeNode(_ uid: String) {
        let finished = cluster.withLockedValue { state -> [PendingRequest] in
            state.nodes[uid] = nil
            var finished: [PendingRequest] = []
            for (id, var request) in state.requests where request.missing.contains(uid) {
                request.missing.remove(uid)
                if request.missing.isEmpty {
                    state.requests[id] = nil
                    finished.append(request)
                } else {
                    state.requests[id] = request
                }
            }
            return finished
        }
        for request in finished {
            request.timer.cancel()
            request.continuation.resume(returning: request.responses)
        }
    }
}
