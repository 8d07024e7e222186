import Metrics

/// What the server itself reports to swift-metrics: the losses and failures only the core
/// sees (an ack that never came, a packet it chose not to send). Rare events, each made into
/// a metric when it happens, so a backend bootstrapped after the server was created still
/// receives them; with no backend they go to swift-metrics' no-op handler.
/// (The everyday figures — connections, sockets, packets, bytes — come from the
/// `SocketIOMetrics` module, installed only by applications that want them.)
enum ServerMetrics {
    /// An emit's (or a broadcast's) acknowledgement did not arrive in time.
    static func ackTimedOut(namespace: String) {
        Counter(label: "socketio_ack_timeouts_total", dimensions: [("namespace", namespace)]).increment()
    }

    /// Why an outgoing packet was not sent.
    enum DropReason: String {
        /// A `volatile` packet for a client that was not ready to take it.
        case volatile
        /// An event shed by the socket's slow-consumer policy.
        case slowConsumer = "slow_consumer"
    }

    static func packetDropped(_ reason: DropReason, namespace: String) {
        Counter(label: "socketio_packets_dropped_total", dimensions: [("namespace", namespace), ("reason", reason.rawValue)])
            .increment()
    }
}
