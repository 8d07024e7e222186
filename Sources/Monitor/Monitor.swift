public import SocketIO
import EngineIO
import NIOCore
import Synchronization

/// Watches a live ``SocketIOServer`` through its public hooks, the same any application
/// can use: the engine's `connection`, `packet` and `packetCreate`, each namespace's
/// `connection` and adapter room events, each socket's `onAny`, `onAnyOutgoing` and
/// `onDisconnect`.
///
/// The hooks run on the server's event loops and only push small records into bounded
/// buffers (one per loop for packets, sampled under a flood; one ordered queue for
/// connections and rooms). The console drains them into a ``MonitorState`` on its own
/// thread with ``drain(into:)``, as often as it likes.
///
/// ```swift
/// let monitor = Monitor(server: io)
/// monitor.start()
/// var state = MonitorState()
/// monitor.drain(into: &state)   // on every tick
/// ```
public final class Monitor: MonitorFeed {
    /// The server watched.
    public let server: SocketIOServer
    /// Limits and sampling.
    public let configuration: MonitorConfiguration
    /// When the monitor was made, in nanoseconds since 1970 (the header's uptime).
    public let startedAt: Int64
    let hub: CaptureHub
    /// Polls the cluster, when the server is on one.
    let poller: ClusterPoller?
    private let started = Atomic<Bool>(false)
    private let emitCounter = Atomic<Int>(0)

    /// Creates a monitor of `server`; call ``start()`` to install the hooks.
    ///
    /// - Parameters:
    ///   - server: The server to watch.
    ///   - configuration: Buffer sizes, sampling and the cluster polling period.
    ///   - cluster: Reads the cluster adapters of a server that runs on a cluster: the
    ///     monitor then polls the nodes and the other servers' sockets; `nil` for a
    ///     single-node server.
    public init(server: SocketIOServer, configuration: MonitorConfiguration = MonitorConfiguration(), cluster: (any ClusterProbe)? = nil) {
        self.server = server
        self.configuration = configuration
        self.startedAt = WallClock.nanoseconds()
        self.hub = CaptureHub(configuration: configuration, parser: server.options.parser)
        self.poller = cluster.map {
            ClusterPoller(probe: $0, interval: configuration.clusterPollInterval, timeout: configuration.clusterFetchTimeout)
        }
    }

    /// Engine connections open on this server.
    public var engineClientCount: Int { server.engine.clientsCount }

    /// Whether the monitor watches a cluster (it was given a ``ClusterProbe``).
    public var watchesCluster: Bool { poller != nil }

    /// Installs the hooks, and picks up the namespaces, connections and sockets that exist
    /// already. Calling it again does nothing.
    public func start() {
        guard started.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        let hub = self.hub
        server.engine.onConnection { conn in Self.watch(conn, hub: hub) }
        server.onNewNamespace { namespace in Self.watch(namespace, hub: hub) }
        for conn in server.engine.clients.values {
            conn.eventLoop.execute { Self.watch(conn, hub: hub) }
        }
        for namespace in server.namespaces.values.sorted(by: { $0.name < $1.name }) {
            Self.watch(namespace, hub: hub)
        }
        poller?.start(server: server)
    }

    /// Stops recording: the hooks stay installed (the server has no way to remove them)
    /// but do nothing from now on.
    public func stop() {
        hub.setActive(false)
        poller?.stop()
    }

    /// Turns packet recording on or off; the tables and counters stay up to date.
    ///
    /// - Parameter capturing: Whether packets are recorded.
    public func setCapturing(_ capturing: Bool) {
        hub.setCapturing(capturing)
    }

    /// Message packets and bytes in both directions since the monitor started.
    public var totals: TrafficTotals {
        hub.shards.reduce(TrafficTotals()) { $0 + $1.totals }
    }

    /// Adds console output (an action's result, a reply to a console emit) to the stream.
    /// Callable from any thread.
    ///
    /// - Parameter note: The output.
    public func note(_ note: ConsoleNote) {
        hub.structural.push(.note(note))
    }

    /// A new number for an emit made from the console.
    func nextEmitID() -> Int {
        emitCounter.wrappingAdd(1, ordering: .relaxed).newValue
    }

    // MARK: Draining

    /// Moves everything recorded since the last call into `state`: connections and rooms
    /// first-come first-served, packets in time order, and the count of packets dropped.
    ///
    /// - Parameter state: The model to update (owned by the caller's thread).
    /// - Returns: Whether anything changed.
    @discardableResult
    public func drain(into state: inout MonitorState) -> Bool {
        let (structural, overflowed) = hub.structural.drain()
        var packets: [CapturedPacket] = []
        var dropped = 0
        for shard in hub.shards {
            let drained = shard.drain()
            packets.append(contentsOf: drained.records)
            dropped += drained.dropped
        }
        if packets.count > 1 { packets.sort { $0.time < $1.time } }
        // Merge the two streams by time; each keeps its own order.
        var next = 0
        for record in structural {
            while next < packets.count, packets[next].time < record.time {
                state.append(packets[next])
                next += 1
            }
            state.apply(record.record, time: record.time)
        }
        while next < packets.count {
            state.append(packets[next])
            next += 1
        }
        if dropped > 0 { state.countDropped(dropped) }
        if overflowed { resync(&state) }
        let clusterChanged = drainCluster(into: &state)
        state.setTotals(totals)
        return !structural.isEmpty || !packets.isEmpty || dropped > 0 || overflowed || clusterChanged
    }

