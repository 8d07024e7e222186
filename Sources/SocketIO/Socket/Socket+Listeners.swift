import NIOConcurrencyHelpers
extension Socket {
    /// Adds a handler for `event` (Node's `socket.on`). `"disconnect"` and
    /// `"disconnecting"` handlers get the reason as their one argument.
    /// - Returns: an id for ``off(_:_:)``.
    @discardableResult
    public func on(_ event: String, _ handler: @escaping EventHandler) -> ListenerID {
        addListener(event, handler, once: false)
    }

    /// Adds a handler that decodes the first argument as `T`; an argument that does not
    /// decode reaches the socket's `error` listeners instead.
    @discardableResult
    public func on<T: Decodable & Sendable>(_ event: String, as type: T.Type, _ handler: @escaping @Sendable (T, Ack?) -> Void) -> ListenerID {
        addListener(event, { [weak self] arguments, ack in
            do {
                handler(try (arguments.first ?? .null).decode(T.self), ack)
            } catch {
                self?.emitError(error)
            }
        }, once: false)
    }

    /// Adds a handler that runs for the next `event` only (Node's `socket.once`).
    @discardableResult
    public func once(_ event: String, _ handler: @escaping EventHandler) -> ListenerID {
        addListener(event, handler, once: true)
    }

    /// Removes the handler `id` of `event`, or all of them when `id` is `nil` (Node's `off`).
    public func off(_ event: String, _ id: ListenerID? = nil) {
        listeners.withLockedValue { listeners in
            switch event {
            case "disconnect": listeners.disconnect.removeAll { id == nil || $0.id == id }
            case "disconnecting": listeners.disconnecting.removeAll { id == nil || $0.id == id }
            case "error": listeners.error.removeAll { id == nil || $0.id == id }
            default:
                listeners.events[event]?.removeAll { id == nil || $0.id == id }
                if listeners.events[event]?.isEmpty == true { listeners.events[event] = nil }
            }
        }
    }

    /// Removes every handler of `event`, or of every event (Node's `removeAllListeners`).
    public func removeAllListeners(_ event: String? = nil) {
        if let event {
            off(event)
        } else {
            listeners.withLockedValue { listeners in
                listeners.events.removeAll()
                listeners.disconnect.removeAll()
                listeners.disconnecting.removeAll()
                listeners.error.removeAll()
            }
        }
    }

    /// The events that have handlers (Node's `eventNames`).
    public func eventNames() -> [String] {
        listeners.withLockedValue { listeners in
            var names = Array(listeners.events.keys).sorted()
            if !listeners.disconnecting.isEmpty { names.append("disconnecting") }
            if !listeners.disconnect.isEmpty { names.append("disconnect") }
            if !listeners.error.isEmpty { names.append("error") }
            return names
        }
    }

    /// The number of handlers of `event` (Node's `listenerCount`).
    public func listenerCount(_ event: String) -> Int {
        listeners.withLockedValue { listeners in
            switch event {
            case "disconnect": listeners.disconnect.count
            case "disconnecting": listeners.disconnecting.count
            case "error": listeners.error.count
            default: listeners.events[event]?.count ?? 0
            }
        }
    }

    private func addListener(_ event: String, _ handler: @escaping EventHandler, once: Bool) -> ListenerID {
        listeners.withLockedValue { listeners in
            let id = listeners.makeID()
            switch event {
            case "disconnect":
                listeners.disconnect.append(.init(id: id, handler: { reason, _ in handler([.string(reason.rawValue)], nil) }, once: once))
            case "disconnecting":
                listeners.disconnecting.append(.init(id: id, handler: { reason, _ in handler([.string(reason.rawValue)], nil) }, once: once))
            case "error":
                listeners.error.append(.init(id: id, handler: { error in handler([.string("\(error)")], nil) }, once: once))
            default:
                listeners.events[event, default: []].append(.init(id: id, handler: handler, once: once))
            }
            return id
        }
    }

    // MARK: Lifecycle events

    /// Adds a listener for the end of the socket, with Node's reason and a description.
    @discardableResult
    public func onDisconnect(_ handler: @escaping @Sendable (DisconnectReason, String?) -> Void) -> ListenerID {
        register(\.disconnect, handler)
    }

    /// Adds a listener called just before the socket leaves its rooms (Node's `disconnecting`).
    @discardableResult
    public func onDisconnecting(_ handler: @escaping @Sendable (DisconnectReason, String?) -> Void) -> ListenerID {
        register(\.disconnecting, handler)
    }

