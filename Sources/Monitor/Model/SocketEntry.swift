public import SocketIO
import Synchronization

/// A connected socket as the console shows it.
public struct SocketEntry: Sendable, Identifiable {
    /// The socket id.
    public let id: String
    /// Its namespace.
    public let namespace: String
    /// The engine connection's id (shared by the client's namespaces).
    public let engineID: String
    /// The client's address.
    public var address: String { handshake.address }
    /// `polling` or `websocket`.
    public internal(set) var transport: String
    /// Whether the connection moved from polling to WebSocket.
    public internal(set) var upgraded: Bool
    /// The handshake (headers, query, auth, time…).
    public let handshake: Handshake
    /// Whether connection state recovery restored the session.
    public let recovered: Bool
    /// When it connected (milliseconds since 1970, from the handshake).
    public var connectedAt: Int64 { handshake.issued }
    let tap: SocketTap?

    /// Events received from the client so far (counted by the hooks; for a socket that a
    /// remote feed describes, counted as its events reach the model).
    public var eventsIn: Int { tap?.eventsIn.load(ordering: .relaxed) ?? countedIn }
    /// Events sent to the client so far.
    public var eventsOut: Int { tap?.eventsOut.load(ordering: .relaxed) ?? countedOut }
    var countedIn = 0
    var countedOut = 0
    /// The socket's `data`, read live (as last fetched for a remote socket); `nil` once the
    /// socket is gone.
    public var data: JSONValue? { tap?.socket?.data ?? remoteData }
    /// The live socket, for acting on it; `nil` once it is gone, and for a socket of another
    /// server (act on those through the namespace: `namespace.in(id)`).
    public var socket: Socket? { tap?.socket }
    /// `nil` for a socket of this server; for a socket of another server of the cluster,
    /// that server, or ``remoteNode`` when the cluster does not say which.
    public let node: String?
    /// Whether the socket is on another server of the cluster.
    public var isRemote: Bool { node != nil }
    /// What ``node`` says of a socket on an unnamed other server.
    public static let remoteNode = "remote"
    /// The `data` of a remote socket, as last fetched.
    var remoteData: JSONValue?

    init(info: SocketInfo) {
        id = info.id
        namespace = info.namespace
        engineID = info.engineID
        transport = info.transport
        upgraded = info.upgraded
        handshake = info.handshake
        recovered = info.recovered
        tap = info.tap
        node = nil
        remoteData = info.data
    }

    /// An entry for a socket of another server, from `fetchSockets`.
    init(remote: RemoteSocketInfo) {
        id = remote.id
        namespace = remote.namespace
        engineID = ""
        transport = ""
        upgraded = false
        handshake = remote.handshake
        recovered = false
        tap = nil
        node = remote.node ?? Self.remoteNode
        remoteData = remote.data
    }

    /// Creates an entry without a live socket (tests, replays).
    public init(id: String, namespace: String, engineID: String, transport: String, upgraded: Bool, handshake: Handshake) {
        self.id = id
        self.namespace = namespace
        self.engineID = engineID
        self.transport = transport
        self.upgraded = upgraded
        self.handshake = handshake
        self.recovered = false
        self.tap = nil
        self.node = nil
    }
}
