
/// The options of ``instrument(_:options:)``, named and defaulted as the `InstrumentOptions`
/// of Node's `@socket.io/admin-ui`.
public struct AdminOptions: Sendable {
    /// Who may connect to the admin namespace (Node's `auth`; Node requires it explicitly).
    public var auth: AdminAuth
    /// The admin namespace (Node's `namespaceName`).
    public var namespaceName = "/admin"
    /// Refuse every command and advertise none (Node's `readonly`).
    public var readonly = false
    /// This server's id in `server_stats` (Node's `serverId`); the host name when `nil`.
    public var serverId: String?
    /// Every event, or aggregates only (Node's `mode`).
    public var mode = AdminMode.development
    /// Where session ids of authenticated admin clients are kept (Node's `store`).
    public var store: any AdminSessionStore = InMemoryAdminSessionStore()
    /// How often `server_stats` is sent (Node's fixed 2 s).
    public var serverStatsInterval: Duration = .seconds(2)
    /// How many packets may wait for one admin client before its events are dropped
    /// (Node buffers without limit; a slow admin client must not grow the server's memory).
    public var maxBufferedPackets = 1_000
    /// The most `event_received` and `event_sent` reports this server sends in one second;
    /// the rest of that second's are dropped and counted (`droppedAdminEvents` in
    /// `server_stats`). `nil` sends every one, as Node does (a broadcast to 10,000 sockets is
    /// then 10,000 reports).
    public var maxEventReportsPerSecond: Int? = 2_000
    /// How long an `emit` with an acknowledgement (feature ``AdminFeature/emitWithAck``)
    /// waits for the clients' replies.
    public var emitAckTimeout: Duration = .seconds(5)

    /// Creates options with Node's defaults and the given authentication.
    /// - Parameter auth: who may connect to the admin namespace.
    public init(auth: AdminAuth) {
        self.auth = auth
    }
}

/// Who may connect to the admin namespace (Node's `auth: false | { type: "basic", … }`).
public enum AdminAuth: Sendable {
    /// Anyone (Node's `auth: false`).
    case none
    /// A user name and the bcrypt hash of the password (`$2a$`, `$2b$` or `$2y$`).
    case basic(username: String, passwordHash: String)
}

/// What the admin clients are sent (Node's `mode`).
public enum AdminMode: String, Sendable, CaseIterable {
    /// Every socket, room and event, as they happen.
    case development
    /// `server_stats` with aggregated counts only, for busy servers.
    case production
}