    /// Adds a listener for errors: a packet middleware that threw, an argument that did
    /// not decode, a packet that did not parse (Node's `error` event).
    @discardableResult
    public func onError(_ handler: @escaping @Sendable (any Error) -> Void) -> ListenerID {
        register(\.error, handler)
    }

    // MARK: Catch-all listeners

    /// Adds a listener for every incoming event with its acknowledgement callback
    /// (Node's `onAny`, whose listener gets the callback as its last argument).
    /// - Returns: an id for ``offAny(_:)``.
    @discardableResult
    public func onAny(_ handler: @escaping AnyIncomingEventHandler) -> ListenerID {
        register(\.any, handler)
    }

    /// Adds a listener for every incoming event that ignores acknowledgements (Node's
    /// `onAny` with a listener that does not take the callback).
    /// - Returns: an id for ``offAny(_:)``.
    @discardableResult
    public func onAny(_ handler: @escaping AnyEventHandler) -> ListenerID {
        register(\.any, { event, arguments, _ in handler(event, arguments) })
    }

    /// Adds a listener for every incoming event with its acknowledgement callback, before
    /// the others (Node's `prependAny`).
    /// - Returns: an id for ``offAny(_:)``.
    @discardableResult
    public func prependAny(_ handler: @escaping AnyIncomingEventHandler) -> ListenerID {
        register(\.any, handler, prepend: true)
    }

    /// Adds a listener for every incoming event, before the others (Node's `prependAny`).
    /// - Returns: an id for ``offAny(_:)``.
    @discardableResult
    public func prependAny(_ handler: @escaping AnyEventHandler) -> ListenerID {
        register(\.any, { event, arguments, _ in handler(event, arguments) }, prepend: true)
    }

    /// Removes the catch-all listener `id`, or all of them (Node's `offAny`).
    public func offAny(_ id: ListenerID? = nil) {
        listeners.withLockedValue { $0.any.removeAll { id == nil || $0.id == id } }
    }

    /// The catch-all listeners, in call order (Node's `listenersAny`).
    public func listenersAny() -> [ListenerID] {
        listeners.withLockedValue { $0.any.map(\.id) }
    }

    /// Adds a listener for every outgoing event, broadcasts included (Node's `onAnyOutgoing`).
    @discardableResult
    public func onAnyOutgoing(_ handler: @escaping AnyEventHandler) -> ListenerID {
        register(\.anyOutgoing, handler)
    }

    /// Adds a listener for every outgoing event, before the others (Node's `prependAnyOutgoing`).
    @discardableResult
    public func prependAnyOutgoing(_ handler: @escaping AnyEventHandler) -> ListenerID {
        register(\.anyOutgoing, handler, prepend: true)
    }

    /// Removes the outgoing catch-all listener `id`, or all of them (Node's `offAnyOutgoing`).
    public func offAnyOutgoing(_ id: ListenerID? = nil) {
        listeners.withLockedValue { $0.anyOutgoing.removeAll { id == nil || $0.id == id } }
    }

    /// The outgoing catch-all listeners, in call order (Node's `listenersAnyOutgoing`).
    public func listenersAnyOutgoing() -> [ListenerID] {
        listeners.withLockedValue { $0.anyOutgoing.map(\.id) }
    }

    /// Adds a packet middleware (Node's `socket.use`).
    @discardableResult
    public func use(_ middleware: @escaping PacketMiddleware) -> ListenerID {
        register(\.middlewares, PacketMiddlewareStep.sync(middleware))
    }

    /// Adds a packet middleware that may finish later (Node's `socket.use` whose `next`
    /// is called asynchronously). The socket's events still reach the handlers in the
    /// order the client sent them: while one event is in the chain, later ones wait.
    /// - Returns: an id (middlewares stay for the socket's life, as in Node).
    @discardableResult
    public func useAsync(_ middleware: @escaping AsyncPacketMiddleware) -> ListenerID {
        register(\.middlewares, PacketMiddlewareStep.async(middleware))
    }

    private func register<Handler>(
        _ list: WritableKeyPath<SocketListeners, [SocketListeners.Entry<Handler>]>,
        _ handler: Handler,
        prepend: Bool = false
    ) -> ListenerID {
        listeners.withLockedValue { listeners in
            let id = listeners.makeID()
            let entry = SocketListeners.Entry(id: id, handler: handler, once: false)
            if prepend {
                listeners[keyPath: list].insert(entry, at: 0)
            } else {
                listeners[keyPath: list].append(entry)
            }
            return id
        }
    }
}
