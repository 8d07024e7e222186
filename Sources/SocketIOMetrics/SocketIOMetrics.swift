import Metrics
public import SocketIO

/// Reports a server to swift-metrics (Prometheus, StatsD, OpenTelemetry… whichever backend
/// the application bootstrapped): engine connections, sockets per namespace, packets and
/// bytes each way, and disconnections by reason.
///
/// Install it before the server listens, like an admin instrumentation. A server without it
/// pays nothing: the counting lives in hooks this installs, none in the server itself.
///
/// | metric | kind | dimensions |
/// |---|---|---|
/// | `socketio_engine_connections` | meter (open now) | |
/// | `socketio_engine_connections_total` | counter | |
/// | `socketio_engine_closes_total` | counter | `reason` (the engine's close reason) |
/// | `socketio_engine_packets_total` | counter | `direction` (`in`, `out`) |
/// | `socketio_engine_bytes_total` | counter | `direction` |
/// | `socketio_sockets` | meter (connected now) | `namespace` |
/// | `socketio_socket_disconnects_total` | counter | `namespace`, `reason` |
public final class SocketIOMetrics: Sendable {
    /// The prefix of every metric's label (`socketio` unless changed).
    public let prefix: String
    private let connections: Meter
    private let connectionsTotal: Counter
    private let packetsIn: Counter
    private let packetsOut: Counter
    private let bytesIn: Counter
    private let bytesOut: Counter

    /// Installs the hooks on `server` and its namespaces (those that exist and those to come).
    @discardableResult
    public static func instrument(_ server: SocketIOServer, prefix: String = "socketio") -> SocketIOMetrics {
        let metrics = SocketIOMetrics(prefix: prefix)
        server.engine.onConnection { connection in metrics.watch(connection) }
        server.onNewNamespace { namespace in metrics.watch(namespace) }
        for namespace in server.namespaces.values { metrics.watch(namespace) }
        return metrics
    }

    private init(prefix: String) {
        self.prefix = prefix
        connections = Meter(label: "\(prefix)_engine_connections")
        connectionsTotal = Counter(label: "\(prefix)_engine_connections_total")
        packetsIn = Counter(label: "\(prefix)_engine_packets_total", dimensions: [("direction", "in")])
        packetsOut = Counter(label: "\(prefix)_engine_packets_total", dimensions: [("direction", "out")])
        bytesIn = Counter(label: "\(prefix)_engine_bytes_total", dimensions: [("direction", "in")])
        bytesOut = Counter(label: "\(prefix)_engine_bytes_total", dimensions: [("direction", "out")])
    }

    private func watch(_ connection: EngineSocket) {
        connections.increment()
        connectionsTotal.increment()
        let (packetsIn, bytesIn, packetsOut, bytesOut) = (packetsIn, bytesIn, packetsOut, bytesOut)
        connection.onPacket { packet in
            packetsIn.increment()
            bytesIn.increment(by: packet.byteCount)
        }
        connection.onPacketCreate { packet in
            packetsOut.increment()
            bytesOut.increment(by: packet.byteCount)
        }
        let (connections, prefix) = (connections, prefix)
        connection.onClose { reason, _ in
            connections.decrement()
            Counter(label: "\(prefix)_engine_closes_total", dimensions: [("reason", reason.rawValue)]).increment()
        }
    }

    private func watch(_ namespace: Namespace) {
        let name = namespace.name, prefix = self.prefix
        // One meter per namespace, made once: the backend keeps it by label and dimensions.
        let sockets = Meter(label: "\(prefix)_sockets", dimensions: [("namespace", name)])
        namespace.onConnection { socket in
            sockets.increment()
            socket.onDisconnect { reason, _ in
                sockets.decrement()
                Counter(label: "\(prefix)_socket_disconnects_total",
                        dimensions: [("namespace", name), ("reason", reason.rawValue)]).increment()
            }
        }
    }
}
