import SocketIO
import Testing
@testable import Monitor

/// Builds cluster samples the way the poller would, for tests of the merge alone.
enum Cluster {
    static func remote(_ id: String, namespace: String = "/", rooms: Set<String>? = nil, issued: Int64 = 5_000,
                       data: JSONValue = .null, node: String? = nil) -> RemoteSocketInfo {
        RemoteSocketInfo(id: id, namespace: namespace, handshake: Records.handshake(address: "10.0.0.2", issued: issued),
                         rooms: rooms ?? [id], data: data, node: node)
    }

    static func sample(_ generation: UInt64, time: Int64 = 1_000_000_000, nodes: [String: Int64] = ["other": 900_000_000],
                       sockets: [RemoteSocketInfo]? = [], namespace: String = "/", error: String? = nil) -> ClusterSample {
        ClusterSample(generation: generation, time: time, namespaces: [
            namespace: NamespaceClusterSample(localID: "self", nodes: nodes, remoteSockets: sockets, fetchError: error),
        ])
    }
}

@Suite struct MonitorStateClusterTests {
    @Test func aRemoteSocketShowsTheNodeThatHoldsItWhenTheAdapterSays() throws {
        var state = MonitorState()
        state.apply(.namespaceCreated("/"), time: 1)
        state.applyCluster(Cluster.sample(1, sockets: [
            Cluster.remote("A", node: "0123456789abcdef"), Cluster.remote("B"),
        ]), time: 2)
        #expect(state.sockets["A"]?.node == "0123456789abcdef")
        #expect(state.sockets["B"]?.node == SocketEntry.remoteNode)
        #expect(state.sockets["A"]?.isRemote == true)
    }

    @Test func remoteSocketsJoinTheTablesMarkedRemoteWithTheirRoomsAndData() throws {
        var state = MonitorState()
        state.apply(.namespaceCreated("/"), time: 1)
        state.apply(Records.connect("L"), time: 2)
        state.applyCluster(Cluster.sample(1, sockets: [Cluster.remote("R", rooms: ["R", "lobby"], data: ["n": 1])]), time: 3)

        let remote = try #require(state.sockets["R"])
        #expect(remote.isRemote && remote.node == SocketEntry.remoteNode)
        #expect(remote.socket == nil)
        #expect(remote.data == ["n": 1])
        #expect(remote.address == "10.0.0.2")
        #expect(state.sockets["L"]?.isRemote == false)
        #expect(state.socketIDs() == ["L", "R"])
        #expect(state.members(of: "lobby", in: "/") == ["R"])
        #expect(state.rooms(of: "R") == ["R", "lobby"])
        #expect(state.namespaces["/"]?.sockets == ["L", "R"])
        #expect(state.remoteSocketCount(in: "/") == 1)
        #expect(state.resolveSocket("R")?.isRemote == true)
        let connect = try #require(state.log.all.last { $0.kind == .connect })
        #expect(connect.socketID == "R" && connect.summary.hasPrefix("connected on another node, from 10.0.0.2"))
    }

    @Test func aRemoteSocketMissingFromTheNextPollIsRemovedAndLogged() {
        var state = MonitorState()
        state.applyCluster(Cluster.sample(1, sockets: [Cluster.remote("R", rooms: ["R", "lobby"]), Cluster.remote("S")]), time: 1)
        let revision = state.revision
        state.applyCluster(Cluster.sample(2, sockets: [Cluster.remote("S")]), time: 2)
        #expect(state.sockets["R"] == nil)
        #expect(state.sockets["S"] != nil)
        #expect(state.rooms(in: "/", includePrivate: true).map(\.name) == ["S"])
        #expect(state.rooms(of: "R").isEmpty)
        #expect(state.revision > revision)
        #expect(state.log.all.last?.kind == .disconnect)
        #expect(state.log.all.last?.summary == "disconnected from another node")
    }

