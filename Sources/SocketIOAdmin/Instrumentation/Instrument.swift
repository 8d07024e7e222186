public import SocketIO

/// Instruments `server` for the Socket.IO Admin UI (Node's `instrument(io, options)` from
/// `@socket.io/admin-ui` 0.5): creates the admin namespace, authenticates admin clients,
/// reports sockets, rooms, events and `server_stats` to them, and runs their commands.
///
/// Call it once, before the server takes connections, so every namespace and connection is
/// seen from the start. Every report goes through the admin namespace's adapter, so with a
/// cluster adapter an admin client connected to any server sees all of them.
/// - Parameters:
///   - server: the server to watch.
///   - options: authentication, namespace, mode and limits.
/// - Returns: the running instrumentation, to read its counters or stop its timers; the
///   server keeps it alive whether or not the caller does.
/// - Throws: ``AdminConfigurationError`` for a password that is not a bcrypt hash or a
///   namespace name that does not start with `/`.
@discardableResult
public func instrument(_ server: SocketIOServer, options: AdminOptions) throws -> AdminInstrumentation {
    try AdminInstrumentation(server: server, options: options, clock: .system, startsTimers: true)
}
