public import SocketIO

/// What a namespace's cluster adapter says about the cluster: this server's id in it, the
/// other servers with their last heartbeat, and how many messages could not go out.
public struct ClusterMembership: Sendable, Equatable {
    /// This server's id in the namespace's cluster.
    public var localID: String
    /// The other servers (by id) and when each was last heard from.
    public var nodes: [String: ContinuousClock.Instant]
    /// Messages the adapter could not publish.
    public var publishFailures: Int
    /// How long after its last message a server sends a heartbeat.
    public var heartbeatInterval: Duration
    /// How long a silent server still counts as part of the cluster.
    public var heartbeatTimeout: Duration

    /// Creates a membership report.
    ///
    /// - Parameters:
    ///   - localID: This server's id.
    ///   - nodes: The other servers and their last heartbeat.
    ///   - publishFailures: Messages that could not be published.
    ///   - heartbeatInterval: The cluster's heartbeat interval.
    ///   - heartbeatTimeout: The cluster's heartbeat timeout.
    public init(localID: String, nodes: [String: ContinuousClock.Instant], publishFailures: Int,
                heartbeatInterval: Duration, heartbeatTimeout: Duration) {
        self.localID = localID
        self.nodes = nodes
        self.publishFailures = publishFailures
        self.heartbeatInterval = heartbeatInterval
        self.heartbeatTimeout = heartbeatTimeout
    }
}

/// Reads the cluster membership of a namespace, for the console's nodes view and its
/// cluster-wide socket tables.
///
/// The console knows no cluster adapter itself: the application that runs it on a
/// cluster supplies the probe (`sioconsole --adapter` reads its PostgreSQL adapter's
/// `ClusterAdapter`). Without one, the console shows a single-node server.
public protocol ClusterProbe: Sendable {
    /// The membership of `namespace`'s cluster.
    ///
    /// - Parameter namespace: A namespace of the watched server.
    /// - Returns: The membership, or `nil` when the namespace's adapter is not a cluster adapter.
    func membership(of namespace: Namespace) -> ClusterMembership?

    /// Every socket of `namespace` across the cluster, each with the id of the server that
    /// holds it when the adapter says (`nil` otherwise).
    ///
    /// - Parameters:
    ///   - namespace: A namespace of the watched server.
    ///   - timeout: How long to wait for the other servers.
    /// - Throws: When the other servers cannot be asked or do not answer in time.
    func sockets(of namespace: Namespace, timeout: Duration) async throws -> [(node: String?, socket: RemoteSocket)]
}

extension ClusterProbe {
    /// By default, ``unattributedSockets(of:timeout:)``.
    public func sockets(of namespace: Namespace, timeout: Duration) async throws -> [(node: String?, socket: RemoteSocket)] {
        try await Self.unattributedSockets(of: namespace, timeout: timeout)
    }

    /// Any adapter's `fetchSockets`, without saying which server holds each socket.
    /// - Throws: When the adapter cannot gather the answers in time.
    public static func unattributedSockets(of namespace: Namespace, timeout: Duration) async throws -> [(node: String?, socket: RemoteSocket)] {
        try await namespace.timeout(timeout).fetchSockets().map { (node: nil, socket: $0) }
    }
}
