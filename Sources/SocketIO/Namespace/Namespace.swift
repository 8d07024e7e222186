import EngineIO
import NIOConcurrencyHelpers
import NIOCore
import Synchronization

/// A namespace (Node's `Namespace`): a channel of communication with its own sockets,
/// rooms (through its adapter), middlewares and event handlers.
public final class Namespace: Sendable {
    /// The namespace's name, starting with `/`.
    public let name: String
    /// The server it belongs to.
    public unowned let server: SocketIOServer
    /// The dynamic namespace that created it, if any.
    public let parent: ParentNamespace?

    /// A connection middleware (Node's `namespace.use`): throw to refuse the socket; a
    /// ``ConnectError`` carries `data` to the client's `connect_error`.
    public typealias Middleware = @Sendable (Socket) async throws -> Void

    struct State {
        var middlewares: [Middleware] = []
        var connection: [@Sendable (Socket) -> Void] = []
        var serverSideEvents: [String: [@Sendable ([JSONValue], Ack?) -> Void]] = [:]
    }
    let state = NIOLockedValueBox(State())
    let socketTable = NIOLockedValueBox([String: Socket]())
    private let ackIDs = Atomic<UInt64>(0)
    // Set once in init, before the namespace is published to any other thread.
    nonisolated(unsafe) private var adapterStorage: Adapter!

    init(name: String, server: SocketIOServer, parent: ParentNamespace? = nil, middlewares: [Middleware] = []) {
        self.name = name
        self.server = server
        self.parent = parent
        state.withLockedValue { $0.middlewares = middlewares }
        adapterStorage = server.options.adapter(self)
        // Node calls `adapter.init()` from the namespace's constructor; a cluster adapter
        // connects and announces itself there.
        let adapter = adapterStorage!
        Task { try? await adapter.initialize() }
    }

    /// The namespace's adapter (Node's `namespace.adapter`).
    public var adapter: Adapter { adapterStorage }

    // MARK: Sockets

    /// The connected sockets of this server, by id (Node's `namespace.sockets`).
    public var sockets: [String: Socket] { socketTable.withLockedValue { $0 } }

    func register(_ socket: Socket) {
        socketTable.withLockedValue { $0[socket.id] = socket }
    }

    func unregister(_ socket: Socket) {
        let empty = socketTable.withLockedValue { sockets -> Bool in
            if sockets[socket.id] === socket { sockets[socket.id] = nil }
            return sockets.isEmpty
        }
        if empty, let parent, server.options.cleanupEmptyChildNamespaces {
            parent.removeChild(self)
        }
    }

    func socketsByID(_ ids: Set<String>) -> [Socket] {
        socketTable.withLockedValue { sockets in ids.compactMap { sockets[$0] } }
    }

    func nextAckID() -> UInt64 {
        ackIDs.add(1, ordering: .relaxed).newValue
    }

    // MARK: Middlewares and events

    /// Adds a connection middleware (Node's `namespace.use`).
    public func use(_ middleware: @escaping Middleware) {
        state.withLockedValue { $0.middlewares.append(middleware) }
    }

    /// Adds a listener for new sockets (Node's `connection` / `connect`). It runs on the
    /// socket's event loop before any of its events is delivered.
    public func onConnection(_ listener: @escaping @Sendable (Socket) -> Void) {
        state.withLockedValue { $0.connection.append(listener) }
    }

    /// Synonym of ``onConnection(_:)`` (Node's `connect` event).
    public func onConnect(_ listener: @escaping @Sendable (Socket) -> Void) {
        onConnection(listener)
    }

    /// Adds a handler for events other servers of the cluster emit with `serverSideEmit`.
    public func onServerSideEmit(_ event: String, _ handler: @escaping @Sendable ([JSONValue], Ack?) -> Void) {
        state.withLockedValue { $0.serverSideEvents[event, default: []].append(handler) }
    }

    /// Runs the handlers of a `serverSideEmit` that came from another server (adapters call this).
    public func receiveServerSideEmit(_ event: String, _ arguments: [JSONValue], ack: Ack?) {
        let handlers = state.withLockedValue { $0.serverSideEvents[event] ?? [] }
        for handler in handlers { handler(arguments, ack) }
    }

    func emitConnection(_ socket: Socket) {
        let listeners = state.withLockedValue { $0.connection }
        for listener in listeners { listener(socket) }
    }

    var middlewares: [Middleware] { state.withLockedValue { $0.middlewares } }

    // MARK: Adding a socket

