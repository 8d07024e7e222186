import SocketIO
import Testing
@testable import TestSupport

// Convention: no `#expect`/`#require` takes a live server object (Socket, Namespace,
// RemoteSocket…) as an operand. On failure swift-testing reflects operands deeply, reading
// state that event loops are mutating; identities are compared into a Bool first
// (`do { let identical = a === b; #expect(identical) }`).

/// Runs `body` against a server listening on 127.0.0.1 at a free port, and closes the server
/// afterwards, also when `body` throws.
///
/// Time stands still on that server unless the test moves it: its timers come from a
/// ``ManualTimerSource``, the test's own when `options` has one, else one nobody advances.
///
/// - Parameters:
///   - options: The server's options.
///   - body: The test, given the server and its port.
/// - Throws: Whatever `body` or `listen` throws.
func withServer(
    _ options: SocketIOServerOptions = SocketIOServerOptions(),
    _ body: (SocketIOServer, Int) async throws -> Void
) async throws {
    var options = options
    if !(options.engine.timers is ManualTimerSource) { options.engine.timers = ManualTimerSource() }
    let io = SocketIOServer(options: options)
    let port = try await io.listen(host: "127.0.0.1", port: 0)
    do {
        try await body(io, port)
    } catch {
        await io.close()
        throw error
    }
    await io.close()
}

/// Collects the sockets a namespace accepts, so a test can find the server side of a client.
final class SocketCollector: Sendable {
    private let recorder = Recorder<Socket>()

    /// Starts collecting the sockets of `namespace`.
    init(_ namespace: Namespace) {
        namespace.onConnection { [recorder] socket in recorder.append(socket) }
    }

    /// Starts collecting the sockets of every child of `parent`.
    init(_ parent: ParentNamespace) {
        parent.onConnection { [recorder] socket in recorder.append(socket) }
    }

    /// Every socket seen so far, in connection order.
    var all: [Socket] { recorder.values }

    /// The server socket with id `id`, waiting (bounded) for its connection listener to run:
    /// the client can read its CONNECT answer before that.
    ///
    /// - Throws: when no such socket shows up in time.
    func socket(_ id: String?, timeout: Duration = .seconds(30)) async throws -> Socket {
        let id = try #require(id, "the client has no sid")
        _ = await eventually(timeout: timeout) { self.all.contains { $0.id == id } }
        // The newest one: a restored session reuses its old id.
        guard let socket = self.all.last(where: { $0.id == id }) else {
            throw MissingServerSocket(id: id)
        }
        return socket
    }
}

/// One acknowledged round trip on `client`'s connection. The server handles a connection's
/// packets in order, so when this returns it has handled everything the client sent before.
func roundTrip(_ client: TestSocketIOClient, in io: SocketIOServer) async throws {
    let sid = try #require(client.sid())
    let socket = try #require(io.sockets.sockets[sid])
    let reply = Task { try await socket.emitWithAck("sync") }
    let event = try await client.nextEvent()
    #expect(event.name == "sync")
    try await client.sendAck(try #require(event.ackID), "synced")
    _ = try await reply.value
}

/// Options whose timers come from `clock`.
func serverOptions(clock: ManualTimerSource, _ configure: (inout SocketIOServerOptions) -> Void = { _ in }) -> SocketIOServerOptions {
    var options = SocketIOServerOptions()
    options.engine.timers = clock
    configure(&options)
    return options
}

/// A client connected to `namespace` with the server side of it.
///
/// - Throws: when the connection fails or the server socket does not show up.
func connectClient(
    port: Int,
    collector: SocketCollector,
    namespace: String = "/",
    auth: String? = nil,
    query: String = "",
    headers: [(String, String)] = []
) async throws -> (TestSocketIOClient, Socket) {
    let client = try await TestSocketIOClient.connect(port: port, namespace: namespace, auth: auth, query: query, headers: headers)
    let socket = try await collector.socket(client.sid(namespace))
    return (client, socket)
}

/// What a disconnect listener saw.
struct DisconnectRecord: Sendable, Equatable {
    var reason: DisconnectReason
    var roomsAtThatTime: Set<String>
}

/// A client's sid for which no server socket showed up.
struct MissingServerSocket: Error, CustomStringConvertible {
    let id: String
    var description: String { "no server socket with id \(id)" }
}
