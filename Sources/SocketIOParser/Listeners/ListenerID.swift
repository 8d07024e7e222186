// The listener vocabulary the server's and the client's sockets share.

/// Identifies a listener so it can be removed again (Swift closures have no identity,
/// so `on`/`onAny`/`use` return one of these where Node would compare functions).
public struct ListenerID: Sendable, Hashable {
    package let value: UInt64

    package init(value: UInt64) {
        self.value = value
    }
}

/// A handler for an event from the peer: its arguments, and the ack callback when the peer
/// asked for one.
public typealias EventHandler = @Sendable (_ arguments: [JSONValue], _ ack: Ack?) -> Void

/// A handler of every event (Node's `onAny` / `onAnyOutgoing`): name and arguments.
public typealias AnyEventHandler = @Sendable (_ event: String, _ arguments: [JSONValue]) -> Void
