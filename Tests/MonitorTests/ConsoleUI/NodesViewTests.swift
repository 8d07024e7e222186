@testable import Monitor
import SocketIO
import Testing
@testable import ConsoleUI

/// The sample model on a two-node cluster: one socket of the other node in lobby.
func clusterModel() -> ConsoleModel {
    var model = sampleModel()
    let second: Int64 = 1_000_000_000
    model.state.applyCluster(ClusterSample(generation: 1, time: 9 * second, namespaces: [
        "/": NamespaceClusterSample(localID: "1a2b3c4d5e6f7a8b", nodes: ["9f8e7d6c5b4a3f2e": 8 * second], publishFailures: 3,
                                    remoteSockets: [Cluster.remote("RemoteSocketId000004", rooms: ["RemoteSocketId000004", "lobby"])]),
    ]), time: 9 * second)
    model.view.update(model.state)
    return model
}

@Suite struct NodesViewTests {
    @Test func onAClusterTheHeaderCountsTheNodesAndTheTableMarksRemoteSockets() throws {
        var model = clusterModel()
        var canvas = GridCanvas(rows: 30, columns: 120)
        ConsoleRenderer.draw(&model, on: &canvas, keymap: Keymap(), now: 10_000_000_000)
        let screen = canvas.lines.joined(separator: "\n")
        #expect(canvas.lines[0].contains("nodes 2 (n)"))
        #expect(screen.contains("NODE"))
        let remoteRow = try #require(canvas.lines.first { $0.contains("RemoteSocketId000004") })
        #expect(remoteRow.contains("remote") == true)
        let localRow = try #require(canvas.lines.first { $0.contains("AliceSocketId0000001") })
        #expect(localRow.contains("local") == true)
        #expect(screen.contains("node 9f8e7d6c5b4a3f2e joined"))
    }

    @Test func onASingleNodeNothingChangesAndTheNodesViewSaysSo() {
        var model = sampleModel()
        var canvas = GridCanvas(rows: 30, columns: 120)
        ConsoleRenderer.draw(&model, on: &canvas, keymap: Keymap(), now: 10_000_000_000)
        #expect(!canvas.lines[0].contains("nodes"))
        #expect(!canvas.lines.joined().contains("NODE"))
        model.overlay = .nodes
        ConsoleRenderer.draw(&model, on: &canvas, keymap: Keymap(), now: 10_000_000_000)
        let screen = canvas.lines.joined(separator: "\n")
        #expect(screen.contains("Nodes — single node"))
        #expect(screen.contains("Single-node server"))
        #expect(MonitorJSON.nodes(state: model.state, now: 0).hasPrefix(#"{"type":"nodes","cluster":false,"servers":1,"#))
    }

    @Test func theNodesViewListsEachNodeWithItsStateAndSilence() throws {
        var model = clusterModel()
        model.overlay = .nodes
        var canvas = GridCanvas(rows: 30, columns: 120)
        ConsoleRenderer.draw(&model, on: &canvas, keymap: Keymap(), now: 10_000_000_000)
        let screen = canvas.lines.joined(separator: "\n")
        #expect(screen.contains("Nodes — 2 server(s)"))
        #expect(screen.contains("Namespace / — 2 server(s)"))
        let local = try #require(canvas.lines.first { $0.contains("1a2b3c4d5e6f7a8b") })
        #expect(local.contains("this server") == true)
        #expect(local.contains("1 socket(s) on other nodes, publish failures 3") == true)
        let other = try #require(canvas.lines.first { $0.contains("9f8e7d6c5b4a3f2e") })
        #expect(other.contains("alive") == true)
        #expect(other.contains("2s ago") == true)
    }

    @Test func remoteSocketDetailsSayWhereTheSocketIs() {
        var model = clusterModel()
        model.overlay = .details("RemoteSocketId000004")
        var canvas = GridCanvas(rows: 40, columns: 120)
        ConsoleRenderer.draw(&model, on: &canvas, keymap: Keymap(), now: 10_000_000_000)
        let screen = canvas.lines.joined(separator: "\n")
        #expect(screen.contains("Socket RemoteSocketId000004 on another node"))
        #expect(screen.contains("another server of the cluster"))
        #expect(screen.contains("lobby"))
        #expect(!screen.contains("engine id"))
    }

    @Test func theNodesJSONListsEveryNode() {
        let model = clusterModel()
        let json = MonitorJSON.nodes(state: model.state, now: 10_000_000_000)
        #expect(json.hasPrefix(#"{"type":"nodes","cluster":true,"servers":2,"nodes":[{"nsp":"/","uid":"1a2b3c4d5e6f7a8b","self":true,"state":"alive","publishFailures":3,"remoteSockets":1}"#))
        #expect(json.contains(#"{"nsp":"/","uid":"9f8e7d6c5b4a3f2e","self":false,"state":"alive","lastHeartbeat":"1970-01-01T00:00:08.000Z","silenceMs":2000}"#))
        let socket = MonitorJSON.socket(model.state.sockets["RemoteSocketId000004"]!, state: model.state)
        #expect(socket.hasPrefix(#"{"id":"RemoteSocketId000004","nsp":"/","node":"remote","address":"10.0.0.2","rooms":["RemoteSocketId000004","lobby"]"#))
    }

    @Test func theNKeyAndTheNodesCommandOpenTheViewAndHelpListsThem() async throws {
        let (controller, io) = try await ControllerFlowTests.controller()
        defer { Task { await io.close() } }
        controller.handle(.character("n"))
        #expect(controller.model.overlay == .nodes)
        #expect(controller.model.keyContext == .nodes)
        controller.handle(.escape)
        #expect(controller.model.overlay == nil)
        controller.run("nodes")
        #expect(controller.model.overlay == .nodes)
        let help = RowFormatter.help(keymap: controller.keymap, readOnly: false).map(\.0).joined(separator: "\n")
        #expect(help.contains("the cluster's nodes"))
        #expect(help.contains("  nodes\n"))
        #expect(try CommandParser.parse("nodes") == .nodes)
        #expect(try CommandParser.parse(":cluster") == .nodes)
    }
}
