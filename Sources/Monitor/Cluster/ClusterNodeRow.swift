/// One row of the nodes view: a server of a namespace's cluster.
public struct ClusterNodeRow: Sendable, Equatable {
    /// Whether the node is heard from.
    public enum Status: String, Sendable {
        /// Heard from within the heartbeat interval (and a half).
        case alive
        /// Silent for longer: it missed a heartbeat, and is dropped at the heartbeat timeout.
        case late
        /// It left, or was dropped after the heartbeat timeout.
        case gone
    }

    /// The namespace whose cluster it is in.
    public let namespace: String
    /// The node's id in that cluster.
    public let uid: String
    /// Whether it is this server.
    public let isLocal: Bool
    /// Whether it is heard from.
    public let status: Status
    /// When it was last heard from, in nanoseconds since 1970 (`nil` for this server).
    public let lastHeartbeat: Int64?
    /// Messages this server could not publish (this server's row only).
    public let publishFailures: Int?

    /// The time since the last heartbeat, in nanoseconds (`nil` for this server).
    public func silence(now: Int64) -> Int64? {
        lastHeartbeat.map { max(0, now - $0) }
    }
}

extension ClusterStatus {
    /// The nodes view's rows: per namespace (`/` first), this server, then the others by
    /// id, then those that left.
    ///
    /// - Parameter now: The time, in nanoseconds since 1970.
    /// - Returns: The rows.
    public func rows(now: Int64) -> [ClusterNodeRow] {
        var rows: [ClusterNodeRow] = []
        let names = Set(namespaces.keys).union(departed.map(\.namespace))
        for name in names.sorted(by: Self.namespaceOrder) {
            if let namespace = namespaces[name] {
                rows.append(ClusterNodeRow(namespace: name, uid: namespace.localID, isLocal: true, status: .alive,
                                           lastHeartbeat: nil, publishFailures: namespace.publishFailures))
                let lateAfter = Self.nanoseconds(namespace.heartbeatInterval) * 3 / 2
                for (uid, last) in namespace.nodes.sorted(by: { $0.key < $1.key }) {
                    let status: ClusterNodeRow.Status = now - last > lateAfter ? .late : .alive
                    rows.append(ClusterNodeRow(namespace: name, uid: uid, isLocal: false, status: status,
                                               lastHeartbeat: last, publishFailures: nil))
                }
            }
            for node in departed.reversed() where node.namespace == name {
                rows.append(ClusterNodeRow(namespace: name, uid: node.uid, isLocal: false, status: .gone,
                                           lastHeartbeat: node.lastHeartbeat, publishFailures: nil))
            }
        }
        return rows
    }

    static func namespaceOrder(_ lhs: String, _ rhs: String) -> Bool {
        lhs == "/" ? rhs != "/" : (rhs == "/" ? false : lhs < rhs)
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }
}
