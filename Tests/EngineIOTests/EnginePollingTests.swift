@testable import EngineIO
import NIOCore
import Testing
@testable import TestSupport

/// Long-polling: payloads, the single pending GET, closes and limits, with the close
/// reasons the server sees.
@Suite struct EnginePollingTests {
    private func url(_ sid: String) -> String { "/engine.io/?EIO=4&transport=polling&sid=\(sid)" }

    @Test func postedPacketsAreDeliveredAndEchoedInOneResponse() async throws {
        try await withTestEngine(setUp: echo) { _, port in
            let sid = try await openPollingSession(port: port)
            let post = try await TestHTTPClient.request(port: port, method: "POST", path: url(sid), body: Array("4test1\u{1e}4test2\u{1e}bAQIDBA==".utf8))
            #expect(post.status == 200)
            #expect(post.text == "ok")
            let poll = try await TestHTTPClient.request(port: port, path: url(sid))
            #expect(poll.text == "4test1\u{1e}4test2\u{1e}bAQIDBA==")
        }
    }

    @Test func serverMessagesWaitForTheNextPoll() async throws {
        let socket = Signal<EngineSocket>()
        try await withTestEngine(setUp: { $0.onConnection { socket.set($0) } }) { _, port in
            let sid = try await openPollingSession(port: port)
            let pending = try await TestHTTPClient.startRequest(port: port, path: url(sid))
            let server = try #require(await socket.wait())
            server.send(.string("a"))
            server.send(packets: [.message(.string("b")), .message(.binary(ByteBuffer(bytes: [0xFF])))])
            let first = try await pending.response()
            #expect(first.text.hasPrefix("4a"))
            let all = first.text == "4a" ? first.text + "\u{1e}" + (try await TestHTTPClient.request(port: port, path: url(sid))).text : first.text
            #expect(all == "4a\u{1e}4b\u{1e}b/w==")
        }
    }

    @Test func secondConcurrentPollClosesTheSession() async throws {
        let reason = Signal<EngineCloseReason>()
        try await withTestEngine(setUp: { $0.onConnection { $0.onClose { r, _ in reason.set(r) } } }) { engine, port in
            let sid = try await openPollingSession(port: port)
            let first = try await TestHTTPClient.startRequest(port: port, path: url(sid))
            // The first poll must be pending before the second one arrives.
            let session = try #require(engine.clients[sid])
            #expect(await eventually { await hasPendingPoll(session) })
            let second = try await TestHTTPClient.request(port: port, path: url(sid) + "&t=burst")
            #expect(second.status == 400)
            #expect(try await first.response().text == "1")
            #expect(await reason.wait() == .transportError)
            #expect(try await TestHTTPClient.request(port: port, path: url(sid)).status == 400)
        }
    }

    @Test func postedCloseReleasesThePendingPollWithNoop() async throws {
        let reason = Signal<EngineCloseReason>()
        try await withTestEngine(setUp: { $0.onConnection { $0.onClose { r, _ in reason.set(r) } } }) { engine, port in
            let sid = try await openPollingSession(port: port)
            let pending = try await TestHTTPClient.startRequest(port: port, path: url(sid))
            let session = try #require(engine.clients[sid])
            #expect(await eventually { await hasPendingPoll(session) })
            let post = try await TestHTTPClient.request(port: port, method: "POST", path: url(sid), body: Array("1".utf8))
            #expect(post.status == 200)
            #expect(try await pending.response().text == "6")
            #expect(await reason.wait() == .transportClose)
            #expect(engine.clientsCount == 0)
        }
    }

    @Test func undecodablePayloadClosesWithParseError() async throws {
        let reason = Signal<EngineCloseReason>()
        try await withTestEngine(setUp: { $0.onConnection { $0.onClose { r, _ in reason.set(r) } } }) { _, port in
            let sid = try await openPollingSession(port: port)
            let post = try await TestHTTPClient.request(port: port, method: "POST", path: url(sid), body: Array("abc".utf8))
            #expect(post.status == 400)
            #expect(await reason.wait() == .parseError)
            let poll = try await TestHTTPClient.request(port: port, path: url(sid))
            #expect(poll.status == 400)
            #expect(poll.text.contains("\"code\":1"))
        }
    }

