/// The message types of Node's `socket.io-adapter` cluster protocol, with their numbers.
public enum ClusterMessageType: Int, Sendable, CaseIterable {
    case initialHeartbeat = 1
    case heartbeat = 2
    case broadcast = 3
    case socketsJoin = 4
    case socketsLeave = 5
    case disconnectSockets = 6
    case fetchSockets = 7
    case fetchSocketsResponse = 8
    case serverSideEmit = 9
    case serverSideEmitResponse = 10
    case broadcastClientCount = 11
    case broadcastAck = 12
    case adapterClose = 13

    /// Whether this type answers a request (and carries a `requestId`).
    var isResponse: Bool {
        switch self {
        case .fetchSocketsResponse, .serverSideEmitResponse, .broadcastClientCount, .broadcastAck: true
        default: false
        }
    }
}
