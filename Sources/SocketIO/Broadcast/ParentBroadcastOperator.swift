/// A selection of sockets across every child of a dynamic namespace (Node's
/// `parentNamespace.to(…)`, whose `ParentBroadcastAdapter` hands each broadcast to every
/// child): the same rooms, exceptions and flags are applied in each child.
public struct ParentBroadcastOperator: Sendable {
    let parent: ParentNamespace
    private var selection: @Sendable (BroadcastOperator) -> BroadcastOperator

    init(parent: ParentNamespace) {
        self.parent = parent
        selection = { $0 }
    }

    private func adding(_ step: @escaping @Sendable (BroadcastOperator) -> BroadcastOperator) -> ParentBroadcastOperator {
        var copy = self
        let previous = selection
        copy.selection = { step(previous($0)) }
        return copy
    }

    /// The same selection in each current child.
    var perChild: [BroadcastOperator] {
        parent.children.values.sorted { $0.name < $1.name }.map { selection($0.everyone) }
    }

    // MARK: Selecting

    /// Adds a room to the targets (Node's `to`).
    public func to(_ room: String) -> ParentBroadcastOperator { adding { $0.to(room) } }
    /// Adds rooms to the targets.
    public func to(_ rooms: [String]) -> ParentBroadcastOperator { adding { $0.to(rooms) } }
    /// Synonym of `to` (Node's `in`).
    public func `in`(_ room: String) -> ParentBroadcastOperator { to(room) }
    /// Synonym of `to` (Node's `in`).
    public func `in`(_ rooms: [String]) -> ParentBroadcastOperator { to(rooms) }
    /// Leaves the members of a room out (Node's `except`).
    public func except(_ room: String) -> ParentBroadcastOperator { adding { $0.except(room) } }
    /// Leaves the members of these rooms out.
    public func except(_ rooms: [String]) -> ParentBroadcastOperator { adding { $0.except(rooms) } }
    /// Only this server's sockets (Node's `local`).
    public var local: ParentBroadcastOperator { adding { $0.local } }
    /// Drops the packet for clients that cannot take it now (Node's `volatile`).
    public var volatile: ParentBroadcastOperator { adding { $0.volatile } }
    /// Sets the compress flag (accepted without effect).
    public func compress(_ compress: Bool) -> ParentBroadcastOperator { adding { $0.compress(compress) } }
    /// How long to wait for acknowledgements (Node's `timeout`).
    public func timeout(_ duration: Duration) -> ParentBroadcastOperator { adding { $0.timeout(duration) } }

    // MARK: Acting on every child

    /// Emits to the selected sockets of every child (Node's `parentNamespace.emit`).
    /// - Throws: ``SocketIOError`` for a reserved event name.
    public func emit(_ event: String, _ arguments: JSONValue...) throws { try emit(event, arguments) }

    /// Emits an argument list to the selected sockets of every child.
    /// - Throws: ``SocketIOError`` for a reserved event name.
    public func emit(_ event: String, _ arguments: [JSONValue]) throws {
        try SocketEmitter.checkName(event)
        for child in perChild { try child.emit(event, arguments) }
    }

    /// The selected sockets of every child, with details.
    /// - Returns: the sockets of each child that exists on this server (a child is created
    ///   on each server when a client first connects to it there).
    /// - Throws: when a cluster adapter cannot gather the answers.
    public func fetchSockets() async throws -> [RemoteSocket] {
        var sockets: [RemoteSocket] = []
        for child in perChild { sockets += try await child.fetchSockets() }
        return sockets
    }

    /// Makes the selected sockets of every child join rooms (Node's `socketsJoin`).
    public func socketsJoin(_ rooms: String...) { socketsJoin(rooms) }
    /// Makes the selected sockets of every child join these rooms.
    public func socketsJoin(_ rooms: [String]) { for child in perChild { child.socketsJoin(rooms) } }
    /// Makes the selected sockets of every child leave rooms (Node's `socketsLeave`).
    public func socketsLeave(_ rooms: String...) { socketsLeave(rooms) }
    /// Makes the selected sockets of every child leave these rooms.
    public func socketsLeave(_ rooms: [String]) { for child in perChild { child.socketsLeave(rooms) } }
    /// Disconnects the selected sockets of every child (Node's `disconnectSockets`).
    public func disconnectSockets(close: Bool = false) { for child in perChild { child.disconnectSockets(close: close) } }
}
