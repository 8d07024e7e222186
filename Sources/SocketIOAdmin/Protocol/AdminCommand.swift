import SocketIO

/// A command from an admin client (Node's `ClientEvents`), checked before anything acts on
/// it: a wrong type, a missing argument or an oversized name makes it `nil`, and nothing
/// happens, as nothing does in Node when its handlers get arguments they cannot use.
enum AdminCommand: Equatable, Sendable {
    /// `emit(nsp, filter, event, ...args)`.
    case emit(namespace: String, filter: String?, event: String, arguments: [JSONValue])
    /// `join(nsp, room, filter?)`.
    case join(namespace: String, room: String, filter: String?)
    /// `leave(nsp, room, filter?)`.
    case leave(namespace: String, room: String, filter: String?)
    /// `_disconnect(nsp, close, filter?)`.
    case disconnect(namespace: String, close: Bool, filter: String?)

    /// The events that carry commands, each with the feature that enables it.
    static let events: [(name: String, feature: AdminFeature)] = [
        ("emit", .emit), ("join", .join), ("leave", .leave), ("_disconnect", .disconnect),
    ]

    /// The longest namespace, room, filter or event name a command may carry, in bytes.
    /// Node has no bound; ours keeps a flood of huge names off the cluster bus.
    static let maxNameLength = 1024

    init?(event: String, arguments: [JSONValue]) {
        guard let namespace = Self.name(arguments.first), namespace.hasPrefix("/") else { return nil }
        switch event {
        case "emit":
            guard arguments.count >= 3, let filter = Self.filter(arguments[1]), let name = Self.name(arguments[2]) else { return nil }
            self = .emit(namespace: namespace, filter: filter.value, event: name, arguments: Array(arguments.dropFirst(3)))
        case "join", "leave":
            guard arguments.count >= 2, arguments.count <= 3, let room = Self.name(arguments[1]),
                  let filter = Self.filter(arguments.count == 3 ? arguments[2] : .null) else { return nil }
            self = event == "join"
                ? .join(namespace: namespace, room: room, filter: filter.value)
                : .leave(namespace: namespace, room: room, filter: filter.value)
        case "_disconnect":
            guard arguments.count >= 2, arguments.count <= 3, case .bool(let close) = arguments[1],
                  let filter = Self.filter(arguments.count == 3 ? arguments[2] : .null) else { return nil }
            self = .disconnect(namespace: namespace, close: close, filter: filter.value)
        default:
            return nil
        }
    }

    /// A non-empty string no longer than ``maxNameLength``.
    private static func name(_ value: JSONValue?) -> String? {
        guard case .string(let text)? = value, !text.isEmpty, text.utf8.count <= maxNameLength else { return nil }
        return text
    }

    /// A filter: a room or socket id, or none (`null`, or an empty string, which Node
    /// treats as none). Anything else is not a filter at all.
    private struct Filter { let value: String? }
    private static func filter(_ value: JSONValue) -> Filter? {
        switch value {
        case .null: return Filter(value: nil)
        case .string(let text) where text.isEmpty: return Filter(value: nil)
        case .string(let text) where text.utf8.count <= maxNameLength: return Filter(value: text)
        default: return nil
        }
    }
}