    @Test func roomChangesOfRemoteSocketsAreMergedAndLogged() {
        var state = MonitorState()
        state.applyCluster(Cluster.sample(1, sockets: [Cluster.remote("R", rooms: ["R", "a"])]), time: 1)
        state.applyCluster(Cluster.sample(2, sockets: [Cluster.remote("R", rooms: ["R", "b"], data: "new")]), time: 2)
        #expect(state.rooms(of: "R") == ["R", "b"])
        #expect(state.members(of: "a", in: "/").isEmpty)
        #expect(state.members(of: "b", in: "/") == ["R"])
        #expect(state.sockets["R"]?.data == "new")
        let changes = state.log.all.suffix(2).map { "\($0.kind) \($0.room ?? "")" }
        #expect(changes == ["leave a", "join b"])
        #expect(state.log.all.last?.summary == "joined b (on another node)")
    }

    @Test func anUnchangedPollChangesNothing() {
        var state = MonitorState()
        state.applyCluster(Cluster.sample(1, sockets: [Cluster.remote("R", rooms: ["R", "a"])]), time: 1)
        let (revision, logged) = (state.revision, state.log.all.count)
        state.applyCluster(Cluster.sample(2, sockets: [Cluster.remote("R", rooms: ["R", "a"])]), time: 2)
        #expect(state.revision == revision)
        #expect(state.log.all.count == logged)
    }

    @Test func aFailedFetchKeepsTheSocketsLastSeenAndSaysWhy() {
        var state = MonitorState()
        state.applyCluster(Cluster.sample(1, sockets: [Cluster.remote("R")]), time: 1)
        state.applyCluster(Cluster.sample(2, time: 2_000_000_000, sockets: nil, error: "timeout reached"), time: 2)
        #expect(state.sockets["R"]?.isRemote == true)
        #expect(state.cluster?.namespaces["/"]?.fetchError == "timeout reached")
        #expect(state.cluster?.namespaces["/"]?.fetchedAt == 1_000_000_000)
    }

    @Test func thisServersSocketsAreNeverTakenForRemoteOnes() {
        var state = MonitorState()
        state.apply(Records.connect("L", rooms: ["L", "mine"]), time: 1)
        state.apply(Records.connect("G"), time: 2)
        state.apply(.socketDisconnected(namespace: "/", id: "G", reason: "transport close", description: nil), time: 3)
        // A fetch that raced: it lists this server's L, and G that disconnected here meanwhile.
        state.applyCluster(Cluster.sample(1, sockets: [Cluster.remote("L"), Cluster.remote("G"), Cluster.remote("R")]), time: 4)
        #expect(state.sockets["L"]?.isRemote == false)
        #expect(state.rooms(of: "L") == ["L", "mine"])
        #expect(state.sockets["G"] == nil)
        #expect(state.sockets["R"]?.isRemote == true)
        #expect(state.remoteSocketCount(in: "/") == 1)
    }

    @Test func aLocalConnectionReplacesARemoteEntryWithTheSameID() {
        var state = MonitorState()
        state.applyCluster(Cluster.sample(1, sockets: [Cluster.remote("X", rooms: ["X", "stale"])]), time: 1)
        state.apply(Records.connect("X"), time: 2)
        #expect(state.sockets["X"]?.isRemote == false)
        #expect(state.rooms(of: "X") == ["X"])
        #expect(state.members(of: "stale", in: "/").isEmpty)
        #expect(state.remoteSocketCount(in: "/") == 0)
        #expect(state.log.all.last?.kind == .connect)
        // The next poll (which no longer lists it as remote) leaves it alone.
        state.applyCluster(Cluster.sample(2, sockets: []), time: 3)
        #expect(state.sockets["X"]?.isRemote == false)
    }

    @Test func aBusyFirstPollLogsOneLineNotOneASocket() {
        var state = MonitorState()
        let many = (0..<50).map { Cluster.remote("S\($0)") }
        state.applyCluster(Cluster.sample(1, sockets: many), time: 1)
        #expect(state.sockets.count == 50)
        #expect(state.log.all.filter { $0.kind == .connect }.isEmpty)
        #expect(state.log.all.last?.summary == "50 sockets found on other nodes")
        state.applyCluster(Cluster.sample(2, sockets: []), time: 2)
        #expect(state.sockets.isEmpty)
        #expect(state.log.all.last?.summary == "50 sockets on other nodes are gone")
    }

