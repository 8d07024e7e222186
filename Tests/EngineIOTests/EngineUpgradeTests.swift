import EngineIO
import NIOCore
import Testing
@testable import TestSupport

/// Polling → WebSocket: probe, noop to the pending poll, upgrade, and what is refused after.
@Suite struct EngineUpgradeTests {
    private func polling(_ sid: String) -> String { "/engine.io/?EIO=4&transport=polling&sid=\(sid)" }
    private func websocket(_ sid: String) -> String { "/engine.io/?EIO=4&transport=websocket&sid=\(sid)" }

    @Test func upgradeMovesTheSessionAndQueuedPacketsToWebSocket() async throws {
        let events = Recorder<String>()
        let server = Signal<EngineSocket>()
        try await withTestEngine(setUp: { engine in
            engine.onConnection { socket in
                server.set(socket)
                socket.onUpgrading { events.append("upgrading \($0.rawValue)") }
                socket.onUpgrade { events.append("upgrade \($0.rawValue)") }
                socket.onMessage { socket.send($0) }
            }
        }) { _, port in
            let sid = try await openPollingSession(port: port)
            let pending = try await TestHTTPClient.startRequest(port: port, path: polling(sid))
            let ws = try await TestWebSocket.connect(port: port, path: websocket(sid))
            try await ws.send(text: "2probe")
            #expect(try await ws.receive() == .text("3probe"))
            #expect(try await pending.response().text == "6")
            // Sent while the upgrade is pending: must arrive over WebSocket afterwards.
            let socket = try #require(await server.wait())
            #expect(await eventually { events.values == ["upgrading websocket"] })
            socket.send(.string("queued"))
            try await ws.send(text: "5")
            #expect(try await ws.receive() == .text("4queued"))
            #expect(await eventually { socket.transportName == .websocket })
            #expect(socket.upgraded)
            #expect(events.values == ["upgrading websocket", "upgrade websocket"])
            try await ws.send(text: "4hello")
            #expect(try await ws.receive() == .text("4hello"))
            // Polling and a second WebSocket are now refused; the session is unharmed.
            #expect(try await TestHTTPClient.request(port: port, path: polling(sid)).status == 400)
            await #expect(throws: TestClientError.upgradeRefused(status: 400)) {
                _ = try await TestWebSocket.connect(port: port, path: websocket(sid))
            }
            try await ws.send(text: "4still")
            #expect(try await ws.receive() == .text("4still"))
            await ws.close()
        }
    }

    @Test func upgradeTimeoutDropsTheCandidateAndKeepsPolling() async throws {
        let clock = ManualTimerSource()
        try await withTestEngine({ $0.timers = clock; $0.upgradeTimeout = .milliseconds(600) }, setUp: echo) { engine, port in
            let sid = try await openPollingSession(port: port)
            let ws = try await TestWebSocket.connect(port: port, path: websocket(sid))
            try await ws.send(text: "2probe")
            #expect(try await ws.receive() == .text("3probe"))
            #expect(await clock.advanceWhenArmed(.milliseconds(600)))
            guard case .closed = try await ws.receive(timeout: .seconds(10)) else { Issue.record("candidate kept"); return }
            #expect(engine.clients[sid]?.transportName == .polling)
            #expect(try await TestHTTPClient.request(port: port, method: "POST", path: polling(sid), body: Array("4p".utf8)).status == 200)
            #expect(try await TestHTTPClient.request(port: port, path: polling(sid)).text == "4p")
        }
    }

    @Test func anythingButProbeOrUpgradeDropsTheCandidate() async throws {
        try await withTestEngine(setUp: echo) { engine, port in
            let sid = try await openPollingSession(port: port)
            let ws = try await TestWebSocket.connect(port: port, path: websocket(sid))
            try await ws.send(text: "4early")
            guard case .closed = try await ws.receive() else { Issue.record("candidate kept"); return }
            #expect(engine.clients[sid]?.transportName == .polling)
        }
    }
}
