import NIOConcurrencyHelpers
import SocketIO
@testable import SocketIOPostgresAdapter
@testable import TestSupport
import Testing

/// The cluster protocol between servers in one process: every operation spans nodes.
@Suite struct ClusterAdapterTests {
    @Test func broadcastToARoomReachesItsMembersOnEveryNode() async throws {
        try await withCluster(2) { nodes in
            let a = try await TestSocketIOClient.connect(port: nodes[0].port, query: "room=r")
            let b = try await TestSocketIOClient.connect(port: nodes[1].port, query: "room=r")
            let outsider = try await TestSocketIOClient.connect(port: nodes[1].port, query: "room=other")
            try nodes[0].io.to("r").emit("hello", 1)
            try nodes[0].io.to("other").emit("marker")
            #expect(try await nextEvent(a).name == "hello")
            let atB = try await nextEvent(b)
            #expect(atB.name == "hello" && atB.arguments == [1])
            // The outsider's first event is the later marker: "hello" never reached it.
            #expect(try await nextEvent(outsider).name == "marker")
            for client in [a, b, outsider] { await client.close() }
        }
    }

    @Test func exceptLeavesRemoteMembersOut() async throws {
        try await withCluster(2) { nodes in
            let kept = try await TestSocketIOClient.connect(port: nodes[1].port, query: "room=r")
            let skipped = try await TestSocketIOClient.connect(port: nodes[1].port, query: "room=vip")
            try nodes[0].io.except("vip").emit("news")
            try nodes[0].io.emit("marker")
            #expect(try await nextEvent(kept).name == "news")
            #expect(try await nextEvent(skipped).name == "marker")
            await kept.close()
            await skipped.close()
        }
    }

