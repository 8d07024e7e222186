import EngineIO
import EngineIOClient
import NIOCore
import SocketIO
import SocketIOClient
import Testing
import TestSupport

@Suite("Manager: reconnection, heartbeat and timeouts on a manual clock")
struct ReconnectionTests {
    @Test("backoff doubles from reconnectionDelay up to reconnectionDelayMax, jitter within bounds")
    func backoff() {
        var plain = Backoff(min: .seconds(1), max: .seconds(5), jitter: 0)
        let delays = (0..<5).map { _ in plain.duration(random: 0.7) }
        #expect(delays == [.seconds(1), .seconds(2), .seconds(4), .seconds(5), .seconds(5)])
        plain.reset()
        #expect(plain.duration(random: 0.3) == .seconds(1))

        var jittered = Backoff(min: .seconds(1), max: .seconds(60), jitter: 0.5)
        for attempt in 0..<6 {
            let base = 1000.0 * Double(1 << attempt)
            let delay = jittered.duration(random: Double(attempt) / 6)
            let ms = Double(delay.components.seconds) * 1000 + Double(delay.components.attoseconds) / 1e15
            #expect(ms >= base * 0.5 && ms <= base * 1.5)
        }
    }

    @Test("the server restarted under the client: reconnects with backoff, and the socket connects again", arguments: TransportMode.allCases)
    func serverRestart(mode: TransportMode) async throws {
        let clock = ManualTimerSource()
        let first = SocketIOServer()
        let port = try await first.listen(host: "127.0.0.1", port: 0)
        var options = clientOptions(mode, timers: clock)
        options.auth = .provider { ["stamp": .string("fresh")] }
        let manager = try Manager("http://127.0.0.1:\(port)", options: options)
        let events = Recorder<String>()
        manager.onEvent { event in events.append(event.name) }
        let socket = manager.socket()
        let connects = Recorder<String>()
        let reasons = Recorder<ClientDisconnectReason>()
        socket.onConnect { connects.append(socket.id ?? "") }
        socket.onDisconnect { reason, _ in reasons.append(reason) }
        socket.connect()
        #expect(await eventually { connects.values.count == 1 })

        await first.close()
        #expect(await eventually { reasons.values.count == 1 })
        #expect(reasons.values.first?.willReconnect == true)
        #expect(socket.active)

        // The first attempt, after reconnectionDelay, finds nobody.
        #expect(await clock.advanceWhenArmed(.seconds(1)))
        #expect(await eventually { events.values.contains("reconnect_error") })
        // The second waits twice as long; the server is back by then.
        let second = SocketIOServer()
        second.onConnection { socket in try? socket.emit("auth", .object(socket.handshake.auth)) }
        _ = try await second.listen(host: "127.0.0.1", port: port)
        let auth = Signal<[JSONValue]>()
        socket.on("auth") { arguments, _ in auth.set(arguments) }
        #expect(await clock.advanceWhenArmed(.seconds(2)))
        #expect(await eventually { connects.values.count == 2 })
        #expect(await auth.wait() == [["stamp": "fresh"]])
        #expect(events.values.filter { $0 == "reconnect_attempt" }.count == 2)
        #expect(events.values.contains("reconnect"))
        await manager.shutdown()
        await second.close()
    }

    @Test("gives up after reconnectionAttempts with reconnect_failed")
    func reconnectFailed() async throws {
        let clock = ManualTimerSource()
        let server = SocketIOServer()
        let port = try await server.listen(host: "127.0.0.1", port: 0)
        var options = clientOptions(.websocket, timers: clock)
        options.reconnectionAttempts = 2
        let manager = try Manager("http://127.0.0.1:\(port)", options: options)
        let events = Recorder<String>()
        manager.onEvent { event in events.append(event.name) }
        let socket = manager.socket().connect()
        #expect(await eventually { socket.connected })
        await server.close()
        #expect(await clock.advanceWhenArmed(.seconds(1)))
        #expect(await eventually { events.values.filter { $0 == "reconnect_error" }.count == 1 })
        #expect(await clock.advanceWhenArmed(.seconds(2)))
        #expect(await eventually { events.values.contains("reconnect_failed") })
        #expect(events.values.filter { $0 == "reconnect_attempt" }.count == 2)
        await manager.shutdown()
    }

