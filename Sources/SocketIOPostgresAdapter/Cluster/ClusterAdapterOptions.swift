public import SocketIO

/// The timing of the cluster protocol, with the defaults of Node's
/// `ClusterAdapterWithHeartbeat`.
public struct ClusterAdapterOptions: Sendable {
    /// How long after its last message a server sends a heartbeat.
    public var heartbeatInterval: Duration = .seconds(5)
    /// How long a silent server is still counted as part of the cluster.
    public var heartbeatTimeout: Duration = .seconds(10)
    /// How long `fetchSockets` and `serverSideEmitWithAck` wait for the other servers.
    public var requestsTimeout: Duration = .seconds(5)

    /// Creates options with Node's defaults.
    public init() {}
}

/// A cluster request that not every server answered in time: the message Node uses, and
/// what did arrive.
public struct ClusterRequestTimeout: Error, Sendable, CustomStringConvertible {
    /// How many servers did not answer.
    public let missing: Int
    /// The answers that arrived.
    public let responses: [JSONValue]

    public var description: String { "timeout reached: missing \(missing) responses" }
}
