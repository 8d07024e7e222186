import EngineIO
import SocketIO

/// Development mode: every socket, room and event of every namespace, as it happens
/// (Node's `registerVerboseListeners`). Nothing is built or sent while no admin client
/// anywhere in the cluster watches.
extension AdminInstrumentation {
    func watchNamespaces() {
        for namespace in server.namespaces.values { watch(namespace) }
        server.onNewNamespace { [weak self] namespace in self?.watch(namespace) }
    }

    private func watch(_ namespace: Namespace) {
        let name = namespace.name
        namespace.onConnection { [weak self] socket in self?.watch(socket) }
        namespace.adapter.onJoinRoom { [weak self] room, id in
            self?.reportIfWatched("room_joined") { [.string(name), .string(room), .string(id)] }
        }
        namespace.adapter.onLeaveRoom { [weak self] room, id in
            self?.reportIfWatched("room_left") { [.string(name), .string(room), .string(id)] }
        }
    }

    private func watch(_ socket: Socket) {
        let name = socket.namespace.name
        let id = socket.id
        let conn = socket.conn
        // As Node, keep the client id and transport in `data`, so that `fetchSockets` on any
        // server of the cluster can report them.
        if let data = SerializedSocket.dataWithBookkeeping(socket.data, clientId: conn.id, transport: conn.transportName.rawValue) {
            socket.data = data
        }
        socket.onDataChange { [weak self] old, new in
            let visible = SerializedSocket.userData(new)
            guard SerializedSocket.userData(old) != visible else { return }
            self?.reportIfWatched("socket_updated", dated: false) { [.object(["id": .string(id), "nsp": .string(name), "data": visible])] }
        }
        reportIfWatched("socket_connected") { [SerializedSocket.json(socket)] }
        conn.onUpgrade { [weak self, weak socket] transport in
            if let socket, let data = SerializedSocket.dataWithBookkeeping(socket.data, clientId: conn.id, transport: transport.rawValue) {
                socket.data = data
            }
            self?.reportIfWatched("socket_updated", dated: false) {
                [.object(["id": .string(id), "nsp": .string(name), "transport": .string(transport.rawValue)])]
            }
        }
        if socket.namespace !== adminNamespace {
            taps.add(socket, install: installTaps)
            socket.onDisconnect { [weak self, weak socket] _, _ in
                if let socket { self?.taps.remove(socket) }
            }
        }
        socket.onDisconnect { [weak self] reason, _ in
            self?.reportIfWatched("socket_disconnected") { [.string(name), .string(id), .string(reason.rawValue)] }
        }
    }

    /// Listens to a socket's events for `event_received` and `event_sent` (only while
    /// someone watches: see ``EventTaps``).
    var installTaps: EventTaps.Install {
        { [weak self] socket in
            let name = socket.namespace.name
            let id = socket.id
            return [
                socket.onAny { [weak self] event, arguments in
                    self?.reportEventIfWatched("event_received") { [.string(name), .string(id), .array([.string(event)] + arguments)] }
                },
                socket.onAnyOutgoing { [weak self] event, arguments in
                    self?.reportEventIfWatched("event_sent") { [.string(name), .string(id), .array([.string(event)] + arguments)] }
                },
            ]
        }
    }

    /// Puts the event listeners on every socket, or takes them off, as the watch state says,
    /// and starts counting packets the first time someone watches.
    func syncTaps() {
        let watched = watchers.isWatched
        if watched { startCountingPackets() }
        guard options.mode == .development else { return }
        taps.setTapping(watched, install: installTaps)
    }

    /// Reports a socket's event (`event_received`, `event_sent`) within this second's
    /// budget (``AdminOptions/maxEventReportsPerSecond``); beyond it, counts it as dropped.
    func reportEventIfWatched(_ event: String, _ build: () -> [JSONValue]) {
        guard watchers.isWatched else { return }
        guard eventBudget.take(atMilliseconds: clock.millisecondsSince1970()) else {
            countOverBudgetEvent()
            return
        }
        report(event, build() + [clock.nowJSON])
    }

    /// Reports `event` with the arguments `build` makes, then the current date when the
    /// event is `dated` (all but `socket_updated`, as in Node); nothing is built when
    /// nobody watches.
    private func reportIfWatched(_ event: String, dated: Bool = true, _ build: () -> [JSONValue]) {
        guard watchers.isWatched else { return }
        report(event, dated ? build() + [clock.nowJSON] : build())
    }
}