    /// Connects `client` to this namespace: restores a session or runs the middlewares,
    /// then creates the socket on the client's event loop (Node's `_add`).
    func add(_ client: Client, auth: JSONObject) {
        let recovery = server.options.connectionStateRecovery
        let pid = auth["pid"]?.stringValue
        let offset = auth["offset"]?.stringValue
        let middlewares = self.middlewares
        let mayRestore = recovery != nil && pid != nil && offset != nil
        guard mayRestore || !middlewares.isEmpty else {
            // The common case runs synchronously: no task, no hop.
            client.onLoop { self.finishAdding(client, socket: Socket(namespace: self, client: client, auth: auth, restored: nil), restored: nil) }
            return
        }
        Task {
            var restored: RestoredSession?
            if mayRestore, let pid, let offset {
                restored = await adapter.restoreSession(pid: pid, offset: offset)
            }
            let socket = Socket(namespace: self, client: client, auth: auth, restored: restored)
            if restored == nil || recovery?.skipMiddlewares == false {
                do {
                    for middleware in middlewares { try await middleware(socket) }
                } catch {
                    let refusal = error as? ConnectError ?? ConnectError("\(error)")
                    let packet = SocketIOPacket.connectError(message: refusal.message, data: refusal.data, namespace: name)
                    client.onLoop { client.send(packet) }
                    // A middleware may have joined rooms before the refusal (Node's _cleanup).
                    adapter.delAll(socket.id)
                    return
                }
            }
            let session = restored
            client.onLoop { self.finishAdding(client, socket: socket, restored: session) }
        }
    }

    private func finishAdding(_ client: Client, socket: Socket, restored: RestoredSession?) {
        guard client.isOpen else {
            // The client left while the middlewares ran: forget any rooms they joined.
            adapter.delAll(socket.id)
            return
        }
        socket.onConnect(restored: restored)
    }

    // MARK: Broadcasting (Node's namespace operators)

    var everyone: BroadcastOperator { BroadcastOperator(namespace: self) }

    /// Sockets in `room` (Node's `to`).
    public func to(_ room: String) -> BroadcastOperator { everyone.to(room) }
    /// Sockets in these rooms.
    public func to(_ rooms: [String]) -> BroadcastOperator { everyone.to(rooms) }
    /// Synonym of `to` (Node's `in`).
    public func `in`(_ room: String) -> BroadcastOperator { everyone.to(room) }
    /// Synonym of `to` (Node's `in`).
    public func `in`(_ rooms: [String]) -> BroadcastOperator { everyone.to(rooms) }
    /// Every socket except those in `room`.
    public func except(_ room: String) -> BroadcastOperator { everyone.except(room) }
    /// Every socket except those in these rooms.
    public func except(_ rooms: [String]) -> BroadcastOperator { everyone.except(rooms) }
    /// Only this server's sockets.
    public var local: BroadcastOperator { everyone.local }
    /// Dropping packets for clients that cannot take them now.
    public var volatile: BroadcastOperator { everyone.volatile }
    /// With the compress flag.
    public func compress(_ compress: Bool) -> BroadcastOperator { everyone.compress(compress) }
    /// With a timeout for acknowledgements.
    public func timeout(_ duration: Duration) -> BroadcastOperator { everyone.timeout(duration) }

    /// Emits to every socket of the namespace (Node's `namespace.emit`).
    /// - Throws: ``SocketIOError`` for a reserved event name.
    public func emit(_ event: String, _ arguments: JSONValue...) throws { try everyone.emit(event, arguments) }
    /// Emits with an argument list.
    /// - Throws: ``SocketIOError`` for a reserved event name.
    public func emit(_ event: String, _ arguments: [JSONValue]) throws { try everyone.emit(event, arguments) }
    /// Emits and waits for one reply per socket.
    /// - Throws: ``BroadcastAckTimeout`` when a timeout was set and passed.
    public func emitWithAck(_ event: String, _ arguments: JSONValue...) async throws -> [JSONValue] {
        try await everyone.emitWithAck(event, arguments)
    }
    /// Sends a `message` event to every socket.
    public func send(_ arguments: JSONValue...) { try? everyone.emit("message", arguments) }
    /// Every socket, with details, across the cluster.
    /// - Throws: when a cluster adapter cannot gather the answers.
    public func fetchSockets() async throws -> [RemoteSocket] { try await everyone.fetchSockets() }
    /// Makes every socket join rooms.
    public func socketsJoin(_ rooms: String...) { everyone.socketsJoin(rooms) }
    /// Makes every socket join these rooms.
    public func socketsJoin(_ rooms: [String]) { everyone.socketsJoin(rooms) }
    /// Makes every socket leave rooms.
    public func socketsLeave(_ rooms: String...) { everyone.socketsLeave(rooms) }
    /// Makes every socket leave these rooms.
    public func socketsLeave(_ rooms: [String]) { everyone.socketsLeave(rooms) }
    /// Disconnects every socket.
    public func disconnectSockets(close: Bool = false) { everyone.disconnectSockets(close: close) }
    /// The ids of every socket (Node's `allSockets`).
    public func allSockets() async -> Set<String> { await everyone.allSockets() }
}
