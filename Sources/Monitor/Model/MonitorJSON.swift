import SocketIO

/// The JSON-lines shapes of the console's tables (the `sockets`, `rooms`, `show` and
/// `nodes` replies of `--headless`). Every string is escaped so the lines are safe on a terminal.
public enum MonitorJSON {
    /// Builds one JSON object with keys in the order given.
    public struct Object {
        private var fields: [String] = []

        /// Creates an empty object.
        public init() {}

        /// Adds a string member.
        public mutating func add(_ key: String, _ value: String?) {
            guard let value else { return }
            fields.append(PayloadFormatter.quoted(key) + ":" + PayloadFormatter.quoted(value))
        }

        /// Adds an integer member.
        public mutating func add(_ key: String, _ value: Int?) {
            guard let value else { return }
            fields.append(PayloadFormatter.quoted(key) + ":" + String(value))
        }

        /// Adds a Boolean member.
        public mutating func add(_ key: String, _ value: Bool) {
            fields.append(PayloadFormatter.quoted(key) + ":" + (value ? "true" : "false"))
        }

        /// Adds a member whose value is already JSON text.
        public mutating func addRaw(_ key: String, _ json: String) {
            fields.append(PayloadFormatter.quoted(key) + ":" + json)
        }

        /// Adds an array of strings.
        public mutating func add(_ key: String, strings: [String]) {
            addRaw(key, "[" + strings.map(PayloadFormatter.quoted).joined(separator: ",") + "]")
        }

        /// The object as text.
        public var text: String { "{" + fields.joined(separator: ",") + "}" }
    }

    /// A socket's row: id, namespace, engine id, address, transport, rooms, counters.
    ///
    /// - Parameters:
    ///   - socket: The socket.
    ///   - state: The tables (for its rooms).
    ///   - details: Whether to add the handshake and `data`.
    /// - Returns: A JSON object.
    public static func socket(_ socket: SocketEntry, state: MonitorState, details: Bool = false) -> String {
        var object = Object()
        object.add("id", socket.id)
        object.add("nsp", socket.namespace)
        if socket.isRemote { return remoteSocket(socket, state: state, details: details, into: object) }
        object.add("engine", socket.engineID)
        object.add("address", socket.address)
        object.add("transport", socket.transport)
        object.add("upgraded", socket.upgraded)
        object.add("rooms", strings: state.rooms(of: socket.id).sorted())
        object.add("connectedAt", WallClock.iso8601(socket.connectedAt * 1_000_000))
        object.add("in", socket.eventsIn)
        object.add("out", socket.eventsOut)
        if details {
            object.add("recovered", socket.recovered)
            object.addRaw("handshake", PayloadFormatter.compact(socket.handshake.json, binary: .jsonObject))
            object.addRaw("data", PayloadFormatter.compact(socket.data ?? .null, binary: .jsonObject))
        }
        return object.text
    }

    /// A socket of another server: what `fetchSockets` told (no engine, transport nor
    /// counters: those stay on its server), marked with `"node"`.
    private static func remoteSocket(_ socket: SocketEntry, state: MonitorState, details: Bool, into object: Object) -> String {
        var object = object
        object.add("node", socket.node)
        object.add("address", socket.address)
        object.add("rooms", strings: state.rooms(of: socket.id).sorted())
        object.add("connectedAt", WallClock.iso8601(socket.connectedAt * 1_000_000))
        if details {
            object.addRaw("handshake", PayloadFormatter.compact(socket.handshake.json, binary: .jsonObject))
            object.addRaw("data", PayloadFormatter.compact(socket.data ?? .null, binary: .jsonObject))
        }
        return object.text
    }

