public import SocketIOParser
import NIOConcurrencyHelpers

extension ClientSocket {
    /// Adds a handler for `event` (`socket.on`). The reserved events `connect`,
    /// `connect_error` and `disconnect` are accepted too: their handlers get `[]`, the
    /// error's `[message, data]`, and `[reason]`.
    /// - Returns: an id for ``off(_:_:)``.
    @discardableResult
    public func on(_ event: String, _ handler: @escaping EventHandler) -> ListenerID {
        addListener(event, handler, once: false)
    }

    /// Adds a handler that runs for the next `event` only (`socket.once`).
    @discardableResult
    public func once(_ event: String, _ handler: @escaping EventHandler) -> ListenerID {
        addListener(event, handler, once: true)
    }

    /// Adds a handler that decodes the first argument as `T`; arguments that do not decode
    /// are dropped.
    @discardableResult
    public func on<T: Decodable & Sendable>(_ event: String, as type: T.Type, _ handler: @escaping @Sendable (T, Ack?) -> Void) -> ListenerID {
        addListener(event, { arguments, ack in
            guard let value = try? (arguments.first ?? .null).decode(T.self) else { return }
            handler(value, ack)
        }, once: false)
    }

    /// Removes the handler `id` of `event`, or all of them when `id` is `nil` (`socket.off`).
    public func off(_ event: String, _ id: ListenerID? = nil) {
        listeners.withLockedValue { listeners in
            switch event {
            case "connect": listeners.connect.remove(id)
            case "connect_error": listeners.connectError.remove(id)
            case "disconnect": listeners.disconnect.remove(id)
            default:
                listeners.events[event]?.remove(id)
                if listeners.events[event]?.isEmpty == true { listeners.events[event] = nil }
            }
        }
    }

    /// Removes every handler of `event`, or of every event (`removeAllListeners`).
    public func removeAllListeners(_ event: String? = nil) {
        if let event {
            off(event)
        } else {
            listeners.withLockedValue { $0 = Listeners() }
        }
    }

    /// The number of handlers of `event` (`listenerCount`).
    public func listenerCount(_ event: String) -> Int {
        listeners.withLockedValue { listeners in
            switch event {
            case "connect": listeners.connect.entries.count
            case "connect_error": listeners.connectError.entries.count
            case "disconnect": listeners.disconnect.entries.count
            default: listeners.events[event]?.entries.count ?? 0
            }
        }
    }

    private func addListener(_ event: String, _ handler: @escaping EventHandler, once: Bool) -> ListenerID {
        switch event {
        case "connect":
            return listeners.withLockedValue { $0.connect.add({ handler([], nil) }, once: once) }
        case "connect_error":
            return listeners.withLockedValue {
                $0.connectError.add({ error in handler([.string(error.message), error.data ?? .null], nil) }, once: once)
            }
        case "disconnect":
            return listeners.withLockedValue {
                $0.disconnect.add({ reason, _ in handler([.string(reason.rawValue)], nil) }, once: once)
            }
        default:
            return listeners.withLockedValue { $0.events[event, default: ListenerList()].add(handler, once: once) }
        }
    }

    // MARK: Connection events

    /// Adds a listener for each successful connection to the namespace (`connect`).
    @discardableResult
    public func onConnect(_ handler: @escaping @Sendable () -> Void) -> ListenerID {
        listeners.withLockedValue { $0.connect.add(handler) }
    }

    /// Adds a listener for refused or failed connections (`connect_error`), with the
    /// server's `message` and `data`.
    @discardableResult
    public func onConnectError(_ handler: @escaping @Sendable (SocketIOClientError) -> Void) -> ListenerID {
        listeners.withLockedValue { $0.connectError.add(handler) }
    }

    /// Adds a listener for disconnections (`disconnect`), with `socket.io-client`'s reason.
    @discardableResult
    public func onDisconnect(_ handler: @escaping @Sendable (ClientDisconnectReason, String?) -> Void) -> ListenerID {
        listeners.withLockedValue { $0.disconnect.add(handler) }
    }

    // MARK: Catch-all listeners

    /// Adds a listener for every incoming event (`onAny`).
    @discardableResult
    public func onAny(_ handler: @escaping AnyEventHandler) -> ListenerID {
        listeners.withLockedValue { $0.any.add(handler) }
    }

    /// Adds a listener for every incoming event, before the others (`prependAny`).
    @discardableResult
    public func prependAny(_ handler: @escaping AnyEventHandler) -> ListenerID {
        listeners.withLockedValue { $0.any.add(handler, prepend: true) }
    }

    /// Removes the catch-all listener `id`, or all of them (`offAny`).
    public func offAny(_ id: ListenerID? = nil) {
        listeners.withLockedValue { $0.any.remove(id) }
    }

    /// The catch-all listeners, in call order (`listenersAny`).
    public func listenersAny() -> [ListenerID] {
        listeners.withLockedValue { $0.any.ids }
    }

    /// Adds a listener for every outgoing event (`onAnyOutgoing`).
    @discardableResult
    public func onAnyOutgoing(_ handler: @escaping AnyEventHandler) -> ListenerID {
        listeners.withLockedValue { $0.anyOutgoing.add(handler) }
    }

    /// Adds a listener for every outgoing event, before the others (`prependAnyOutgoing`).
    @discardableResult
    public func prependAnyOutgoing(_ handler: @escaping AnyEventHandler) -> ListenerID {
        listeners.withLockedValue { $0.anyOutgoing.add(handler, prepend: true) }
    }

    /// Removes the outgoing catch-all listener `id`, or all of them (`offAnyOutgoing`).
    public func offAnyOutgoing(_ id: ListenerID? = nil) {
        listeners.withLockedValue { $0.anyOutgoing.remove(id) }
    }

    /// The outgoing catch-all listeners, in call order (`listenersAnyOutgoing`).
    public func listenersAnyOutgoing() -> [ListenerID] {
        listeners.withLockedValue { $0.anyOutgoing.ids }
    }
}
