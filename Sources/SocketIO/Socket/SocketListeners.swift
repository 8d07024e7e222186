/// A packet middleware (Node's `socket.use`): sees the event name and arguments before the
/// handlers, may change the arguments, and throws to stop the event (the socket's
/// `error` listeners then get the error).
public typealias PacketMiddleware = @Sendable (_ event: String, _ arguments: inout [JSONValue]) throws -> Void

/// The listeners of one socket.
struct SocketListeners {
    struct Entry<Handler> {
        let id: ListenerID
        let handler: Handler
        let once: Bool
    }

    var nextID: UInt64 = 0
    var events: [String: [Entry<EventHandler>]] = [:]
    var any: [Entry<AnyEventHandler>] = []
    var anyOutgoing: [Entry<AnyEventHandler>] = []
    var middlewares: [Entry<PacketMiddleware>] = []
    var disconnecting: [Entry<@Sendable (DisconnectReason, String?) -> Void>] = []
    var disconnect: [Entry<@Sendable (DisconnectReason, String?) -> Void>] = []
    var error: [Entry<@Sendable (any Error) -> Void>] = []

    mutating func makeID() -> ListenerID {
        nextID += 1
        return ListenerID(value: nextID)
    }
}
