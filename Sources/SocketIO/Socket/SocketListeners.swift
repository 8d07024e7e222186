/// A handler of every incoming event with its acknowledgement callback (Node's `onAny`
/// listener, which gets the callback as its last argument): `ack` is `nil` when the
/// client asked for none. The reply is sent once, by whichever listener calls it first.
public typealias AnyIncomingEventHandler = @Sendable (_ event: String, _ arguments: [JSONValue], _ ack: Ack?) -> Void

/// A packet middleware (Node's `socket.use`): sees the event name and arguments before the
/// handlers, may change the arguments, and throws to stop the event (the socket's
/// `error` listeners then get the error).
public typealias PacketMiddleware = @Sendable (_ event: String, _ arguments: inout [JSONValue]) throws -> Void

/// A packet middleware that may finish later (Node's `socket.use((packet, next) => …)`
/// calling `next` asynchronously, say after a token lookup): gets the event name and
/// arguments, returns the arguments to deliver, throws to stop the event.
public typealias AsyncPacketMiddleware = @Sendable (_ event: String, _ arguments: [JSONValue]) async throws -> [JSONValue]

/// One packet middleware, in registration order.
enum PacketMiddlewareStep: Sendable {
    case sync(PacketMiddleware)
    case async(AsyncPacketMiddleware)

    var isAsync: Bool {
        if case .async = self { return true }
        return false
    }
}

/// The listeners of one socket.
struct SocketListeners {
    struct Entry<Handler> {
        let id: ListenerID
        let handler: Handler
        let once: Bool
    }

    var nextID: UInt64 = 0
    var events: [String: [Entry<EventHandler>]] = [:]
    var any: [Entry<AnyIncomingEventHandler>] = []
    var anyOutgoing: [Entry<AnyEventHandler>] = []
    var middlewares: [Entry<PacketMiddlewareStep>] = []
    var disconnecting: [Entry<@Sendable (DisconnectReason, String?) -> Void>] = []
    var disconnect: [Entry<@Sendable (DisconnectReason, String?) -> Void>] = []
    var error: [Entry<@Sendable (any Error) -> Void>] = []

    mutating func makeID() -> ListenerID {
        nextID += 1
        return ListenerID(value: nextID)
    }
}
