import EngineIO
import NIOCore
import Testing
@testable import TestSupport

/// The WebSocket transport: frames, limits, closes and their reasons.
@Suite struct EngineWebSocketTests {
    private static let path = "/engine.io/?EIO=4&transport=websocket"

    private func connect(_ port: Int) async throws -> TestWebSocket {
        let socket = try await TestWebSocket.connect(port: port, path: Self.path)
        guard case .text(let open) = try await socket.receive(), open.hasPrefix("0{") else {
            throw TestClientError.connectionClosed
        }
        return socket
    }

    private func closeReason(_ engine: EngineServer, into signal: Signal<EngineCloseReason>) {
        engine.onConnection { $0.onClose { reason, _ in signal.set(reason) } }
    }

    @Test func textStaysTextAndBinaryStaysBinary() async throws {
        try await withTestEngine(setUp: echo) { _, port in
            let socket = try await connect(port)
            try await socket.send(text: "4hello")
            #expect(try await socket.receive() == .text("4hello"))
            try await socket.send(binary: [1, 2, 3, 4])
            #expect(try await socket.receive() == .binary([1, 2, 3, 4]))
            try await socket.send(text: "4房间 ✓")
            #expect(try await socket.receive() == .text("4房间 ✓"))
            await socket.close()
        }
    }

    @Test func oversizedFrameClosesWith1009() async throws {
        let reason = Signal<EngineCloseReason>()
        try await withTestEngine({ $0.maxHttpBufferSize = 1000 }, setUp: { closeReason($0, into: reason) }) { _, port in
            let socket = try await connect(port)
            try await socket.send(text: "4" + String(repeating: "x", count: 2000))
            #expect(try await socket.receive() == .closed(code: 1009))
            #expect(await reason.wait() == .transportError)
        }
    }

    @Test func undecodablePacketClosesWithParseError() async throws {
        let reason = Signal<EngineCloseReason>()
        try await withTestEngine(setUp: { closeReason($0, into: reason) }) { _, port in
            let socket = try await connect(port)
            try await socket.send(text: "abc")
            guard case .closed = try await socket.receive() else { Issue.record("still open"); return }
            #expect(await reason.wait() == .parseError)
        }
    }

    @Test func closePacketAndCloseFrameAreTransportClose() async throws {
        let first = Signal<EngineCloseReason>()
        try await withTestEngine(setUp: { closeReason($0, into: first) }) { engine, port in
            let socket = try await connect(port)
            try await socket.send(text: "1")
            guard case .closed = try await socket.receive() else { Issue.record("still open"); return }
            #expect(await first.wait() == .transportClose)
            #expect(await eventually { engine.clientsCount == 0 })
        }
        let second = Signal<EngineCloseReason>()
        try await withTestEngine(setUp: { closeReason($0, into: second) }) { _, port in
            let socket = try await connect(port)
            await socket.close()
            #expect(await second.wait() == .transportClose)
        }
    }

    @Test func pingTimeoutClosesTheConnection() async throws {
        let reason = Signal<EngineCloseReason>()
        let clock = ManualTimerSource()
        try await withTestEngine({ $0.timers = clock; $0.pingInterval = .milliseconds(200); $0.pingTimeout = .milliseconds(2000) }, setUp: { closeReason($0, into: reason) }) { _, port in
            let socket = try await connect(port)
            #expect(await clock.advanceWhenArmed(.milliseconds(200)))
            #expect(try await socket.receive() == .text("2"))
            try await socket.send(text: "3")
            // The next interval starts once the pong is in.
            #expect(await clock.advanceWhenArmed(.milliseconds(200)))
            let next = try await socket.receive()
            #expect(next == .text("2"), "after the pong: \(next)")
            // No pong this time.
            #expect(await clock.advanceWhenArmed(.milliseconds(2000)))
            guard case .closed = try await socket.receive(timeout: .seconds(10)) else { Issue.record("still open"); return }
            #expect(await reason.wait() == .pingTimeout)
        }
    }

    @Test func forcedCloseSendsACloseFrame() async throws {
        let reason = Signal<EngineCloseReason>()
        try await withTestEngine(setUp: { engine in
            engine.onConnection { socket in
                socket.onClose { r, _ in reason.set(r) }
                socket.onMessage { _ in
                    socket.send(.string("last"))
                    socket.close()
                }
            }
        }) { _, port in
            let socket = try await connect(port)
            try await socket.send(text: "4bye")
            #expect(try await socket.receive() == .text("4last"))
            #expect(try await socket.receive() == .closed(code: 1000))
            #expect(await reason.wait() == .forcedClose)
        }
    }

    @Test func packetAndPacketCreateEventsSeeBothDirections() async throws {
        let inbound = Recorder<EnginePacketType>()
        let outbound = Recorder<EnginePacketType>()
        try await withTestEngine(setUp: { engine in
            engine.onConnection { socket in
                socket.onPacket { inbound.append($0.type) }
                socket.onPacketCreate { outbound.append($0.type) }
                socket.onMessage { socket.send($0) }
            }
        }) { _, port in
            let socket = try await connect(port)
            try await socket.send(text: "4x")
            #expect(try await socket.receive() == .text("4x"))
            #expect(inbound.values == [.message])
            #expect(outbound.values == [.message])
            await socket.close()
        }
    }
}
