/// A socket as `fetchSockets` returns it (Node's `RemoteSocket`): its details, and the
/// operations that work wherever in the cluster it is connected.
public struct RemoteSocket: Sendable {
    /// The socket id.
    public let id: String
    /// Its connection details.
    public let handshake: Handshake
    /// The rooms it is in.
    public let rooms: Set<String>
    /// Its `data`.
    public let data: JSONValue
    let namespace: Namespace

    /// Creates a description of a socket, local or remote.
    public init(id: String, handshake: Handshake, rooms: Set<String>, data: JSONValue, namespace: Namespace) {
        self.id = id
        self.handshake = handshake
        self.rooms = rooms
        self.data = data
        self.namespace = namespace
    }

    init(socket: Socket) {
        self.init(id: socket.id, handshake: socket.handshake, rooms: socket.rooms, data: socket.data, namespace: socket.namespace)
    }

    private var target: BroadcastOperator { BroadcastOperator(namespace: namespace, rooms: [id]) }

    /// Emits an event to this socket.
    /// - Throws: ``SocketIOError`` for a reserved event name.
    public func emit(_ event: String, _ arguments: JSONValue...) throws { try target.emit(event, arguments) }
    /// This socket with a timeout, for `emitWithAck`.
    public func timeout(_ duration: Duration) -> BroadcastOperator { target.timeout(duration) }
    /// Makes this socket join rooms.
    public func join(_ rooms: String...) { target.socketsJoin(rooms) }
    /// Makes this socket leave rooms.
    public func leave(_ rooms: String...) { target.socketsLeave(rooms) }
    /// Disconnects this socket; with `close`, its whole connection.
    public func disconnect(close: Bool = false) { target.disconnectSockets(close: close) }
}
