import EngineIO
import NIOCore
import SocketIO
import Synchronization

/// The shared side of the hooks: the structural queue, the per-loop shards, and the
/// registry of taps (who is watched already).
final class CaptureHub: Sendable {
    let configuration: MonitorConfiguration
    /// The server's packet format: with msgpack the connection taps read ack ids from binary messages.
    let parser: SocketIOPacketParser
    let structural: StructuralQueue
    private let active = Atomic<Bool>(true)
    private let capturing = Atomic<Bool>(true)

    private struct Registry {
        var shards: [ObjectIdentifier: PacketShard] = [:]
        var shardList: [PacketShard] = []
        var sockets: [String: SocketTap] = [:]
        var connections: [String: ConnectionTap] = [:]
        var namespaces: Set<String> = []
    }
    private let registry = Mutex(Registry())

    init(configuration: MonitorConfiguration, parser: SocketIOPacketParser = .default) {
        self.configuration = configuration
        self.parser = parser
        structural = StructuralQueue(capacity: configuration.structuralCapacity)
    }

    /// Whether hooks record anything at all (false once the monitor stopped).
    var isActive: Bool { active.load(ordering: .relaxed) }
    /// Whether packets are recorded (tables are kept up to date either way).
    var isCapturing: Bool { capturing.load(ordering: .relaxed) && active.load(ordering: .relaxed) }

    func setActive(_ value: Bool) { active.store(value, ordering: .relaxed) }
    func setCapturing(_ value: Bool) { capturing.store(value, ordering: .relaxed) }

    /// The shard of `loop`, made on first use.
    func shard(for loop: any EventLoop) -> PacketShard {
        let key = ObjectIdentifier(loop)
        return registry.withLock { registry in
            if let shard = registry.shards[key] { return shard }
            let shard = PacketShard(capacity: configuration.packetsPerDrain)
            registry.shards[key] = shard
            registry.shardList.append(shard)
            return shard
        }
    }

    var shards: [PacketShard] { registry.withLock { $0.shardList } }

    // MARK: Registry

    /// Marks `namespace` watched; `false` when it already was.
    func claimNamespace(_ name: String) -> Bool {
        registry.withLock { $0.namespaces.insert(name).inserted }
    }

    /// Registers a new connection tap, or returns the one already there.
    func connectionTap(for conn: EngineSocket) -> (tap: ConnectionTap, isNew: Bool) {
        let shard = shard(for: conn.eventLoop)
        return registry.withLock { registry in
            if let existing = registry.connections[conn.id] { return (existing, false) }
            let tap = ConnectionTap(id: conn.id, shard: shard, hub: self)
            registry.connections[conn.id] = tap
            return (tap, true)
        }
    }

    func connectionGone(_ id: String) {
        registry.withLock { _ = $0.connections.removeValue(forKey: id) }
    }

    /// Registers a new socket tap, or `nil` when the socket is watched already.
    func socketTap(for socket: Socket) -> SocketTap? {
        let shard = shard(for: socket.eventLoop)
        return registry.withLock { registry in
            guard registry.sockets[socket.id] == nil else { return nil }
            let tap = SocketTap(socket: socket, shard: shard, connection: registry.connections[socket.conn.id], hub: self)
            registry.sockets[socket.id] = tap
            return tap
        }
    }

    func socketGone(_ tap: SocketTap) {
        registry.withLock { registry in
            if registry.sockets[tap.id] === tap { registry.sockets[tap.id] = nil }
        }
    }

    var socketTaps: [SocketTap] { registry.withLock { Array($0.sockets.values) } }
}

/// How much the monitor keeps and how fast it may record.
public struct MonitorConfiguration: Sendable {
    /// The most packets recorded per event loop between two drains; more are counted as
    /// dropped. With a drain every 50 ms, 128 allows about 2,500 packets/s per loop: more
    /// than anyone reads, and little enough that the console's thread stays light when it
    /// shares the cores with the server under a flood.
    public var packetsPerDrain = 128
    /// The most entries the packet log keeps; the oldest go first.
    public var logCapacity = 10_000
    /// The most payload bytes the log keeps for opening packets later; older entries keep
    /// only their preview beyond it.
    public var payloadBudget = 32 << 20
    /// The most structural records (connections, rooms) waiting between two drains before
    /// the monitor rebuilds its tables from the server instead.
    public var structuralCapacity = 1 << 18
    /// Characters of payload preview per log line.
    public var previewLength = 240
    /// How long between two rounds of cluster polling (membership and the other servers'
    /// sockets); a round starts only after the previous one ended.
    public var clusterPollInterval: Duration = .milliseconds(1500)
    /// How long one `fetchSockets` across the cluster may take before the round gives up
    /// (and the sockets last seen stay shown).
    public var clusterFetchTimeout: Duration = .seconds(3)

    /// Creates the default configuration.
    public init() {}
}