    @Test func oversizedBodyGets413AndClosesTheSession() async throws {
        let reason = Signal<EngineCloseReason>()
        try await withTestEngine({ $0.maxHttpBufferSize = 1000 }, setUp: { $0.onConnection { $0.onClose { r, _ in reason.set(r) } } }) { _, port in
            let sid = try await openPollingSession(port: port)
            let post = try await TestHTTPClient.request(port: port, method: "POST", path: url(sid), body: Array(repeating: UInt8(ascii: "4"), count: 2000))
            #expect(post.status == 413)
            #expect(await reason.wait() == .transportError)
            #expect(try await TestHTTPClient.request(port: port, path: url(sid)).status == 400)
            // A body at the limit is fine.
            let other = try await openPollingSession(port: port)
            let ok = try await TestHTTPClient.request(port: port, method: "POST", path: url(other), body: Array("4".utf8) + Array(repeating: UInt8(ascii: "x"), count: 999))
            #expect(ok.status == 200)
        }
    }

    @Test func abortedPollClosesTheSession() async throws {
        let reason = Signal<EngineCloseReason>()
        try await withTestEngine(setUp: { $0.onConnection { $0.onClose { r, _ in reason.set(r) } } }) { engine, port in
            let sid = try await openPollingSession(port: port)
            let pending = try await TestHTTPClient.startRequest(port: port, path: url(sid))
            let session = try #require(engine.clients[sid])
            #expect(await eventually { await hasPendingPoll(session) })
            pending.abort()
            #expect(await reason.wait() == .transportError)
            #expect(try await TestHTTPClient.request(port: port, path: url(sid)).status == 400)
        }
    }

    @Test func forcedCloseDeliversQueuedPacketsThenClose() async throws {
        let socket = Signal<EngineSocket>()
        let reason = Signal<EngineCloseReason>()
        try await withTestEngine(setUp: { engine in
            engine.onConnection { s in
                socket.set(s)
                s.onClose { r, _ in reason.set(r) }
            }
        }) { _, port in
            let sid = try await openPollingSession(port: port)
            let server = try #require(await socket.wait())
            server.send(.string("bye"))
            server.close()
            let poll = try await TestHTTPClient.request(port: port, path: url(sid))
            #expect(poll.text == "4bye\u{1e}1")
            #expect(await reason.wait() == .forcedClose)
        }
    }

    @Test func otherMethodsOnASessionAreBadRequests() async throws {
        try await withTestEngine { _, port in
            let sid = try await openPollingSession(port: port)
            for method in ["PUT", "DELETE"] {
                let response = try await TestHTTPClient.request(port: port, method: method, path: url(sid))
                #expect(response.status == 400)
                #expect(response.text.contains("\"code\":3"))
            }
            // The session is unharmed.
            #expect(try await TestHTTPClient.request(port: port, method: "POST", path: url(sid), body: Array("4x".utf8)).status == 200)
        }
    }

    @Test func heartbeatPingsAndTimesOut() async throws {
        let reason = Signal<EngineCloseReason>()
        let beats = Recorder<Int>()
        let clock = ManualTimerSource()
        try await withTestEngine({ $0.timers = clock; $0.pingInterval = .milliseconds(200); $0.pingTimeout = .milliseconds(1500) }, setUp: { engine in
            engine.onConnection { socket in
                socket.onHeartbeat { beats.append(1) }
                socket.onClose { r, _ in reason.set(r) }
            }
        }) { _, port in
            let sid = try await openPollingSession(port: port)
            for _ in 0..<2 {
                // The interval timer is armed at the open and again once the pong is in.
                #expect(await clock.advanceWhenArmed(.milliseconds(200)))
                let ping = try await TestHTTPClient.request(port: port, path: url(sid))
                #expect(ping.text == "2")
                let pong = try await TestHTTPClient.request(port: port, method: "POST", path: url(sid), body: Array("3".utf8))
                #expect(pong.status == 200)
            }
            #expect(await eventually { beats.values.count == 2 })
            #expect(await clock.advanceWhenArmed(.milliseconds(200)))
            #expect(try await TestHTTPClient.request(port: port, path: url(sid)).text == "2")
            // No pong this time.
            #expect(await clock.advanceWhenArmed(.milliseconds(1500)))
            let closed = await reason.wait(timeout: .seconds(10))
            #expect(closed == .pingTimeout)
        }
    }

    @Test func clientPingIsAProtocolViolation() async throws {
        let reason = Signal<EngineCloseReason>()
        try await withTestEngine(setUp: { $0.onConnection { $0.onClose { r, _ in reason.set(r) } } }) { _, port in
            let sid = try await openPollingSession(port: port)
            _ = try await TestHTTPClient.request(port: port, method: "POST", path: url(sid), body: Array("2".utf8))
            #expect(await reason.wait() == .transportError)
        }
    }
}

/// Whether `session` holds a GET waiting for packets (read on its loop).
private func hasPendingPoll(_ session: EngineSocket) async -> Bool {
    (try? await session.eventLoop.submit {
        if case .polling(pendingGet: .some) = session.transport { return true }
        return false
    }.get()) ?? false
}