    @Test func fetchSocketsSeesEveryNodeWithDetails() async throws {
        try await withCluster(3) { nodes in
            var clients: [TestSocketIOClient] = []
            for node in nodes { clients.append(try await TestSocketIOClient.connect(port: node.port, auth: #"{"token":"t"}"#, query: "room=r")) }
            let sockets = try await nodes[0].io.fetchSockets()
            #expect(sockets.count == 3)
            #expect(Set(sockets.compactMap { $0.data["node"]?.intValue }) == [0, 1, 2])
            for socket in sockets {
                #expect(socket.rooms.contains("r") && socket.rooms.contains(socket.id))
                #expect(socket.handshake.auth["token"] == "t")
                #expect(socket.handshake.query["room"] == "r")
            }
            let inRoom = try await nodes[2].io.in("nobody").fetchSockets()
            #expect(inRoom.isEmpty)
            // With the server of each: every socket is attributed to the node that holds it.
            let byNode = try await nodes[0].adapter.fetchSocketsByNode(BroadcastOptions())
            #expect(byNode.count == 3)
            for (node, socket) in byNode {
                let holder = try #require(nodes.first { $0.io.sockets.sockets[socket.id] != nil })
                #expect(node == holder.adapter.uid)
            }
            for client in clients { await client.close() }
        }
    }

    @Test("allSockets() spans the cluster, as with Node's cluster adapters")
    func allSocketsSpansTheCluster() async throws {
        try await withCluster(3) { nodes in
            var clients: [TestSocketIOClient] = []
            for (index, node) in nodes.enumerated() {
                clients.append(try await TestSocketIOClient.connect(port: node.port, query: index == 0 ? "room=other" : "room=r"))
            }
            let ids = Set(clients.compactMap { $0.sid() })
            #expect(ids.count == 3)
            #expect(await nodes[0].io.allSockets() == ids)
            #expect(await nodes[0].io.in("r").allSockets() == Set(clients.dropFirst().compactMap { $0.sid() }))
            for client in clients { await client.close() }
        }
    }

    @Test func socketsJoinLeaveAndDisconnectActAcrossNodes() async throws {
        try await withCluster(2) { nodes in
            let remote = try await TestSocketIOClient.connect(port: nodes[1].port, query: "room=r")
            nodes[0].io.in("r").socketsJoin("vip")
            #expect(await eventually { nodes[1].io.sockets.adapter.rooms["vip"]?.count == 1 })
            try nodes[0].io.to("vip").emit("welcome")
            #expect(try await nextEvent(remote).name == "welcome")
            nodes[0].io.in("vip").socketsLeave("vip")
            #expect(await eventually { nodes[1].io.sockets.adapter.rooms["vip"] == nil })
            nodes[0].io.in("r").disconnectSockets()
            let packet = try await remote.nextPacket()
            #expect(packet.kind == .disconnect)
            #expect(await eventually { nodes[1].io.sockets.sockets.isEmpty })
            await remote.close()
        }
    }

    @Test func serverSideEmitReachesTheOtherNodesWithAcks() async throws {
        let received = Recorder<String>()
        try await withCluster(3, setUp: { member, io in
            io.sockets.onServerSideEmit("hello") { arguments, ack in
                received.append("\(member):\(arguments.first?.stringValue ?? "")")
                ack?(.int(Int64(member)))
            }
        }) { nodes in
            try nodes[0].io.serverSideEmit("hello", "world")
            #expect(await eventually { Set(received.values) == ["1:world", "2:world"] })
            let replies = try await nodes[0].io.serverSideEmitWithAck("hello", "again")
            #expect(Set(replies) == [1, 2])
            // Node's callback form: callback(err, responses), one response per other server.
            let called = Recorder<Set<JSONValue>>()
            try nodes[0].io.serverSideEmit("hello", ["callback"]) { result in
                if case .success(let replies) = result { called.append(Set(replies)) }
            }
            #expect(await eventually { called.values == [[1, 2]] })
        }
    }

    @Test func broadcastAcksGatherEveryClientOnEveryNode() async throws {
        try await withCluster(2) { nodes in
            var clients: [TestSocketIOClient] = []
            for port in [nodes[0].port, nodes[1].port, nodes[1].port] {
                clients.append(try await TestSocketIOClient.connect(port: port))
            }
            let answering = Task {
                for (index, client) in clients.enumerated() {
                    let packet = try await client.nextPacket()
                    try await client.sendAck(try #require(packet.ackID), argumentsJSON: "\(index)")
                }
            }
            let replies = try await nodes[0].io.timeout(.seconds(3)).emitWithAck("question")
            try await answering.value
            #expect(Set(replies) == [0, 1, 2])
            for client in clients { await client.close() }
        }
    }

    @Test func aSilentNodeIsDroppedAndPendingRequestsFinishWithoutIt() async throws {
        let bus = InProcessBus()
        let clock = ManualTimerSource()
        let options = testClusterOptions()
        try await withCluster(3, bus: bus, clock: clock) { nodes in
            #expect(await nodes[0].adapter.serverCount() == 3)
            bus.isolate(2)
            // Started right after the crash: it must finish once node 2 is dropped (its
            // timeout is far beyond what the clock moves here).
            let fetch = Task { try await nodes[0].io.fetchSockets() }
            #expect(await eventually { nodes[0].adapter.cluster.withLockedValue { !$0.requests.isEmpty } })
            // One heartbeat interval: node 1 is heard from again, node 2 is not.
            clock.advance(by: options.heartbeatInterval)
            let node1 = nodes[1].adapter.uid
            #expect(await eventually { nodes[0].adapter.nodes[node1] == clock.now })
            // Past node 2's heartbeat timeout, well within node 1's.
            clock.advance(by: options.heartbeatTimeout - options.heartbeatInterval + .seconds(1))
            let sockets = try await fetch.value
            #expect(sockets.isEmpty)
            #expect(await eventually { nodes[0].adapter.nodes.count == 1 })
            #expect(nodes[0].adapter.nodes[node1] != nil)
            #expect(await nodes[0].adapter.serverCount() == 2)
        }
    }

    @Test func closingAnAdapterTellsTheOthers() async throws {
        try await withCluster(2) { nodes in
            await nodes[1].adapter.close()
            #expect(await eventually { nodes[0].adapter.nodes.isEmpty })
        }
    }

    @Test func localFlagStaysOnThisNode() async throws {
        let bus = InProcessBus()
        try await withCluster(2, bus: bus) { nodes in
            let before = bus.published.withLockedValue { $0.filter { $0.type == .broadcast }.count }
            try nodes[0].io.local.emit("only-here")
            let after = bus.published.withLockedValue { $0.filter { $0.type == .broadcast }.count }
            #expect(before == after)
        }
    }
}