    @Test("a silent server is detected after pingInterval + pingTimeout", arguments: TransportMode.allCases)
    func heartbeatTimeout(mode: TransportMode) async throws {
        var serverOptions = SocketIOServerOptions()
        // The server's own clock never moves: it never pings.
        serverOptions.engine.timers = ManualTimerSource()
        serverOptions.engine.pingInterval = .seconds(3)
        serverOptions.engine.pingTimeout = .seconds(2)
        try await withServer(serverOptions) { _, port in
            let clock = ManualTimerSource()
            var options = clientOptions(mode, timers: clock)
            options.reconnection = false
            let manager = try Manager("http://127.0.0.1:\(port)", options: options)
            let socket = manager.socket()
            let reason = Signal<ClientDisconnectReason>()
            socket.onDisconnect { why, _ in reason.set(why) }
            socket.connect()
            #expect(await eventually { socket.connected })
            #expect(await clock.advanceWhenArmed(.seconds(5)))
            #expect(await reason.wait() == .pingTimeout)
            await manager.shutdown()
        }
    }

    @Test("pings are answered and keep the connection")
    func pingsAnswered() async throws {
        var serverOptions = SocketIOServerOptions()
        serverOptions.engine.pingInterval = .milliseconds(100)
        serverOptions.engine.pingTimeout = .seconds(30)
        try await withServer(serverOptions) { _, port in
            let manager = try Manager("http://127.0.0.1:\(port)", options: clientOptions(.upgrade))
            let pings = Recorder<Int>()
            manager.onEvent { event in if case .ping = event { pings.append(1) } }
            let socket = manager.socket().connect()
            #expect(await eventually { pings.values.count >= 5 })
            #expect(socket.connected)
            await manager.shutdown()
        }
    }

    @Test("emitWithAck with timeout(_:) fails when no answer comes in time")
    func ackTimeout() async throws {
        try await withServer(configure: { server in
            server.onConnection { socket in socket.on("silent") { _, _ in } }
        }) { _, port in
            let clock = ManualTimerSource()
            let manager = try Manager("http://127.0.0.1:\(port)", options: clientOptions(.websocket, timers: clock))
            let socket = manager.socket().connect()
            #expect(await eventually { socket.connected })
            let outcome = Signal<SocketIOClientError.Code>()
            Task {
                do {
                    _ = try await socket.timeout(.seconds(7)).emitWithAck("silent", 1)
                } catch let error as SocketIOClientError {
                    outcome.set(error.code)
                }
            }
            #expect(await clock.advanceWhenArmed(.seconds(7)))
            #expect(await outcome.wait() == .ackTimeout)
            await manager.shutdown()
        }
    }

    @Test("retries resends an event whose ack timed out, one event at a time, in order")
    func retries() async throws {
        let attempts = Recorder<String>()
        try await withServer(configure: { server in
            server.onConnection { socket in
                socket.on("flaky") { arguments, ack in
                    let name = arguments.first?.stringValue ?? "?"
                    attempts.append(name)
                    // Answer "a" on its third try only, "b" at once.
                    if name == "b" || attempts.values.filter({ $0 == "a" }).count == 3 { ack?(.string(name)) }
                }
            }
        }) { _, port in
            let clock = ManualTimerSource()
            var options = clientOptions(.websocket, timers: clock)
            options.retries = 3
            options.ackTimeout = .seconds(2)
            let manager = try Manager("http://127.0.0.1:\(port)", options: options)
            let socket = manager.socket().connect()
            let replies = Recorder<String>()
            try socket.emit("flaky", ["a"]) { result in replies.append((try? result.get())?.first?.stringValue ?? "error") }
            try socket.emit("flaky", ["b"]) { result in replies.append((try? result.get())?.first?.stringValue ?? "error") }
            #expect(await eventually { attempts.values == ["a"] })
            #expect(await clock.advanceWhenArmed(.seconds(2)))
            #expect(await eventually { attempts.values == ["a", "a"] })
            #expect(await clock.advanceWhenArmed(.seconds(2)))
            #expect(await eventually { replies.values == ["a", "b"] })
            #expect(attempts.values == ["a", "a", "a", "b"])
            await manager.shutdown()
        }
    }

    @Test("a connection that never opens fails after timeout with connect_error")
    func openTimeout() async throws {
        // A listening socket that never answers HTTP: the server's own engine with a path
        // the client does not use would answer 400, so use a bare TCP acceptor instead.
        let silent = try await ServerBootstrapSilent.start()
        let clock = ManualTimerSource()
        var options = clientOptions(.websocket, timers: clock)
        options.reconnection = false
        options.timeout = .seconds(20)
        let manager = try Manager("http://127.0.0.1:\(silent.port)", options: options)
        let socket = manager.socket()
        let error = Signal<SocketIOClientError>()
        socket.onConnectError { error.set($0) }
        socket.connect()
        #expect(await clock.advanceWhenArmed(.seconds(20)))
        #expect(await error.wait()?.code == .timeout)
        await manager.shutdown()
        try await silent.close()
    }
}
