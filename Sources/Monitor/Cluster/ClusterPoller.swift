import SocketIO
import Synchronization

/// Polls the cluster in the background for the console: each round reads the membership
/// of every namespace on a cluster adapter and fetches the other servers' sockets
/// (`fetchSockets`, bounded by a timeout).
///
/// Rounds never overlap: the next starts `interval` after the previous ended, on the
/// global executor, so a slow cluster slows the polling, never the console's thread nor an
/// event loop. The console takes the newest round with ``latest`` when it drains.
final class ClusterPoller: Sendable {
    let probe: any ClusterProbe
    let interval: Duration
    let timeout: Duration
    private let newest = Mutex<ClusterSample?>(nil)
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(probe: any ClusterProbe, interval: Duration, timeout: Duration) {
        self.probe = probe
        self.interval = interval
        self.timeout = timeout
    }

    /// The newest round, if one finished.
    var latest: ClusterSample? { newest.withLock { $0 } }

    /// Starts polling `server` (once).
    func start(server: SocketIOServer) {
        task.withLock { task in
            guard task == nil else { return }
            task = Task.detached { [self] in await self.run(server: server) }
        }
    }

    /// Stops polling; a fetch in flight ends with its timeout.
    func stop() {
        task.withLock { $0?.cancel() }
    }

    private func run(server: SocketIOServer) async {
        var generation: UInt64 = 0
        while !Task.isCancelled {
            generation += 1
            let sample = await round(server: server, generation: generation)
            newest.withLock { $0 = sample }
            // The polling period (not a wait for a condition): cancelled by stop().
            try? await Task.sleep(for: interval)
        }
    }

    /// One round over every namespace of `server`.
    func round(server: SocketIOServer, generation: UInt64) async -> ClusterSample {
        let time = WallClock.nanoseconds()
        var namespaces: [String: NamespaceClusterSample] = [:]
        for namespace in server.namespaces.values.sorted(by: { $0.name < $1.name }) {
            guard let membership = probe.membership(of: namespace) else { continue }
            namespaces[namespace.name] = await sample(namespace, membership: membership, time: time)
        }
        return ClusterSample(generation: generation, time: time, namespaces: namespaces)
    }

    private func sample(_ namespace: Namespace, membership: ClusterMembership, time: Int64) async -> NamespaceClusterSample {
        let clockNow = ContinuousClock.now
        var result = NamespaceClusterSample(
            localID: membership.localID,
            nodes: membership.nodes.mapValues { time - ClusterStatus.nanoseconds(clockNow - $0) },
            publishFailures: membership.publishFailures,
            heartbeatInterval: membership.heartbeatInterval,
            heartbeatTimeout: membership.heartbeatTimeout
        )
        // Alone in the cluster: nobody to ask, and no remote socket.
        guard !membership.nodes.isEmpty else { return result }
        do {
            let sockets = try await probe.sockets(of: namespace, timeout: timeout)
            let local = namespace.sockets
            result.remoteSockets = sockets.filter { local[$0.socket.id] == nil }.map { node, socket in
                RemoteSocketInfo(id: socket.id, namespace: namespace.name, handshake: socket.handshake, rooms: socket.rooms,
                                 data: socket.data, node: node)
            }
        } catch {
            result.remoteSockets = nil
            result.fetchError = String(describing: error)
        }
        return result
    }
}
