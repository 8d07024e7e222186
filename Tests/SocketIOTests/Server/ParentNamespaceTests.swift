import SocketIO
import Testing
@testable import TestSupport

@Suite("ParentNamespace operators over every child")
struct ParentNamespaceTests {
    @Test("to/except/emit, socketsJoin/Leave, fetchSockets and disconnectSockets act on every child, as Node's ParentBroadcastAdapter")
    func operatorsSpanEveryChild() async throws {
        try await withServer { io, port in
            let parent = try io.of(pattern: #"^/dyn-\d+$"#)
            let sockets = SocketCollector(parent)
            let a = try await TestSocketIOClient.open(port: port)
            let b = try await TestSocketIOClient.open(port: port)
            let socketA = try await sockets.socket(try await a.connect(namespace: "/dyn-1"))
            let socketB = try await sockets.socket(try await b.connect(namespace: "/dyn-2"))

            parent.socketsJoin(["vip"])
            #expect(await eventually { socketA.rooms.contains("vip") && socketB.rooms.contains("vip") })
            socketA.join("red")

            try parent.to("red").emit("for-red")
            try parent.except("red").emit("not-red")
            try parent.in("vip").timeout(.seconds(5)).emit("for-vip")
            try parent.emit("marker")
            let atA = try await a.events(through: "marker").map(\.name)
            let atB = try await b.events(through: "marker").map(\.name)
            #expect(atA == ["for-red", "for-vip", "marker"])
            #expect(atB == ["not-red", "for-vip", "marker"])

            let fetched = try await parent.fetchSockets()
            #expect(Set(fetched.map(\.id)) == [socketA.id, socketB.id])
            #expect(try await parent.to("red").fetchSockets().map(\.id) == [socketA.id])

            parent.socketsLeave("vip")
            #expect(await eventually { !socketA.rooms.contains("vip") && !socketB.rooms.contains("vip") })
            #expect(throws: SocketIOError.reservedEventName("connection")) { try parent.serverSideEmit("connection") }
            try parent.serverSideEmit("hello")

            parent.disconnectSockets()
            #expect(await eventually { !socketA.connected && !socketB.connected })
            await a.close()
            await b.close()
        }
    }
}
