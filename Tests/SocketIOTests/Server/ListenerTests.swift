import SocketIO
import Testing
@testable import TestSupport

@Suite("Socket listeners")
struct ListenerTests {
    /// Ends the client's events with a "sync" the server answers with "synced": once it
    /// arrives, every event sent before it has gone through the handlers.
    private func sync(_ client: TestSocketIOClient, _ socket: Socket) async throws {
        socket.once("sync") { _, _ in try? socket.emit("synced") }
        try await client.emit("sync")
        let events = try await client.events(through: "synced")
        #expect(events.last?.name == "synced")
    }

    @Test("once() runs for the next event only")
    func onceRunsOnce() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let calls = Recorder<[JSONValue]>()
            socket.once("tick") { args, _ in calls.append(args) }
            #expect(socket.listenerCount("tick") == 1)
            try await client.emit("tick", 1)
            try await client.emit("tick", 2)
            try await sync(client, socket)
            #expect(calls.values == [[1]])
            #expect(socket.listenerCount("tick") == 0)
            await client.close()
        }
    }

    @Test("off(event, id) removes one handler and off(event) removes them all")
    func offRemovesHandlers() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let calls = Recorder<String>()
            let first = socket.on("e") { _, _ in calls.append("first") }
            socket.on("e") { _, _ in calls.append("second") }
            #expect(socket.listenerCount("e") == 2)
            socket.off("e", first)
            #expect(socket.listenerCount("e") == 1)
            try await client.emit("e")
            try await sync(client, socket)
            #expect(calls.values == ["second"])

            socket.off("e")
            #expect(socket.listenerCount("e") == 0)
            try await client.emit("e")
            try await sync(client, socket)
            #expect(calls.values == ["second"])
            await client.close()
        }
    }

    @Test("handlers of one event run in the order they were added, each with the arguments")
    func handlersRunInOrder() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let calls = Recorder<String>()
            socket.on("e") { args, _ in calls.append("a\(args)") }
            socket.on("e") { args, _ in calls.append("b\(args)") }
            try await client.emit("e", 1)
            try await sync(client, socket)
            #expect(calls.values == ["a[1]", "b[1]"])
            await client.close()
        }
    }

    @Test("eventNames lists the events with handlers; removeAllListeners clears them")
    func eventNamesAndRemoveAll() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            socket.on("b") { _, _ in }
            socket.on("a") { _, _ in }
            socket.once("c") { _, _ in }
            socket.onDisconnect { _, _ in }
            #expect(Set(socket.eventNames()) == ["a", "b", "c", "disconnect"])
            socket.removeAllListeners("a")
            #expect(Set(socket.eventNames()) == ["b", "c", "disconnect"])
            socket.removeAllListeners()
            #expect(socket.eventNames().isEmpty)
            await client.close()
        }
    }

    @Test("an event without handlers is ignored and later events still arrive")
    func unhandledEventIsIgnored() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            try await client.emit("nobody-listens", 1, ackID: 5)
            try await sync(client, socket)
            #expect(socket.connected)
            await client.close()
        }
    }

    @Test("onAny listeners see every incoming event before its handlers")
    func onAnyRunsBeforeHandlers() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let order = Recorder<String>()
            socket.on("chat") { args, _ in order.append("handler \(args)") }
            socket.onAny { event, args in order.append("any \(event) \(args)") }
            try await client.emit("chat", "hi")
            try await client.emit("unhandled", 2)
            try await sync(client, socket)
            #expect(Array(order.values.prefix(3)) == [#"any chat ["hi"]"#, #"handler ["hi"]"#, "any unhandled [2]"])
            await client.close()
        }
    }

    @Test("onAny listeners get the ack callback last, as Node's; it is nil when the client asked for none")
    func onAnyGetsTheAck() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let withoutAck = Recorder<String>()
            socket.onAny { event, _, ack in
                if let ack { ack(.string("any saw \(event)")) } else { withoutAck.append(event) }
            }
            try await client.emit("question", 1, ackID: 7)
            #expect(try await client.nextAck() == ReceivedAck(namespace: "/", id: 7, arguments: ["any saw question"]))
            try await client.emit("statement", 2)
            #expect(await eventually { withoutAck.values == ["statement"] })
            await client.close()
        }
    }

    @Test("prependAny puts a catch-all listener first; listenersAny reports the order; offAny removes")
    func prependAnyOrder() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let order = Recorder<String>()
            let second = socket.onAny { _, _ in order.append("second") }
            let third = socket.onAny { _, _ in order.append("third") }
            let first = socket.prependAny { _, _ in order.append("first") }
            #expect(socket.listenersAny() == [first, second, third])
            try await client.emit("e")
            try await client.emit("sync-marker")
            #expect(await eventually { order.values.count >= 6 })
            #expect(Array(order.values.prefix(3)) == ["first", "second", "third"])

            socket.offAny(second)
            #expect(socket.listenersAny() == [first, third])
            socket.offAny()
            #expect(socket.listenersAny().isEmpty)
            await client.close()
        }
    }

    @Test("onAnyOutgoing sees the socket's own emits and the broadcasts that reach it")
    func onAnyOutgoingSeesEmitsAndBroadcasts() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let (other, _) = try await connectClient(port: port, collector: sockets)
            let outgoing = Recorder<String>()
            socket.onAnyOutgoing { event, args in outgoing.append("\(event) \(args)") }
            try socket.emit("direct", 1)
            try io.emit("broadcast", "all")
            try io.to(socket.id).emit("room", true)
            try io.except(socket.id).emit("not-for-me")
            socket.send("text")
            #expect(try await client.events(through: "message").map(\.name) == ["direct", "broadcast", "room", "message"])
            #expect(outgoing.values == [
                "direct [1]", #"broadcast ["all"]"#, "room [true]", #"message ["text"]"#,
            ])
            await client.close()
            await other.close()
        }
    }

    @Test("onAnyOutgoing sees emits that expect an ack")
    func onAnyOutgoingSeesAckEmits() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let outgoing = Recorder<String>()
            socket.onAnyOutgoing { event, _ in outgoing.append(event) }
            try socket.emit("q", []) { _ in }
            try io.timeout(.seconds(5)).emit("bq", []) { _ in }
            _ = try await client.nextEvent()
            _ = try await client.nextEvent()
            #expect(outgoing.values == ["q", "bq"])
            await client.close()
        }
    }

    @Test("prependAnyOutgoing runs first, offAnyOutgoing removes, listenersAnyOutgoing reports")
    func outgoingListenerManagement() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let order = Recorder<String>()
            let later = socket.onAnyOutgoing { _, _ in order.append("later") }
            let earlier = socket.prependAnyOutgoing { _, _ in order.append("earlier") }
            #expect(socket.listenersAnyOutgoing() == [earlier, later])
            try socket.emit("one")
            _ = try await client.nextEvent()
            #expect(order.values == ["earlier", "later"])
            socket.offAnyOutgoing(earlier)
            try socket.emit("two")
            _ = try await client.nextEvent()
            #expect(order.values == ["earlier", "later", "later"])
            socket.offAnyOutgoing()
            #expect(socket.listenersAnyOutgoing().isEmpty)
            await client.close()
        }
    }

    @Test("a packet middleware may change the arguments the handlers get")
    func packetMiddlewareModifiesArguments() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let seen = Signal<[JSONValue]>()
            let middlewareSaw = Recorder<String>()
            socket.use { event, arguments in
                middlewareSaw.append(event)
                arguments.append("added-by-middleware")
            }
            socket.use { _, arguments in
                arguments[0] = .string((arguments[0].stringValue ?? "").uppercased())
            }
            socket.on("shout") { args, _ in seen.set(args) }
            try await client.emit("shout", "hello")
            #expect(await seen.wait() == ["HELLO", "added-by-middleware"])
            #expect(middlewareSaw.values == ["shout"])
            await client.close()
        }
    }

    @Test("an async packet middleware may finish later (Node's next called later); the socket's events keep their order")
    func asyncPacketMiddlewareKeepsOrder() async throws {
        struct Refused: Error, CustomStringConvertible { var description: String { "refused" } }
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let gate = Signal<Bool>()
            let arrived = Recorder<String>()
            let entered = Recorder<String>()
            let handled = Recorder<String>()
            let errors = Recorder<String>()
            socket.onAny { event, _ in arrived.append(event) }
            socket.use { _, arguments in arguments.append("sync") }
            socket.useAsync { event, arguments in
                entered.append(event)
                if event == "first" { _ = await gate.wait() }  // a slow lookup
                if event == "refused" { throw Refused() }
                return arguments + ["async"]
            }
            for name in ["first", "second", "refused", "third"] {
                socket.on(name) { arguments, _ in handled.append("\(name) \(arguments)") }
            }
            socket.onError { errors.append("\($0)") }
            try await client.emit("first", 1)
            try await client.emit("second", 2)
            try await client.emit("refused", 3)
            try await client.emit("third", 4)
            // Every event reached the socket, but only the first is in the chain, and none
            // reached a handler while it waits.
            // The async middleware runs on its own task, so "first" enters it some time after
            // it arrived: wait for both, then check nothing behind it moved.
            #expect(await eventually { arrived.values.count == 4 })
            #expect(await eventually { entered.values == ["first"] })
            #expect(entered.values == ["first"])
            #expect(handled.values.isEmpty)
            gate.set(true)
            #expect(await eventually { handled.values.count == 3 })
            #expect(handled.values == [#"first [1, "sync", "async"]"#, #"second [2, "sync", "async"]"#, #"third [4, "sync", "async"]"#])
            #expect(entered.values == ["first", "second", "refused", "third"])
            #expect(errors.values == ["refused"])
            await client.close()
        }
    }

    @Test("a packet middleware that throws stops the event and its error reaches the socket's error listeners")
    func packetMiddlewareThrowReachesOnError() async throws {
        struct Forbidden: Error, CustomStringConvertible { var description: String { "forbidden event" } }
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let handled = Recorder<String>()
            let errors = Signal<String>()
            socket.use { event, _ in
                if event == "admin-only" { throw Forbidden() }
            }
            socket.on("admin-only") { _, _ in handled.append("admin-only") }
            socket.on("public") { _, _ in handled.append("public") }
            socket.onError { error in errors.set("\(error)") }
            try await client.emit("admin-only")
            try await client.emit("public")
            #expect(await errors.wait() == "forbidden event")
            #expect(await eventually { handled.values == ["public"] })
            #expect(socket.connected, "a middleware error does not disconnect the socket")
            await client.close()
        }
    }

    @Test("packet middlewares do not run for acknowledgements")
    func packetMiddlewareSkipsAcks() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let middlewareSaw = Recorder<String>()
            socket.use { event, _ in middlewareSaw.append(event) }
            async let reply = socket.emitWithAck("q")
            let event = try await client.nextEvent()
            try await client.sendAck(try #require(event.ackID), "a")
            #expect(try await reply == "a")
            #expect(middlewareSaw.values.isEmpty)
            await client.close()
        }
    }

    @Test("events from one socket reach the handlers in the order sent (200 events)")
    func eventsArriveInOrder() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let received = Recorder<Int64>()
            socket.on("n") { args, _ in
                if let n = args.first?.intValue { received.append(n) }
            }
            for n in 0..<200 {
                try await client.emit("n", .int(Int64(n)))
            }
            #expect(await eventually(timeout: .seconds(10)) { received.values.count == 200 })
            #expect(received.values == (0..<200).map { Int64($0) })
            await client.close()
        }
    }

    @Test("events the server emits to one socket reach the client in order (200 events)")
    func serverEmitsArriveInOrder() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            for n in 0..<200 {
                if n.isMultiple(of: 2) {
                    try socket.emit("n", .int(Int64(n)))
                } else {
                    try io.to(socket.id).emit("n", .int(Int64(n)))
                }
            }
            var received: [Int64] = []
            for _ in 0..<200 {
                received.append(try await client.nextEvent().arguments.first?.intValue ?? -1)
            }
            #expect(received == (0..<200).map { Int64($0) })
            await client.close()
        }
    }

    @Test("handlers of different namespaces on one connection each keep their order")
    func orderPerNamespace() async throws {
        try await withServer { io, port in
            let adminSockets = SocketCollector(io.of("/admin"))
            let mainSockets = SocketCollector(io.sockets)
            let client = try await TestSocketIOClient.open(port: port)
            let main = try await mainSockets.socket(try await client.connect())
            let admin = try await adminSockets.socket(try await client.connect(namespace: "/admin"))
            let order = Recorder<String>()
            main.on("e") { args, _ in order.append("/ \(args)") }
            admin.on("e") { args, _ in order.append("/admin \(args)") }
            for n in 0..<20 {
                try await client.emit("e", .int(Int64(n)), namespace: n.isMultiple(of: 2) ? "/" : "/admin")
            }
            #expect(await eventually { order.values.count == 20 })
            #expect(order.values == (0..<20).map { n in n.isMultiple(of: 2) ? "/ [\(n)]" : "/admin [\(n)]" })
            await client.close()
        }
    }

    @Test("listenerCount counts disconnect, disconnecting and error listeners like any other event")
    func listenerCountCountsLifecycleListeners() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            socket.on("disconnect") { _, _ in }
            socket.onDisconnect { _, _ in }
            socket.on("disconnecting") { _, _ in }
            socket.on("error") { _, _ in }
            #expect(socket.listenerCount("disconnect") == 2)
            #expect(socket.listenerCount("disconnecting") == 1)
            #expect(socket.listenerCount("error") == 1)
            socket.off("disconnect")
            #expect(socket.listenerCount("disconnect") == 0)
            await client.close()
        }
    }

    @Test("off(\"disconnect\", id) removes that disconnect listener only")
    func offRemovesOneDisconnectListener() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let calls = Recorder<String>()
            let removed = socket.on("disconnect") { _, _ in calls.append("removed") }
            socket.on("disconnect") { _, _ in calls.append("kept") }
            socket.off("disconnect", removed)
            try await client.disconnect()
            #expect(await eventually { !calls.values.isEmpty })
            #expect(calls.values == ["kept"])
            await client.close()
        }
    }
}
