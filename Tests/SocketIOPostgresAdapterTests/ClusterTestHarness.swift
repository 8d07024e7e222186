import NIOConcurrencyHelpers
import SocketIO
@testable import SocketIOPostgresAdapter
@testable import TestSupport
import Testing

/// One server of a test cluster.
struct ClusterNode: Sendable {
    let io: SocketIOServer
    let port: Int
    let member: Int

    var adapter: ClusterAdapter { io.sockets.adapter as! ClusterAdapter }
}

/// Node's heartbeat timings; a request timeout far beyond any test's clock moves, so a
/// request that finishes did so because every node answered or was dropped.
func testClusterOptions() -> ClusterAdapterOptions {
    var options = ClusterAdapterOptions()
    options.heartbeatInterval = .seconds(5)
    options.heartbeatTimeout = .seconds(10)
    options.requestsTimeout = .seconds(600)
    return options
}

/// Starts `count` servers on one in-process bus; every socket joins the room named by its
/// `room` query parameter, stores its node number in `data`, and answers `ping` acks
/// with its node number. Waits until every node sees the others, runs `body`, closes all.
///
/// Every node's timers (heartbeats, the silent-node sweep, request and ack timeouts) run
/// on `clock`, which only the test moves: membership is what the nodes said, never what a
/// loaded machine delayed.
func withCluster(
    _ count: Int,
    bus: InProcessBus = InProcessBus(),
    clock: ManualTimerSource = ManualTimerSource(),
    setUp: @escaping @Sendable (Int, SocketIOServer) -> Void = { _, _ in },
    _ body: ([ClusterNode]) async throws -> Void
) async throws {
    var nodes: [ClusterNode] = []
    for member in 0..<count {
        var options = SocketIOServerOptions()
        options.engine.timers = clock
        options.adapter = PostgresAdapter.factory(bus: bus.member(member), options: testClusterOptions())
        let io = SocketIOServer(options: options)
        io.onConnection { socket in
            socket.data = ["node": .int(Int64(member))]
            // As Node's `socket.join(query.room)`: one room, or every one of a repeated parameter.
            if let room = socket.handshake.query["room"] { socket.join(room.values) }
        }
        setUp(member, io)
        nodes.append(ClusterNode(io: io, port: try await io.listen(port: 0), member: member))
    }
    let everyoneSeen = await eventually(timeout: .seconds(30)) {
        nodes.allSatisfy { $0.adapter.nodes.count == count - 1 }
    }
    #expect(everyoneSeen, "the nodes did not discover each other")
    do {
        try await body(nodes)
    } catch {
        for node in nodes { await node.io.close() }
        throw error
    }
    for node in nodes { await node.io.close() }
}

/// The next event a test client receives: its name and JSON arguments.
func nextEvent(_ client: TestSocketIOClient, timeout: Duration = .seconds(30)) async throws -> (name: String, arguments: [JSONValue]) {
    while true {
        let packet = try await client.nextPacket(timeout: timeout)
        guard packet.kind.isEvent, case .array(let items)? = try? JSONValue(parsing: packet.payload),
              let name = items.first?.stringValue
        else { continue }
        return (name, Array(items.dropFirst()))
    }
}
