import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A selection of sockets to act on (Node's `BroadcastOperator`): `to`, `in`, `except`
/// and the flags return a new operator, so operators can be kept and reused.
public struct BroadcastOperator: Sendable {
    let namespace: Namespace
    /// The rooms targeted; empty means the whole namespace.
    public private(set) var rooms: Set<String>
    /// The rooms left out.
    public private(set) var exceptRooms: Set<String>
    /// The flags.
    public private(set) var flags: BroadcastFlags

    init(namespace: Namespace, rooms: Set<String> = [], except: Set<String> = [], flags: BroadcastFlags = BroadcastFlags()) {
        self.namespace = namespace
        self.rooms = rooms
        self.exceptRooms = except
        self.flags = flags
    }

    var options: BroadcastOptions { BroadcastOptions(rooms: rooms, except: exceptRooms, flags: flags) }

    // MARK: Selecting

    /// Adds a room to the targets (Node's `to`).
    public func to(_ room: String) -> BroadcastOperator { to([room]) }
    /// Adds rooms to the targets.
    public func to(_ rooms: [String]) -> BroadcastOperator {
        var copy = self
        copy.rooms.formUnion(rooms)
        return copy
    }
    /// Synonym of `to` (Node's `in`).
    public func `in`(_ room: String) -> BroadcastOperator { to([room]) }
    /// Synonym of `to` (Node's `in`).
    public func `in`(_ rooms: [String]) -> BroadcastOperator { to(rooms) }
    /// Leaves the members of a room out (Node's `except`).
    public func except(_ room: String) -> BroadcastOperator { except([room]) }
    /// Leaves the members of these rooms out.
    public func except(_ rooms: [String]) -> BroadcastOperator {
        var copy = self
        copy.exceptRooms.formUnion(rooms)
        return copy
    }
    /// Only this server's sockets (Node's `local`).
    public var local: BroadcastOperator {
        var copy = self
        copy.flags.local = true
        return copy
    }
    /// Drops the packet for clients that cannot take it now (Node's `volatile`).
    public var volatile: BroadcastOperator {
        var copy = self
        copy.flags.volatile = true
        return copy
    }
    /// Sets the compress flag (accepted without effect: no permessage-deflate).
    public func compress(_ compress: Bool) -> BroadcastOperator {
        var copy = self
        copy.flags.compress = compress
        return copy
    }
    /// How long to wait for every acknowledgement (Node's `timeout`).
    public func timeout(_ duration: Duration) -> BroadcastOperator {
        var copy = self
        copy.flags.timeout = duration
        return copy
    }

    // MARK: Emitting

    /// Emits an event to the selected sockets (Node's `emit`).
    /// - Throws: ``SocketIOError`` for a reserved event name.
    public func emit(_ event: String, _ arguments: JSONValue...) throws {
        try emit(event, arguments)
    }

    /// Emits an event with an argument list.
    /// - Throws: ``SocketIOError`` for a reserved event name.
    public func emit(_ event: String, _ arguments: [JSONValue]) throws {
        try SocketEmitter.checkName(event)
        namespace.adapter.broadcast(SocketIOPacket.event(event, arguments, namespace: namespace.name), options: options)
    }

    /// Emits an `Encodable` value as the single argument.
    /// - Throws: ``SocketIOError`` for a reserved name, or the encoding error.
    public func emit<T: Encodable>(_ event: String, encoding value: T) throws {
        try emit(event, [JSONValue(encoding: value)])
    }

    /// Sends a `message` event (Node's `send`).
    public func send(_ arguments: JSONValue...) {
        try? emit("message", arguments)
    }

    /// Emits an event and calls `ack` once: with one reply per client, or, when the
    /// timeout passes first, with ``BroadcastAckTimeout`` holding the replies that came.
    /// As in Node, a client's reply is the first argument it acknowledged with (`null`
    /// when it gave none).
    /// - Throws: ``SocketIOError`` for a reserved event name.
    public func emit(_ event: String, _ arguments: [JSONValue], ack: @escaping @Sendable (Result<[JSONValue], any Error>) -> Void) throws {
        try SocketEmitter.checkName(event)
        let collector = AckCollector(namespace: namespace.name, callback: ack)
        if let timeout = flags.timeout {
            let loop = MultiThreadedEventLoopGroup.singleton.any()
            let timer = namespace.server.options.engine.timers.scheduleTask(on: loop, in: timeout) { collector.timeOut() }
            collector.setTimer(timer)
        }
        let adapter = namespace.adapter
        adapter.broadcastWithAck(
            SocketIOPacket.event(event, arguments, namespace: namespace.name),
            options: options,
            clientCount: { collector.expect($0) },
            ack: { collector.receive($0) }
        )
        // Complete only once every server reported its client count (one in memory).
        Task { collector.setServerCount(await adapter.serverCount()) }
    }

    /// Emits an event and waits for one reply per client (Node's `emitWithAck`).
    /// - Returns: each client's first acknowledgement argument (`.null` when it had none), as Node.
    /// - Throws: ``BroadcastAckTimeout`` when the timeout passed first.
    public func emitWithAck(_ event: String, _ arguments: JSONValue...) async throws -> [JSONValue] {
        try await emitWithAck(event, arguments)
    }

    /// Emits an event with an argument list and waits for one reply per client.
    /// - Throws: ``BroadcastAckTimeout`` when the timeout passed first.
    public func emitWithAck(_ event: String, _ arguments: [JSONValue]) async throws -> [JSONValue] {
        try await withCheckedThrowingContinuation { continuation in
            do {
                try emit(event, arguments) { continuation.resume(with: $0) }
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    // MARK: Acting on the selected sockets

    /// The selected sockets with their details, across the cluster (Node's `fetchSockets`).
    /// - Throws: when a cluster adapter cannot gather the answers.
    public func fetchSockets() async throws -> [RemoteSocket] {
        try await namespace.adapter.fetchSockets(options)
    }

    /// Makes the selected sockets join rooms (Node's `socketsJoin`).
    public func socketsJoin(_ rooms: String...) { socketsJoin(rooms) }
    /// Makes the selected sockets join rooms.
    public func socketsJoin(_ rooms: [String]) { namespace.adapter.addSockets(options, rooms: rooms) }
    /// Makes the selected sockets leave rooms (Node's `socketsLeave`).
    public func socketsLeave(_ rooms: String...) { socketsLeave(rooms) }
    /// Makes the selected sockets leave rooms.
    public func socketsLeave(_ rooms: [String]) { namespace.adapter.delSockets(options, rooms: rooms) }
    /// Disconnects the selected sockets; with `close`, their whole connections
    /// (Node's `disconnectSockets`).
    public func disconnectSockets(close: Bool = false) { namespace.adapter.disconnectSockets(options, close: close) }

    /// The ids of the selected sockets (Node's `allSockets`).
    public func allSockets() async -> Set<String> {
        await namespace.adapter.sockets(rooms)
    }
}

/// Gathers the acknowledgements of a broadcast and completes once: when every server
/// reported how many clients it reached and that many replies arrived, or when the
/// timeout passes, with what arrived by then.
final class AckCollector: Sendable {
    private struct State {
        var expectedServers: Int?
        var reportedServers = 0
        var expectedClients = 0
        var responses: [JSONValue] = []
        var done = false
        var timer: Scheduled<Void>?
    }

    private let state = NIOLockedValueBox(State())
    private let namespace: String
    private let callback: @Sendable (Result<[JSONValue], any Error>) -> Void

    init(namespace: String, callback: @escaping @Sendable (Result<[JSONValue], any Error>) -> Void) {
        self.namespace = namespace
        self.callback = callback
    }

    func setTimer(_ timer: Scheduled<Void>) {
        state.withLockedValue { $0.timer = timer }
    }

    /// How many servers will report a client count.
    func setServerCount(_ count: Int) {
        update { $0.expectedServers = count }
    }

    /// One server reached `count` clients.
    func expect(_ count: Int) {
        update { state in
            state.expectedClients += count
            state.reportedServers += 1
        }
    }

    func receive(_ response: JSONValue) {
        update { $0.responses.append(response) }
    }

    func timeOut() {
        let failure = state.withLockedValue { state -> BroadcastAckTimeout? in
            guard !state.done else { return nil }
            state.done = true
            return BroadcastAckTimeout(responses: state.responses, expected: state.expectedClients)
        }
        if let failure {
            ServerMetrics.ackTimedOut(namespace: namespace)
            callback(.failure(failure))
        }
    }

    private func update(_ change: (inout State) -> Void) {
        let result = state.withLockedValue { state -> [JSONValue]? in
            guard !state.done else { return nil }
            change(&state)
            guard let servers = state.expectedServers, state.reportedServers >= servers,
                  state.responses.count >= state.expectedClients
            else { return nil }
            state.done = true
            state.timer?.cancel()
            return state.responses
        }
        if let result { callback(.success(result)) }
    }
}
