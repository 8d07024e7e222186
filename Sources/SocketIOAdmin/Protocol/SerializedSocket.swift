import SocketIO

/// A socket as the admin protocol describes it (Node's `SerializedSocket`): id, client id,
/// transport, namespace, data without the `_admin` bookkeeping, the handshake without
/// `auth`, and rooms.
enum SerializedSocket {
    /// The key of `socket.data` where, as in Node, the admin keeps what `fetchSockets` must
    /// carry across the cluster: the client id and the transport.
    static let adminKey = "_admin"

    static func json(id: String, namespace: String, handshake: Handshake, rooms: Set<String>, data: JSONValue) -> JSONValue {
        var object = JSONObject()
        object["id"] = .string(id)
        let bookkeeping = data[adminKey]
        if let clientId = bookkeeping?["clientId"] { object["clientId"] = clientId }
        if let transport = bookkeeping?["transport"] { object["transport"] = transport }
        object["nsp"] = .string(namespace)
        object["data"] = userData(data)
        object["handshake"] = handshakeJSON(handshake)
        // Node lists rooms in joining order, the socket's own room first; a set has no
        // order, so keep that first room first and sort the rest.
        var ordered = rooms.contains(id) ? [id] : []
        ordered += rooms.filter { $0 != id }.sorted()
        object["rooms"] = .array(ordered.map(JSONValue.string))
        return .object(object)
    }

    static func json(_ socket: RemoteSocket, namespace: String) -> JSONValue {
        json(id: socket.id, namespace: namespace, handshake: socket.handshake, rooms: socket.rooms, data: socket.data)
    }

    static func json(_ socket: Socket) -> JSONValue {
        json(id: socket.id, namespace: socket.namespace.name, handshake: socket.handshake, rooms: socket.rooms, data: socket.data)
    }

    /// `data` as the application sees it: Node strips `_admin` and sends `{}` for no data.
    static func userData(_ data: JSONValue) -> JSONValue {
        switch data {
        case .object(var object):
            object[adminKey] = nil
            return .object(object)
        case .null:
            return .object(JSONObject())
        default:
            return data
        }
    }

    /// `data` with the admin bookkeeping for a socket of client `clientId` on `transport`.
    static func dataWithBookkeeping(_ data: JSONValue, clientId: String, transport: String) -> JSONValue? {
        let bookkeeping: JSONValue = .object(["clientId": .string(String(clientId.prefix(12))), "transport": .string(transport)])
        switch data {
        case .object(var object):
            object[adminKey] = bookkeeping
            return .object(object)
        case .null:
            return .object([adminKey: bookkeeping])
        default:
            // A value that is not an object cannot carry it; leave the application's value alone.
            return nil
        }
    }

    private static func handshakeJSON(_ handshake: Handshake) -> JSONValue {
        var headers = JSONObject()
        for (name, value) in handshake.headers.sorted(by: { $0.key < $1.key }) { headers[name] = .string(value) }
        var query = JSONObject()
        for (name, value) in handshake.query.sorted(by: { $0.key < $1.key }) { query[name] = value.json }
        let address = handshake.headers["cf-connecting-ip"] ?? handshake.headers["x-forwarded-for"] ?? handshake.address
        return .object([
            "address": .string(address),
            "headers": .object(headers),
            "query": .object(query),
            "issued": .int(handshake.issued),
            "secure": .bool(handshake.secure),
            "time": .string(handshake.time),
            "url": .string(handshake.url),
            "xdomain": .bool(handshake.xdomain),
        ])
    }
}