    @Test func aNamespaceNoLongerPolledTakesItsRemoteSocketsAlong() {
        var state = MonitorState()
        state.applyCluster(Cluster.sample(1, sockets: [Cluster.remote("A", namespace: "/admin")], namespace: "/admin"), time: 1)
        #expect(state.sockets["A"] != nil)
        state.applyCluster(ClusterSample(generation: 2, time: 2, namespaces: [:]), time: 2)
        #expect(state.sockets["A"] == nil)
        #expect(state.cluster?.namespaces.isEmpty == true)
    }

    @Test func nodesJoiningAndLeavingAreLoggedAndTheLeaversRemembered() {
        var state = MonitorState()
        state.applyCluster(Cluster.sample(1, nodes: ["b": 1, "a": 1]), time: 1)
        #expect(state.log.all.map(\.summary) == ["node a joined the cluster", "node b joined the cluster"])
        #expect(state.log.all.allSatisfy { $0.kind == .node && $0.namespace == "/" })
        #expect(state.cluster?.serverCount == 3)
        state.applyCluster(Cluster.sample(2, nodes: ["a": 2]), time: 2)
        #expect(state.log.all.last?.summary == "node b left the cluster")
        #expect(state.cluster?.departed == [ClusterStatus.DepartedNode(namespace: "/", uid: "b", lastHeartbeat: 1)])
        #expect(state.cluster?.serverCount == 2)
        // It comes back: no longer departed.
        state.applyCluster(Cluster.sample(3, nodes: ["a": 3, "b": 3]), time: 3)
        #expect(state.cluster?.departed.isEmpty == true)
    }

    @Test func resettingTheTablesForgetsTheRemoteSocketsUntilThePollIsMergedAgain() {
        var state = MonitorState()
        let sample = Cluster.sample(1, sockets: [Cluster.remote("R")])
        state.applyCluster(sample, time: 1)
        state.resetTables()
        #expect(state.sockets.isEmpty)
        #expect(state.clusterGeneration == 0)
        state.applyCluster(sample, time: 2)
        #expect(state.sockets["R"]?.isRemote == true)
    }
}

@Suite struct ClusterStatusTests {
    @Test func rowsListThisServerThenTheOthersWithTheirStateThenTheDeparted() throws {
        var state = MonitorState()
        let second: Int64 = 1_000_000_000
        state.applyCluster(ClusterSample(generation: 1, time: 100 * second, namespaces: [
            "/admin": NamespaceClusterSample(localID: "self-admin", nodes: ["x": 99 * second]),
            "/": NamespaceClusterSample(localID: "self", nodes: ["fresh": 98 * second, "quiet": 90 * second, "gone": 80 * second],
                                        publishFailures: 2, heartbeatInterval: .seconds(5)),
        ]), time: 1)
        state.applyCluster(ClusterSample(generation: 2, time: 101 * second, namespaces: [
            "/admin": NamespaceClusterSample(localID: "self-admin", nodes: ["x": 99 * second]),
            "/": NamespaceClusterSample(localID: "self", nodes: ["fresh": 98 * second, "quiet": 90 * second],
                                        publishFailures: 2, heartbeatInterval: .seconds(5)),
        ]), time: 2)
        let rows = try #require(state.cluster).rows(now: 100 * second)
        #expect(rows.map { "\($0.namespace) \($0.uid) \($0.status.rawValue)" } == [
            "/ self alive", "/ fresh alive", "/ quiet late", "/ gone gone", "/admin self-admin alive", "/admin x alive",
        ])
        #expect(rows[0].isLocal && rows[0].publishFailures == 2 && rows[0].silence(now: 0) == nil)
        #expect(rows[1].silence(now: 100 * second) == 2 * second)
        #expect(rows[3].lastHeartbeat == 80 * second)
    }

    @Test func departedNodesAreBounded() {
        var status = ClusterStatus()
        for index in 0..<(ClusterStatus.departedCapacity + 5) {
            status.remember(ClusterStatus.DepartedNode(namespace: "/", uid: "n\(index)", lastHeartbeat: Int64(index)))
        }
        #expect(status.departed.count == ClusterStatus.departedCapacity)
        #expect(status.departed.first?.uid == "n5")
    }
}