    /// The reply to `nodes`: whether the server is on a cluster, and each node of each
    /// namespace's cluster (``ClusterStatus/rows(now:)``).
    ///
    /// - Parameters:
    ///   - state: The tables (for ``MonitorState/cluster``).
    ///   - now: The time, in nanoseconds since 1970.
    /// - Returns: A JSON object of type `nodes`.
    public static func nodes(state: MonitorState, now: Int64) -> String {
        if state.link != nil { return attachedServers(state: state, now: now) }
        var object = Object()
        object.add("type", "nodes")
        guard let cluster = state.cluster else {
            object.add("cluster", false)
            object.add("servers", 1)
            object.add("summary", "single-node server: the in-memory adapter, no cluster")
            object.addRaw("nodes", "[]")
            return object.text
        }
        object.add("cluster", true)
        object.add("servers", cluster.serverCount)
        if cluster.namespaces.isEmpty {
            object.add("summary", cluster.sampledAt == 0 ? "waiting for the first poll of the cluster" : "no namespace is on a cluster adapter")
        }
        let rows = cluster.rows(now: now).map { row in
            var node = Object()
            node.add("nsp", row.namespace)
            node.add("uid", row.uid)
            node.add("self", row.isLocal)
            node.add("state", row.status.rawValue)
            node.add("lastHeartbeat", row.lastHeartbeat.map(WallClock.iso8601))
            node.add("silenceMs", row.silence(now: now).map { Int($0 / 1_000_000) })
            node.add("publishFailures", row.publishFailures)
            if row.isLocal, let namespace = cluster.namespaces[row.namespace] {
                node.add("remoteSockets", state.remoteSocketCount(in: row.namespace))
                node.add("fetchError", namespace.fetchError)
            }
            return node.text
        }
        object.addRaw("nodes", "[" + rows.joined(separator: ",") + "]")
        return object.text
    }

    /// One room: namespace, name, members, whether it is a socket's own room.
    public static func room(_ room: RoomSummary, namespace: String, members: Set<String>) -> String {
        var object = Object()
        object.add("nsp", namespace)
        object.add("room", room.name)
        object.add("private", room.isPrivate)
        object.add("members", strings: members.sorted())
        return object.text
    }

    /// A line of type `link`: the state of the link to an attached server.
    ///
    /// - Parameter link: The link.
    /// - Returns: `{"type":"link","url":…,"namespace":…,"status":…,"transport":…,"message":…,"features":[…]}`.
    public static func link(_ link: FeedLink) -> String {
        var object = Object()
        object.add("type", "link")
        object.add("url", link.url)
        object.add("namespace", link.namespace)
        let (status, message): (String, String?) = switch link.status {
        case .connecting: ("connecting", nil)
        case .connected: ("connected", nil)
        case .reconnecting(let why): ("reconnecting", why)
        case .refused(let why): ("refused", why)
        }
        object.add("status", status)
        object.add("transport", link.transport)
        object.add("message", message)
        object.add("features", strings: link.features)
        return object.text
    }

    /// The reply to `nodes` of an attached console: every server that sent stats, with its
    /// figures and whether it still reports.
    static func attachedServers(state: MonitorState, now: Int64) -> String {
        var object = Object()
        object.add("type", "nodes")
        object.add("attached", true)
        object.add("servers", state.servers.count)
        let rows = state.servers.values.sorted { ($0.id, $0.pid) < ($1.id, $1.pid) }.map { server in
            var node = Object()
            node.add("id", server.id)
            node.add("hostname", server.hostname)
            node.add("pid", server.pid)
            node.add("uptimeSeconds", Int(server.uptime))
            node.add("clients", server.clients)
            node.add("pollingClients", server.pollingClients)
            node.add("state", server.health(now: now).rawValue)
            node.add("lastSeen", WallClock.iso8601(server.lastSeen))
            node.add("silenceMs", Int(max(0, now - server.lastSeen) / 1_000_000))
            let namespaces = server.namespaces.map { namespace in
                var entry = Object()
                entry.add("name", namespace.name)
                entry.add("sockets", namespace.sockets)
                return entry.text
            }
            node.addRaw("namespaces", "[" + namespaces.joined(separator: ",") + "]")
            return node.text
        }
        object.addRaw("nodes", "[" + rows.joined(separator: ",") + "]")
        return object.text
    }
}
