import Monitor
import SocketIO
import SocketIOPostgresAdapter

/// Tells the console what a namespace's `ClusterAdapter` knows of the cluster (wiring
/// between the adapter and the console, which knows no adapter).
struct ClusterAdapterProbe: ClusterProbe {
    func membership(of namespace: Namespace) -> ClusterMembership? {
        guard let adapter = namespace.adapter as? ClusterAdapter else { return nil }
        return ClusterMembership(
            localID: adapter.uid, nodes: adapter.nodes, publishFailures: adapter.publishFailures,
            heartbeatInterval: adapter.heartbeatInterval, heartbeatTimeout: adapter.heartbeatTimeout
        )
    }

    func sockets(of namespace: Namespace, timeout: Duration) async throws -> [(node: String?, socket: RemoteSocket)] {
        guard let adapter = namespace.adapter as? ClusterAdapter else {
            return try await Self.unattributedSockets(of: namespace, timeout: timeout)
        }
        var options = BroadcastOptions()
        options.flags.timeout = timeout
        return try await adapter.fetchSocketsByNode(options).map { (node: $0.node, socket: $0.socket) }
    }
}
