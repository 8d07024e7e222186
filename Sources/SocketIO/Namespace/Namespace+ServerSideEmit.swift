/// Events between the servers of a cluster (Node's `namespace.serverSideEmit`).
extension Namespace {
    /// The names `serverSideEmit` refuses (Node's `RESERVED_EVENTS` of `namespace.ts`).
    public static let serverSideReservedEventNames: Set<String> = ["connect", "connection", "new_namespace"]

    static func checkServerSideName(_ event: String) throws {
        if serverSideReservedEventNames.contains(event) { throw SocketIOError.reservedEventName(event) }
    }

    /// Emits to the other servers of the cluster (Node's `serverSideEmit`).
    /// - Throws: ``SocketIOError`` for `connect`, `connection` or `new_namespace`.
    public func serverSideEmit(_ event: String, _ arguments: JSONValue...) throws {
        try serverSideEmit(event, arguments)
    }

    /// Emits an argument list to the other servers of the cluster.
    /// - Throws: ``SocketIOError`` for a reserved name.
    public func serverSideEmit(_ event: String, _ arguments: [JSONValue]) throws {
        try Self.checkServerSideName(event)
        adapter.serverSideEmit([.string(event)] + arguments)
    }

    /// Emits to the other servers and calls `ack` with one reply per server, or with the
    /// error when not every server answered in time (Node's `serverSideEmit(event, …args,
    /// callback)`, whose callback gets `(err, responses)`).
    /// - Parameters:
    ///   - timeout: how long to wait for the other servers; the adapter's default when `nil`.
    ///   - ack: called once, on any thread.
    /// - Throws: ``SocketIOError`` for a reserved name.
    public func serverSideEmit(_ event: String, _ arguments: [JSONValue], timeout: Duration? = nil, ack: @escaping @Sendable (Result<[JSONValue], any Error>) -> Void) throws {
        try Self.checkServerSideName(event)
        let adapter = self.adapter
        Task {
            do {
                ack(.success(try await adapter.serverSideEmitWithAck([.string(event)] + arguments, timeout: timeout)))
            } catch {
                ack(.failure(error))
            }
        }
    }

    /// Emits to the other servers and waits for one reply per server
    /// (Node's `serverSideEmitWithAck`).
    /// - Returns: the first argument each other server acknowledged with.
    /// - Throws: on a reserved name, or when not every server answered in time.
    public func serverSideEmitWithAck(_ event: String, _ arguments: JSONValue..., timeout: Duration? = nil) async throws -> [JSONValue] {
        try await serverSideEmitWithAck(event, arguments, timeout: timeout)
    }

    /// Emits an argument list to the other servers and waits for one reply per server.
    /// - Returns: the first argument each other server acknowledged with.
    /// - Throws: on a reserved name, or when not every server answered in time.
    public func serverSideEmitWithAck(_ event: String, _ arguments: [JSONValue], timeout: Duration? = nil) async throws -> [JSONValue] {
        try Self.checkServerSideName(event)
        return try await adapter.serverSideEmitWithAck([.string(event)] + arguments, timeout: timeout)
    }
}
