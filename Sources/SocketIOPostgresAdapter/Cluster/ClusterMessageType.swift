/// The message types of Node's `socket.io-adapter` cluster protocol, with their numbers.
public enum ClusterMessageType: Int, Sendable, CaseIterable {
    /// A server started: the others answer with a heartbeat so it learns of them.
    case initialHeartbeat = 1
    /// A server is alive.
    case heartbeat = 2
    /// A packet for the matching local sockets of every server.
    case broadcast = 3
    /// Matching sockets join rooms.
    case socketsJoin = 4
    /// Matching sockets leave rooms.
    case socketsLeave = 5
    /// Matching sockets are disconnected.
    case disconnectSockets = 6
    /// A request for the matching sockets' details.
    case fetchSockets = 7
    /// A server's answer to `fetchSockets`.
    case fetchSocketsResponse = 8
    /// An event for the other servers (`serverSideEmit`).
    case serverSideEmit = 9
    /// A server's acknowledgement of a `serverSideEmit`.
    case serverSideEmitResponse = 10
    /// How many clients a server reached with a broadcast that waits for acks.
    case broadcastClientCount = 11
    /// One client's acknowledgement of such a broadcast.
    case broadcastAck = 12
    /// A server's adapter closed: the others forget it at once.
    case adapterClose = 13

    /// Whether this type answers a request (and carries a `requestId`).
    var isResponse: Bool {
        switch self {
        case .fetchSocketsResponse, .serverSideEmitResponse, .broadcastClientCount, .broadcastAck: true
        default: false
        }
    }
}
