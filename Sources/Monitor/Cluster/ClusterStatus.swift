/// The cluster as the console last polled it (``MonitorState/cluster``): each namespace's
/// nodes, and the nodes that left lately.
public struct ClusterStatus: Sendable, Equatable {
    /// One namespace on a cluster adapter.
    public struct Namespace: Sendable, Equatable {
        /// This server's id in the namespace's cluster.
        public var localID: String
        /// The other servers and their last heartbeat, in nanoseconds since 1970.
        public var nodes: [String: Int64]
        /// Messages the adapter could not publish.
        public var publishFailures: Int
        /// The cluster's heartbeat interval.
        public var heartbeatInterval: Duration
        /// The cluster's heartbeat timeout.
        public var heartbeatTimeout: Duration
        /// When the other servers' sockets were last fetched, if ever.
        public var fetchedAt: Int64?
        /// Why the last fetch failed, if it did.
        public var fetchError: String?
    }

    /// A node that left (stopped, or silent past the heartbeat timeout).
    public struct DepartedNode: Sendable, Equatable {
        /// Its namespace.
        public var namespace: String
        /// Its id.
        public var uid: String
        /// When it was last heard from, in nanoseconds since 1970.
        public var lastHeartbeat: Int64
    }

    /// How many departed nodes are remembered.
    public static let departedCapacity = 16

    /// The namespaces on a cluster adapter, by name.
    public internal(set) var namespaces: [String: Namespace] = [:]
    /// Nodes that left, oldest first (at most ``departedCapacity``).
    public internal(set) var departed: [DepartedNode] = []
    /// When the last poll started, in nanoseconds since 1970 (0 before the first).
    public internal(set) var sampledAt: Int64 = 0

    /// Creates an empty status (before the first poll).
    public init() {}

    /// The servers of the largest namespace cluster, this one included.
    public var serverCount: Int {
        1 + (namespaces.values.map(\.nodes.count).max() ?? 0)
    }

    mutating func remember(_ node: DepartedNode) {
        departed.removeAll { $0.namespace == node.namespace && $0.uid == node.uid }
        departed.append(node)
        if departed.count > Self.departedCapacity { departed.removeFirst(departed.count - Self.departedCapacity) }
    }

    mutating func forgetDeparture(namespace: String, uid: String) {
        departed.removeAll { $0.namespace == namespace && $0.uid == uid }
    }
}