    /// Merges the newest cluster poll, if `state` has not seen it (after the hooks' records,
    /// so a socket that disconnected here is known as gone before the fetch is merged).
    private func drainCluster(into state: inout MonitorState) -> Bool {
        guard let poller else { return false }
        var changed = false
        if state.cluster == nil {
            state.cluster = ClusterStatus()
            changed = true
        }
        if let sample = poller.latest, sample.generation != state.clusterGeneration {
            state.applyCluster(sample, time: WallClock.nanoseconds())
            changed = true
        }
        return changed
    }

    /// Rebuilds the tables of `state` from the server as it is now (after the structural
    /// queue overflowed, or on demand).
    ///
    /// - Parameter state: The model to rebuild.
    public func resync(_ state: inout MonitorState) {
        state.resetTables()
        let now = WallClock.nanoseconds()
        let taps = Dictionary(hub.socketTaps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for conn in server.engine.clients.values {
            state.apply(.engineOpened(id: conn.id, transport: conn.transportName.rawValue, address: conn.request.remoteIP ?? ""), time: now)
            if conn.upgraded { state.apply(.engineUpgraded(id: conn.id, transport: conn.transportName.rawValue), time: now) }
        }
        for namespace in server.namespaces.values {
            state.apply(.namespaceCreated(namespace.name), time: now)
            for socket in namespace.sockets.values {
                guard let tap = taps[socket.id] else { continue }
                state.apply(.socketConnected(Self.info(socket, tap: tap)), time: now)
            }
        }
        state.log.appendResyncMarker(time: now)
    }

    // MARK: Hooks

    static func watch(_ conn: EngineSocket, hub: CaptureHub) {
        guard hub.isActive else { return }
        let (tap, isNew) = hub.connectionTap(for: conn)
        guard isNew else { return }
        conn.onPacket { tap.received($0) }
        conn.onPacketCreate { tap.sent($0) }
        conn.onUpgrade { kind in
            guard hub.isActive else { return }
            hub.structural.push(.engineUpgraded(id: tap.id, transport: kind.rawValue))
        }
        conn.onClose { reason, description in
            hub.connectionGone(tap.id)
            guard hub.isActive else { return }
            hub.structural.push(.engineClosed(id: tap.id, reason: reason.rawValue, description: description))
        }
        hub.structural.push(.engineOpened(id: conn.id, transport: conn.transportName.rawValue, address: conn.request.remoteIP ?? ""))
    }

    static func watch(_ namespace: Namespace, hub: CaptureHub) {
        guard hub.isActive, hub.claimNamespace(namespace.name) else { return }
        let name = namespace.name
        hub.structural.push(.namespaceCreated(name))
        namespace.adapter.onJoinRoom { room, id in
            guard hub.isActive else { return }
            hub.structural.push(.joined(namespace: name, room: room, socketID: id))
        }
        namespace.adapter.onLeaveRoom { room, id in
            guard hub.isActive else { return }
            hub.structural.push(.left(namespace: name, room: room, socketID: id))
        }
        namespace.onConnection { socket in Self.watch(socket, hub: hub) }
        for socket in namespace.sockets.values {
            socket.eventLoop.execute {
                guard socket.connected else { return }
                Self.watch(socket, hub: hub)
            }
        }
    }

    static func watch(_ socket: Socket, hub: CaptureHub) {
        guard hub.isActive, let tap = hub.socketTap(for: socket) else { return }
        socket.onAny { event, arguments in tap.incoming(event, arguments) }
        socket.onAnyOutgoing { event, arguments in tap.outgoing(event, arguments) }
        socket.onDisconnect { reason, description in tap.disconnected(reason, description) }
        hub.structural.push(.socketConnected(info(socket, tap: tap)))
    }

    static func info(_ socket: Socket, tap: SocketTap) -> SocketInfo {
        let conn = socket.conn
        return SocketInfo(
            id: socket.id, namespace: socket.namespace.name, engineID: conn.id, transport: conn.transportName.rawValue,
            upgraded: conn.upgraded, handshake: socket.handshake, rooms: socket.rooms, recovered: socket.recovered, tap: tap
        )
    }
}

extension CapturedPacket {
    var time: Int64 {
        switch self {
        case .event(let record): record.time
        case .ack(let record): record.time
        }
    }
}
