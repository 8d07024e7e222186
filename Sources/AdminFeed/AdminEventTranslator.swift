package import Monitor
package import SocketIO

/// What one event of the Admin UI protocol tells the console, in the model's own terms.
package enum AdminUpdate: Sendable {
    /// The admin namespace (re)connected: what follows is news since then, until the
    /// snapshot (`all_sockets`) that the server is gathering arrives.
    case linked
    /// `config`: the features the server supports.
    case config(features: [String])
    /// `session`: the session id to reconnect with instead of the credentials.
    case session(String)
    /// `all_sockets`: every socket of the server (of every node), as the server sees it now.
    case allSockets([SocketInfo])
    /// A socket connected, disconnected, changed, or joined or left a room.
    case structural(StructuralRecord)
    /// An event a socket received or was sent.
    case packet(EventRecord)
    /// `server_stats` of one server, with its traffic since its previous stats.
    case stats(AttachedServer, traffic: TrafficTotals)
}

/// Reads the events an instrumented server sends its admin clients (Node's
/// `@socket.io/admin-ui` and python-socketio's `instrument()` send the same ones, with small
/// differences in types handled here) into ``AdminUpdate``s. Anything malformed is skipped:
/// a server's bad event must never stop the console.
package enum AdminEventTranslator {
    /// The update an admin event carries, or `nil` when it is unknown or malformed.
    ///
    /// - Parameters:
    ///   - event: The event's name.
    ///   - arguments: Its arguments.
    ///   - time: When it arrived, in nanoseconds since 1970.
    package static func translate(_ event: String, _ arguments: [JSONValue], time: Int64) -> AdminUpdate? {
        switch event {
        case "config":
            guard case .array(let features)? = arguments.first?["supportedFeatures"] else { return nil }
            return .config(features: features.compactMap(\.stringValue))
        case "session":
            return arguments.first?.stringValue.map(AdminUpdate.session)
        case "all_sockets":
            guard case .array(let sockets)? = arguments.first else { return nil }
            return .allSockets(sockets.compactMap(socketInfo))
        case "socket_connected":
            return arguments.first.flatMap(socketInfo).map { .structural(.socketConnected($0)) }
        case "socket_updated":
            guard let object = arguments.first, let id = object["id"]?.stringValue else { return nil }
            let data: JSONValue? = object["data"]
            return .structural(.socketUpdated(namespace: object["nsp"]?.stringValue ?? "/", id: id,
                                              transport: object["transport"]?.stringValue, data: data))
        case "socket_disconnected":
            guard arguments.count >= 3, let namespace = arguments[0].stringValue, let id = arguments[1].stringValue else { return nil }
            return .structural(.socketDisconnected(namespace: namespace, id: id, reason: arguments[2].stringValue ?? "unknown",
                                                   description: nil))
        case "room_joined", "room_left":
            guard arguments.count >= 3, let namespace = arguments[0].stringValue, let room = arguments[1].stringValue,
                  let id = arguments[2].stringValue else { return nil }
            return .structural(event == "room_joined"
                ? .joined(namespace: namespace, room: room, socketID: id)
                : .left(namespace: namespace, room: room, socketID: id))
        case "event_received", "event_sent":
            guard arguments.count >= 3, let namespace = arguments[0].stringValue, let id = arguments[1].stringValue,
                  case .array(let packet) = arguments[2], let name = packet.first?.stringValue else { return nil }
            return .packet(EventRecord(time: time, direction: event == "event_received" ? .inbound : .outbound,
                                       namespace: namespace, socketID: id, event: name, arguments: Array(packet.dropFirst())))
        case "server_stats":
            guard let value = arguments.first, let (server, traffic) = stats(value, time: time) else { return nil }
            return .stats(server, traffic: traffic)
        default:
            return nil
        }
    }

    /// A serialized socket (`id`, `clientId`, `transport`, `nsp`, `data`, `handshake`, `rooms`).
    package static func socketInfo(_ value: JSONValue) -> SocketInfo? {
        guard let id = value["id"]?.stringValue, !id.isEmpty else { return nil }
        let namespace = value["nsp"]?.stringValue ?? "/"
        var rooms = Set<String>()
        if case .array(let list)? = value["rooms"] {
            for room in list { if let name = room.stringValue { rooms.insert(name) } }
        }
        return SocketInfo(id: id, namespace: namespace, engineID: value["clientId"]?.stringValue ?? "",
                          transport: value["transport"]?.stringValue ?? "", handshake: handshake(value["handshake"]),
                          rooms: rooms, data: value["data"])
    }

    /// A serialized handshake. A repeated query parameter (a list) stays a list; a header
    /// sent as a list (Node's `set-cookie`) is joined with `, `, as the server's own handshake does.
    static func handshake(_ value: JSONValue?) -> Handshake {
        func strings(_ value: JSONValue?) -> [String: String] {
            guard case .object(let object)? = value else { return [:] }
            var result: [String: String] = [:]
            for (key, item) in object {
                switch item {
                case .string(let text): result[key] = text
                case .array(let list): result[key] = list.map { $0.stringValue ?? PayloadFormatter.compact($0, limit: 200) }.joined(separator: ", ")
                case .null: continue
                default: result[key] = PayloadFormatter.compact(item, limit: 200)
                }
            }
            return result
        }
        var auth = JSONObject()
        if case .object(let object)? = value?["auth"] { auth = object }
        return Handshake(
            headers: strings(value?["headers"]), time: value?["time"]?.stringValue ?? "",
            address: value?["address"]?.stringValue ?? "", xdomain: value?["xdomain"]?.boolValue ?? false,
            secure: value?["secure"]?.boolValue ?? false, issued: number(value?["issued"]).map { Int64($0) } ?? 0,
            url: value?["url"]?.stringValue ?? "", query: queryValues(value?["query"]), auth: auth
        )
    }

    /// Query parameters: a string, or a list of strings for a repeated one; anything else
    /// is shown as its JSON text.
    static func queryValues(_ value: JSONValue?) -> [String: QueryValue] {
        guard case .object(let object)? = value else { return [:] }
        var result: [String: QueryValue] = [:]
        for (key, item) in object {
            if item == .null { continue }
            result[key] = QueryValue(json: item) ?? .single(PayloadFormatter.compact(item, limit: 200))
        }
        return result
    }

    /// `server_stats`: the server's figures, and the traffic of its `aggregatedEvents`.
    static func stats(_ value: JSONValue, time: Int64) -> (AttachedServer, TrafficTotals)? {
        guard case .object = value else { return nil }
        let hostname = value["hostname"]?.stringValue ?? ""
        let id = value["serverId"]?.stringValue ?? (hostname.isEmpty ? "server" : hostname)
        var namespaces: [AttachedServer.NamespaceCount] = []
        if case .array(let list)? = value["namespaces"] {
            for item in list {
                guard let name = item["name"]?.stringValue else { continue }
                namespaces.append(.init(name: name, sockets: number(item["socketsCount"]).map { Int($0) } ?? 0))
            }
        }
        var traffic = TrafficTotals()
        if case .array(let events)? = value["aggregatedEvents"] {
            for event in events {
                let count = number(event["count"]).map { Int($0) } ?? 0
                switch event["type"]?.stringValue {
                case "packetsIn": traffic.packetsIn += count
                case "packetsOut": traffic.packetsOut += count
                case "bytesIn": traffic.bytesIn += count
                case "bytesOut": traffic.bytesOut += count
                default: break
                }
            }
        }
        let server = AttachedServer(
            id: id, hostname: hostname, pid: number(value["pid"]).map { Int($0) } ?? 0, uptime: number(value["uptime"]) ?? 0,
            clients: number(value["clientsCount"]).map { Int($0) } ?? 0,
            pollingClients: number(value["pollingClientsCount"]).map { Int($0) } ?? 0,
            namespaces: namespaces, lastSeen: time
        )
        return (server, traffic)
    }

    /// A JSON number as a double, whether the server wrote it as an integer or not (python
    /// sends `issued` as a float), when it is finite and not absurd.
    static func number(_ value: JSONValue?) -> Double? {
        let result: Double
        switch value {
        case .int(let integer)?: result = Double(integer)
        case .double(let double)?: result = double
        default: return nil
        }
        guard result.isFinite, abs(result) < 9e15 else { return nil }
        return result
    }
}
