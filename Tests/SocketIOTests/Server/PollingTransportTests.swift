import NIOCore
import SocketIO
import Testing
@testable import TestSupport

@Suite("Socket.IO over long-polling and the upgrade")
struct PollingTransportTests {
    @Test("a socket connects over long-polling and exchanges events both ways")
    func connectAndExchangeOverPolling() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let got = Signal<[JSONValue]>()
            io.onConnection { socket in socket.on("hi") { args, _ in got.set(args) } }

            let session = try await TestSocketIOPollingSession.open(port: port, query: "who=poller")
            try await session.post("40")
            let answer = try await session.messages(1)
            guard case .text(let text) = answer.first, text.hasPrefix("0") else {
                Issue.record("expected a CONNECT answer, got \(answer)")
                return
            }
            let sid = try #require(TestSocketIOClient.jsonObject(String(text.dropFirst()))?["sid"] as? String)
            let socket = try await sockets.socket(sid)
            #expect(socket.conn.transportName == .polling)
            #expect(socket.handshake.query["transport"] == "polling")
            #expect(socket.handshake.query["who"] == "poller")

            try await session.post(#"42["hi",1,{"a":true}]"#)
            #expect(await got.wait() == [1, ["a": true]])

            try socket.emit("reply", "x")
            try io.emit("all", 2)
            let messages = try await session.messages(2)
            #expect(messages == [.text(#"2["reply","x"]"#), .text(#"2["all",2]"#)])
        }
    }

    @Test("binary arguments travel base64-encoded over long-polling, both ways")
    func binaryOverPolling() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let got = Signal<[JSONValue]>()
            io.onConnection { socket in socket.on("up") { args, _ in got.set(args) } }
            let session = try await TestSocketIOPollingSession.open(port: port)
            try await session.post("40")
            guard case .text(let text) = try await session.messages(1).first else { return }
            let socket = try await sockets.socket(TestSocketIOClient.jsonObject(String(text.dropFirst()))?["sid"] as? String)

            let response = try await session.post([
                .text(#"451-["up",{"_placeholder":true,"num":0}]"#),
                .binary([1, 2, 3, 250]),
            ])
            #expect(response.status == 200)
            #expect(await got.wait() == [.binary(ByteBuffer(bytes: [1, 2, 3, 250]))])

            try socket.emit("down", ["blob": .binary(ByteBuffer(bytes: [9, 8]))])
            let messages = try await session.messages(2)
            #expect(messages == [
                .text(#"51-["down",{"blob":{"_placeholder":true,"num":0}}]"#),
                .binary([9, 8]),
            ])
        }
    }

    @Test("a socket keeps its id, rooms and handlers across the upgrade from polling to WebSocket")
    func socketSurvivesTheUpgrade() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let got = Signal<[JSONValue]>()
            io.onConnection { socket in
                socket.join("room")
                socket.on("after") { args, _ in got.set(args) }
            }
            let session = try await TestSocketIOPollingSession.open(port: port)
            try await session.post("40")
            guard case .text(let text) = try await session.messages(1).first else { return }
            let sid = try #require(TestSocketIOClient.jsonObject(String(text.dropFirst()))?["sid"] as? String)
            let socket = try await sockets.socket(sid)

            let webSocket = try await TestWebSocket.connect(
                port: port, path: "/socket.io/?EIO=4&transport=websocket&sid=\(session.sid)"
            )
            try await webSocket.send(text: "2probe")
            #expect(try await webSocket.receive() == .text("3probe"))
            try await webSocket.send(text: "5")
            #expect(await eventually { socket.conn.transportName == .websocket })

            try io.to("room").emit("over-ws", 1)
            #expect(try await webSocket.receive() == .text(#"42["over-ws",1]"#))
            try await webSocket.send(text: #"42["after","ws"]"#)
            #expect(await got.wait() == ["ws"])
            #expect(socket.connected)
            #expect(socket.rooms == [sid, "room"])
            await webSocket.close()
        }
    }
}
