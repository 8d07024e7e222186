public import SocketIO

/// A socket of another server of the cluster, as `fetchSockets` described it.
public struct RemoteSocketInfo: Sendable, Equatable {
    /// The socket id.
    public let id: String
    /// Its namespace.
    public let namespace: String
    /// Its handshake.
    public let handshake: Handshake
    /// The rooms it is in (its own room included).
    public let rooms: Set<String>
    /// Its `data`.
    public let data: JSONValue
    /// The id of the server that holds it, when the cluster adapter says.
    public let node: String?

    /// Creates a description of a remote socket.
    public init(id: String, namespace: String, handshake: Handshake, rooms: Set<String>, data: JSONValue, node: String? = nil) {
        self.id = id
        self.namespace = namespace
        self.handshake = handshake
        self.rooms = rooms
        self.data = data
        self.node = node
    }
}

/// One namespace's cluster at one moment: the nodes its adapter knows and the sockets the
/// other servers reported.
public struct NamespaceClusterSample: Sendable, Equatable {
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
    /// The sockets of the other servers, or `nil` when this sample could not fetch them
    /// (the previous ones stay shown).
    public var remoteSockets: [RemoteSocketInfo]?
    /// Why fetching failed, when it did.
    public var fetchError: String?

    /// Creates a sample of one namespace.
    public init(localID: String, nodes: [String: Int64], publishFailures: Int = 0, heartbeatInterval: Duration = .seconds(5),
                heartbeatTimeout: Duration = .seconds(10), remoteSockets: [RemoteSocketInfo]? = [], fetchError: String? = nil) {
        self.localID = localID
        self.nodes = nodes
        self.publishFailures = publishFailures
        self.heartbeatInterval = heartbeatInterval
        self.heartbeatTimeout = heartbeatTimeout
        self.remoteSockets = remoteSockets
        self.fetchError = fetchError
    }
}

/// What one round of cluster polling saw, for ``MonitorState`` to merge.
public struct ClusterSample: Sendable, Equatable {
    /// Increases with each round (never 0).
    public var generation: UInt64
    /// When the round started, in nanoseconds since 1970.
    public var time: Int64
    /// The namespaces on a cluster adapter, by name.
    public var namespaces: [String: NamespaceClusterSample]

    /// Creates a sample.
    public init(generation: UInt64, time: Int64, namespaces: [String: NamespaceClusterSample]) {
        self.generation = generation
        self.time = time
        self.namespaces = namespaces
    }
}
