@testable import SocketIO
import Synchronization
import Testing
@testable import Monitor
@testable import TestSupport

/// A probe that reports a cluster with the nodes it is given, on any adapter.
final class FakeProbe: ClusterProbe {
    let nodes: Mutex<[String: ContinuousClock.Instant]>

    init(nodes: [String: ContinuousClock.Instant]) {
        self.nodes = Mutex(nodes)
    }

    func membership(of namespace: Namespace) -> ClusterMembership? {
        ClusterMembership(localID: "self" + namespace.name, nodes: nodes.withLock { $0 }, publishFailures: 0,
                          heartbeatInterval: .seconds(5), heartbeatTimeout: .seconds(10))
    }
}

@Suite(.serialized) struct ClusterPollerTests {
    @Test func aRoundReportsEachNamespaceAndLeavesThisServersSocketsOut() async throws {
        let harness = try await LiveHarness(namespaces: ["/admin"])
        defer { Task { await harness.close() } }
        let client = try await TestSocketIOClient.connect(port: harness.port)
        let heard = ContinuousClock.now - .seconds(2)
        let probe = FakeProbe(nodes: ["other": heard])
        let poller = ClusterPoller(probe: probe, interval: .seconds(1), timeout: .seconds(2))
        let before = ContinuousClock.now
        let sample = await poller.round(server: harness.io, generation: 7)
        let after = ContinuousClock.now
        #expect(sample.generation == 7)
        #expect(Set(sample.namespaces.keys) == ["/", "/admin"])
        let root = try #require(sample.namespaces["/"])
        #expect(root.localID == "self/")
        // fetchSockets on this (in-memory) adapter lists only this server's socket: not remote.
        #expect(root.remoteSockets == [])
        #expect(root.fetchError == nil)
        // The silence is measured at the round's own "now", somewhere between before and after.
        let silence = Duration.nanoseconds(sample.time - (root.nodes["other"] ?? 0))
        #expect(silence >= before - heard - .milliseconds(1) && silence <= after - heard + .milliseconds(1))
        await client.close()
    }

    @Test func theMonitorMergesPollsAndRemoteActionsGoThroughTheNamespace() async throws {
        var configuration = MonitorConfiguration()
        configuration.clusterPollInterval = .milliseconds(50)
        let io = SocketIOServer()
        let port = try await io.listen(host: "127.0.0.1", port: 0)
        defer { Task { await io.close() } }
        let monitor = Monitor(server: io, configuration: configuration, cluster: FakeProbe(nodes: ["other": .now]))
        #expect(monitor.watchesCluster)
        monitor.start()
        defer { monitor.stop() }
        var state = MonitorState()
        let deadline = ContinuousClock.now + .seconds(30)
        while state.cluster?.namespaces["/"] == nil, ContinuousClock.now < deadline {
            monitor.drain(into: &state)
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(state.cluster?.namespaces["/"]?.nodes.keys.sorted() == ["other"])

        // A socket of this server, seen as if it were on another node: the console then acts
        // on it through the namespace (`in(id)`), which the adapter delivers wherever it is.
        let client = try await TestSocketIOClient.connect(port: port)
        let sid = try #require(client.sid())
        var remoteView = MonitorState()
        remoteView.applyCluster(Cluster.sample(1, sockets: [Cluster.remote(sid)]), time: 1)
        let executor = ActionExecutor(monitor: monitor, readOnly: false)
        let joined = executor.perform(.join(room: "lobby", sockets: [sid]), selection: .none, state: remoteView)
        #expect(!joined.isError)
        #expect(joined.message.contains("through the cluster adapter"))
        #expect(io.of("/").sockets[sid]?.rooms.contains("lobby") == true)
        let kicked = executor.perform(.kick(sockets: [sid], closeConnection: false), selection: .none, state: remoteView)
        #expect(!kicked.isError)
        let packet = try await client.nextPacket()
        #expect(packet.kind == .disconnect)
        await client.close()
    }

    @Test func broadcastAcknowledgementsBecomeOneReplyPerSocket() {
        #expect(ActionExecutor.AckOutcome(broadcast: .success(["pong"])).isReply)
        if case .failed(let why) = ActionExecutor.AckOutcome(broadcast: .success([])) { #expect(why == "the socket is gone") } else { Issue.record("not failed") }
        if case .timedOut = ActionExecutor.AckOutcome(broadcast: .failure(BroadcastAckTimeout(responses: [], expected: 1))) {} else { Issue.record("not a timeout") }
        if case .replied(let reply) = ActionExecutor.AckOutcome(broadcast: .failure(BroadcastAckTimeout(responses: ["late"], expected: 2))) {
            #expect(reply == ["late"])
        } else {
            Issue.record("not a reply")
        }
    }
}
