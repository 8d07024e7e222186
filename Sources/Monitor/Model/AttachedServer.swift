/// One server as its Admin UI `server_stats` describe it (a node of the watched cluster,
/// when the console is attached to one).
public struct AttachedServer: Sendable, Equatable {
    /// A namespace with its socket count on this server.
    public struct NamespaceCount: Sendable, Equatable {
        /// The namespace's name.
        public var name: String
        /// Its sockets on this server.
        public var sockets: Int

        /// Creates a count.
        public init(name: String, sockets: Int) {
            self.name = name
            self.sockets = sockets
        }
    }

    /// Whether the server still reports.
    public enum Health: String, Sendable {
        /// Its last stats came within two and a half intervals.
        case healthy
        /// Silent for longer: stopped, frozen, or cut off.
        case late
    }

    /// The id it reports (`serverId`; Node's default is the host name).
    public var id: String
    /// Its host name.
    public var hostname: String
    /// Its process id.
    public var pid: Int
    /// Seconds since it started.
    public var uptime: Double
    /// Engine connections open on it.
    public var clients: Int
    /// Of which on HTTP long-polling.
    public var pollingClients: Int
    /// Its namespaces with their socket counts.
    public var namespaces: [NamespaceCount]
    /// When its stats last came, in nanoseconds since 1970.
    public var lastSeen: Int64
    /// The time between its last two stats, in nanoseconds (2 s until two came).
    public var interval: Int64

    /// Creates a description (the first stats of a server).
    public init(id: String, hostname: String, pid: Int, uptime: Double, clients: Int, pollingClients: Int,
                namespaces: [NamespaceCount], lastSeen: Int64, interval: Int64 = 2_000_000_000) {
        self.id = id
        self.hostname = hostname
        self.pid = pid
        self.uptime = uptime
        self.clients = clients
        self.pollingClients = pollingClients
        self.namespaces = namespaces
        self.lastSeen = lastSeen
        self.interval = interval
    }

    /// Whether it reported lately enough, at `now` (nanoseconds since 1970).
    public func health(now: Int64) -> Health {
        now - lastSeen > interval * 5 / 2 ? .late : .healthy
    }

    /// What tells two servers apart: the id with the host and process, since Node's and
    /// python-socketio's default id is the host name, shared by every server of a machine.
    public var key: String { id + "\u{0}" + hostname + "\u{0}" + String(pid) }

    /// Whether it has been silent so long (a minute, and ten intervals) that it is taken
    /// for stopped and forgotten.
    public func isForgotten(now: Int64) -> Bool {
        now - lastSeen > max(60_000_000_000, interval * 10)
    }
}

/// The link of a console to a server it is attached to over the network: what it is
/// attached to, how, and whether the link is up. `nil` in ``MonitorState/link`` for a
/// console that watches its own process.
public struct FeedLink: Sendable, Equatable {
    /// Where the link stands.
    public enum Status: Sendable, Equatable {
        /// Connecting for the first time.
        case connecting
        /// Connected to the admin namespace.
        case connected
        /// Not connected (lost, or never reached); reconnecting with backoff, the last picture kept.
        case reconnecting(String)
        /// Refused by the server (credentials, no admin namespace): retried, but a person
        /// must probably fix something.
        case refused(String)
    }

    /// The server's URL as given.
    public var url: String
    /// The admin namespace.
    public var namespace: String
    /// `polling` or `websocket`, once connected.
    public var transport: String?
    /// Where the link stands.
    public var status: Status
    /// The features the server advertised in `config`.
    public var features: [String]
    /// Whether the server reports every socket, room and event: development mode (Node's
    /// `ALL_EVENTS`), or a server from before modes existed (`@socket.io/admin-ui` before
    /// 0.3 advertises neither `ALL_EVENTS` nor `AGGREGATED_EVENTS`, and always reports
    /// everything). A production-mode server advertises `AGGREGATED_EVENTS` alone and sends
    /// only its stats.
    public var perSocketData: Bool { Self.reportsPerSocket(features: features) }

    /// Whether a server advertising `features` reports every socket, room and event
    /// (see ``perSocketData``).
    public static func reportsPerSocket(features: [String]) -> Bool {
        features.contains("ALL_EVENTS") || !features.contains("AGGREGATED_EVENTS")
    }

    /// Creates a link description.
    public init(url: String, namespace: String, transport: String? = nil, status: Status = .connecting, features: [String] = []) {
        self.url = url
        self.namespace = namespace
        self.transport = transport
        self.status = status
        self.features = features
    }

    /// The status in a few words, for the header.
    public var summary: String {
        let via = transport.map { " via " + $0 } ?? ""
        switch status {
        case .connecting: return "connecting"
        case .connected: return "connected" + via
        case .reconnecting(let why): return "not connected (" + why + "), retrying"
        case .refused(let why): return "refused: " + why
        }
    }
}
