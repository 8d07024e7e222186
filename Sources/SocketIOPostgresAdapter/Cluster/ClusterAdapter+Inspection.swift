/// Read access for monitors (the console's nodes view): the timing a node's liveness is
/// judged by.
extension ClusterAdapter {
    /// How long after its last message a server sends a heartbeat
    /// (``ClusterAdapterOptions/heartbeatInterval``).
    public var heartbeatInterval: Duration { clusterOptions.heartbeatInterval }

    /// How long a silent server is still counted in ``nodes``
    /// (``ClusterAdapterOptions/heartbeatTimeout``).
    public var heartbeatTimeout: Duration { clusterOptions.heartbeatTimeout }
}
