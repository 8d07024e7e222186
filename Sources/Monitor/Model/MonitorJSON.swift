import SocketIO

/// The JSON-lines shapes of the console's tables (the `sockets`, `rooms` and `show`
/// replies of `--headless`). Every string is escaped so the lines are safe on a terminal.
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

    /// One room: namespace, name, members, whether it is a socket's own room.
    public static func room(_ room: RoomSummary, namespace: String, members: Set<String>) -> String {
        var object = Object()
        object.add("nsp", namespace)
        object.add("room", room.name)
        object.add("private", room.isPrivate)
        object.add("members", strings: members.sorted())
        return object.text
    }
}
