import EngineIO
import EngineIOClient
import NIOCore
import SocketIO
import SocketIOClient
import Testing
import TestSupport

@Suite("Connection state recovery and load")
struct RecoveryAndLoadTests {
    @Test(
        "a lost connection is recovered: same id, recovered, and the missed events arrive",
        arguments: [TransportMode.websocket, .polling], [SocketIOPacketParser.default, .msgpack]
    )
    func recovery(mode: TransportMode, parser: SocketIOPacketParser) async throws {
        var serverOptions = SocketIOServerOptions()
        serverOptions.connectionStateRecovery = ConnectionStateRecoveryOptions()
        serverOptions.parser = parser
        let serverSockets = Recorder<SocketIO.Socket>()
        try await withServer(serverOptions, configure: { server in
            server.onConnection { socket in
                serverSockets.append(socket)
                socket.join("room")
            }
        }) { server, port in
            let clock = ManualTimerSource()
            let manager = try Manager("http://127.0.0.1:\(port)", options: clientOptions(mode, parser: parser, timers: clock))
            let socket = manager.socket()
            let received = Recorder<JSONValue>()
            let connects = Recorder<Bool>()
            socket.on("tick") { arguments, _ in received.append(arguments[0]) }
            socket.onConnect { connects.append(socket.recovered) }
            socket.connect()
            #expect(await eventually { connects.values.count == 1 })
            let firstID = socket.id
            try server.to("room").emit("tick", 1)
            #expect(await eventually { received.values.count == 1 })

            // Cut the transport under the socket; the server keeps its state.
            serverSockets.values[0].conn.close()
            #expect(await eventually { !socket.connected })
            try server.to("room").emit("tick", 2)
            try server.to("room").emit("tick", 3)
            #expect(await clock.advanceWhenArmed(.seconds(1)))
            #expect(await eventually { connects.values.count == 2 })
            #expect(connects.values == [false, true])
            #expect(socket.recovered)
            #expect(socket.id == firstID)
            #expect(await eventually { received.values.count == 3 })
            #expect(received.values == [1, 2, 3])
            await manager.shutdown()
        }
    }

    @Test("a lost connection fails the acks that went out and buffers new emits until it is back", arguments: TransportMode.allCases)
    func lostConnection(mode: TransportMode) async throws {
        let serverSockets = Recorder<SocketIO.Socket>()
        let received = Recorder<Int64>()
        try await withServer(configure: { server in
            server.onConnection { socket in
                serverSockets.append(socket)
                socket.on("silent") { _, _ in }
                socket.on("n") { arguments, _ in received.append(arguments[0].intValue ?? -1) }
            }
        }) { _, port in
            let clock = ManualTimerSource()
            let manager = try Manager("http://127.0.0.1:\(port)", options: clientOptions(mode, timers: clock))
            let socket = manager.socket().connect()
            #expect(await eventually { socket.connected })
            let outcome = Signal<SocketIOClientError.Code>()
            try socket.emit("silent", []) { result in
                if case .failure(let error) = result { outcome.set(error.code) }
            }
            #expect(await eventually { serverSockets.values.count == 1 })
            serverSockets.values[0].conn.close()
            #expect(await outcome.wait() == .disconnected)
            #expect(await eventually { !socket.connected })
            try socket.emit("n", 1)
            try socket.emit("n", 2)
            #expect(await clock.advanceWhenArmed(.seconds(1)))
            #expect(await eventually { received.values == [1, 2] })
            await manager.shutdown()
        }
    }

    @Test("1,000 clients in one process, each with an ack round trip")
    func thousandClients() async throws {
        try await withServer(configure: { server in
            server.onConnection { socket in socket.on("echo") { arguments, ack in ack?.send(arguments) } }
        }) { server, port in
            let count = 1000
            var options = clientOptions(.websocket)
            options.timeout = .seconds(300)
            let managers = try (0..<count).map { _ in try Manager("http://127.0.0.1:\(port)", options: options) }
            let sockets = managers.map { $0.socket().connect() }
            let replies = try await withThrowingTaskGroup(of: Bool.self) { group in
                for (index, socket) in sockets.enumerated() {
                    group.addTask {
                        let reply = try await socket.emitWithAck("echo", .int(Int64(index)))
                        return reply == [.int(Int64(index))]
                    }
                }
                var ok = 0
                for try await good in group where good { ok += 1 }
                return ok
            }
            #expect(replies == count)
            #expect(server.sockets.sockets.values.count == count)
            await withTaskGroup(of: Void.self) { group in
                for manager in managers { group.addTask { await manager.shutdown() } }
            }
            #expect(await eventually { server.sockets.sockets.isEmpty })
        }
    }
}
