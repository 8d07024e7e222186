import SocketIO
import Testing
@testable import TestSupport

@Suite("Acknowledgements")
struct AckTests {
    @Test("an event the client sends with an ack id gets the handler's reply with that id")
    func clientToServerAck() async throws {
        try await withServer { io, port in
            io.onConnection { socket in
                socket.on("add") { arguments, ack in
                    let sum = arguments.compactMap(\.intValue).reduce(0, +)
                    ack?("sum", .int(sum))
                }
            }
            let client = try await TestSocketIOClient.connect(port: port)
            try await client.emit("add", 2, 3, ackID: 7)
            #expect(try await client.nextAck() == ReceivedAck(namespace: "/", id: 7, arguments: ["sum", 5]))
            await client.close()
        }
    }

    @Test("a handler gets no ack callback when the client asked for none")
    func noAckWithoutID() async throws {
        try await withServer { io, port in
            let hadAck = Signal<Bool>()
            io.onConnection { socket in
                socket.on("plain") { _, ack in hadAck.set(ack != nil) }
            }
            let client = try await TestSocketIOClient.connect(port: port)
            try await client.emit("plain")
            #expect(await hadAck.wait() == false)
            await client.close()
        }
    }

    @Test("an ack sends one reply only, however often it is called")
    func ackRepliesOnce() async throws {
        try await withServer { io, port in
            let wasSent = Signal<Bool>()
            io.onConnection { socket in
                socket.on("q") { _, ack in
                    ack?("first")
                    ack?("second")
                    wasSent.set(ack?.wasSent == true)
                    try? socket.emit("marker")
                }
            }
            let client = try await TestSocketIOClient.connect(port: port)
            try await client.emit("q", ackID: 1)
            #expect(try await client.nextAck() == ReceivedAck(namespace: "/", id: 1, arguments: ["first"]))
            #expect(try await client.nextEvent().name == "marker")
            #expect(await wasSent.wait() == true)
            await client.close()
        }
    }

    @Test("an ack may be answered later, from another task")
    func ackAnsweredLater() async throws {
        try await withServer { io, port in
            io.onConnection { socket in
                socket.on("slow") { _, ack in
                    Task {
                        try? await Task.sleep(for: .milliseconds(50))
                        ack?("done")
                    }
                }
            }
            let client = try await TestSocketIOClient.connect(port: port)
            try await client.emit("slow", ackID: 99)
            #expect(try await client.nextAck() == ReceivedAck(namespace: "/", id: 99, arguments: ["done"]))
            await client.close()
        }
    }

    @Test("acks in a custom namespace carry that namespace")
    func ackInCustomNamespace() async throws {
        try await withServer { io, port in
            io.of("/admin").onConnection { socket in
                socket.on("q") { _, ack in ack?("from-admin") }
            }
            let client = try await TestSocketIOClient.connect(port: port, namespace: "/admin")
            try await client.emit("q", namespace: "/admin", ackID: 3)
            #expect(try await client.nextAck() == ReceivedAck(namespace: "/admin", id: 3, arguments: ["from-admin"]))
            await client.close()
        }
    }

    @Test("Ack.send(encoding:) replies with an Encodable value")
    func ackSendEncoding() async throws {
        struct Reply: Codable, Sendable { var ok: Bool; var items: [String] }
        try await withServer { io, port in
            io.onConnection { socket in
                socket.on("list") { _, ack in try? ack?.send(encoding: Reply(ok: true, items: ["a", "b"])) }
            }
            let client = try await TestSocketIOClient.connect(port: port)
            try await client.emit("list", ackID: 4)
            let ack = try await client.nextAck()
            #expect(ack.arguments.count == 1)
            #expect(ack.arguments.first?["ok"] == true)
            #expect(ack.arguments.first?["items"] == ["a", "b"])
            await client.close()
        }
    }

    @Test("socket.emit with an ack callback gets the client's reply")
    func serverToClientAckCallback() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let reply = Signal<Result<[JSONValue], SocketIOError>>()
            try socket.emit("question", ["life"]) { reply.set($0) }
            let event = try await client.nextEvent()
            #expect(event.name == "question")
            #expect(event.arguments == ["life"])
            let id = try #require(event.ackID)
            try await client.sendAck(id, 42, "yes")
            let result = try #require(await reply.wait())
            #expect(try result.get() == [42, "yes"])
            await client.close()
        }
    }

    @Test("emitWithAck without a timeout returns the client's reply")
    func emitWithAckReturnsTheReply() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            async let answer = socket.emitWithAck("how-many", "apples")
            let event = try await client.nextEvent()
            #expect(event.arguments == ["apples"])
            try await client.sendAck(try #require(event.ackID), 3)
            #expect(try await answer == 3)
            await client.close()
        }
    }

    @Test("emitWithAck resolves with the first ack argument, as Node's promise; the callback gets them all")
    func emitWithAckResolvesWithTheFirstArgument() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            async let first = socket.emitWithAck("two")
            let two = try await client.nextEvent()
            try await client.sendAck(try #require(two.ackID), "a", "b")
            #expect(try await first == "a")

            async let none = socket.emitWithAck("nothing")
            let nothing = try await client.nextEvent()
            try await client.sendAck(try #require(nothing.ackID))
            #expect(try await none == .null)

            let all = Recorder<[JSONValue]>()
            try socket.emit("callback", []) { if case .success(let arguments) = $0 { all.append(arguments) } }
            let callback = try await client.nextEvent()
            try await client.sendAck(try #require(callback.ackID), "a", "b")
            #expect(await eventually { all.values == [["a", "b"]] })
            await client.close()
        }
    }

    @Test("emitWithAck with a timeout returns a reply that comes in time")
    func emitWithAckWithinTimeout() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            async let answer = socket.timeout(.seconds(5)).emitWithAck("q")
            let event = try await client.nextEvent()
            try await client.sendAck(try #require(event.ackID), "in time")
            #expect(try await answer == "in time")
            await client.close()
        }
    }

    @Test("emitWithAck fails with ackTimeout when the client does not answer in time")
    func emitWithAckTimesOut() async throws {
        let clock = ManualTimerSource()
        try await withServer(serverOptions(clock: clock)) { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let answer = Task { try await socket.timeout(.milliseconds(200)).emitWithAck("ignored") }
            // The client did get the event, with an ack id it never answers.
            let event = try await client.nextEvent()
            #expect(event.name == "ignored")
            #expect(event.ackID != nil)
            #expect(await clock.advanceWhenArmed(.milliseconds(200)))
            await #expect(throws: SocketIOError.ackTimeout) { _ = try await answer.value }
            await client.close()
        }
    }

    @Test("a late answer after the timeout is ignored, and a later ack still works")
    func lateAnswerIsIgnored() async throws {
        let clock = ManualTimerSource()
        try await withServer(serverOptions(clock: clock)) { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let results = Recorder<Result<[JSONValue], SocketIOError>>()
            try socket.timeout(.milliseconds(100)).emit("first", []) { results.append($0) }
            let first = try await client.nextEvent()
            #expect(await clock.advanceWhenArmed(.milliseconds(100)))
            #expect(await eventually { results.values.count == 1 })
            try await client.sendAck(try #require(first.ackID), "too late")

            async let second = socket.emitWithAck("second")
            let event = try await client.nextEvent()
            try await client.sendAck(try #require(event.ackID), "ok")
            #expect(try await second == "ok")
            #expect(results.values.count == 1)
            if case .failure(let error) = results.values.first {
                #expect(error == .ackTimeout)
            } else {
                Issue.record("expected a timeout, got \(results.values)")
            }
            await client.close()
        }
    }

    @Test("a pending ack fails with disconnected when the socket disconnects")
    func pendingAckFailsOnDisconnect() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let result = Signal<Result<[JSONValue], SocketIOError>>()
            try socket.emit("never-answered", []) { result.set($0) }
            _ = try await client.nextEvent()
            try await client.disconnect()
            let outcome = try #require(await result.wait())
            #expect(throws: SocketIOError.disconnected) { try outcome.get() }
            await client.close()
        }
    }

    @Test("emit with an ack on a disconnected socket fails at once with disconnected")
    func ackOnDisconnectedSocket() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            try await client.disconnect()
            #expect(await eventually { !socket.connected })
            await #expect(throws: SocketIOError.disconnected) {
                _ = try await socket.emitWithAck("anyone?")
            }
            await client.close()
        }
    }

    @Test("a broadcast with acks gathers one reply per client")
    func broadcastAckGathersEveryReply() async throws {
        try await withServer { io, port in
            let clients = [
                try await TestSocketIOClient.connect(port: port),
                try await TestSocketIOClient.connect(port: port),
                try await TestSocketIOClient.connect(port: port),
            ]
            async let replies = io.timeout(.seconds(5)).emitWithAck("vote", "now")
            for (index, client) in clients.enumerated() {
                let event = try await client.nextEvent()
                #expect(event.arguments == ["now"])
                try await client.sendAck(try #require(event.ackID), .int(Int64(index)))
            }
            let answers = try await replies
            // As in Node, each client's reply is the first argument it acknowledged with.
            #expect(answers.count == 3)
            #expect(Set(answers) == [0, 1, 2])
            for client in clients { await client.close() }
        }
    }

    @Test("a broadcast with acks and no timeout still gathers every reply")
    func broadcastAckWithoutTimeout() async throws {
        try await withServer { io, port in
            let a = try await TestSocketIOClient.connect(port: port)
            let b = try await TestSocketIOClient.connect(port: port)
            async let replies = io.emitWithAck("ping")
            for client in [a, b] {
                let event = try await client.nextEvent()
                try await client.sendAck(try #require(event.ackID), "pong")
            }
            #expect(try await replies == ["pong", "pong"])
            await a.close()
            await b.close()
        }
    }

    @Test("a client's broadcast reply is its first acknowledged argument, null when it gave none")
    func broadcastReplyIsTheFirstArgument() async throws {
        try await withServer { io, port in
            let many = try await TestSocketIOClient.connect(port: port)
            let none = try await TestSocketIOClient.connect(port: port)
            async let replies = io.timeout(.seconds(5)).emitWithAck("q")
            let first = try await many.nextEvent()
            try await many.sendAck(try #require(first.ackID), "one", "two")
            let second = try await none.nextEvent()
            try await none.sendAck(try #require(second.ackID))
            #expect(Set(try await replies) == ["one", nil])
            await many.close()
            await none.close()
        }
    }

    @Test("a broadcast ack callback, room-targeted, gets only the room members' replies")
    func broadcastAckCallbackToRoom() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (a, sa) = try await connectClient(port: port, collector: sockets)
            let (b, _) = try await connectClient(port: port, collector: sockets)
            sa.join("team")
            let result = Signal<Result<[JSONValue], any Error>>()
            try io.to("team").timeout(.seconds(5)).emit("q", [1]) { result.set($0) }
            let event = try await a.nextEvent()
            try await a.sendAck(try #require(event.ackID), "a")
            let outcome = try #require(await result.wait())
            #expect(try outcome.get() == ["a"])
            try io.emit("marker")
            #expect(try await b.nextEvent().name == "marker")
            await a.close()
            await b.close()
        }
    }

    @Test("a broadcast ack to nobody completes at once with no replies")
    func broadcastAckToNobody() async throws {
        try await withServer { io, _ in
            let replies = try await io.to("empty").timeout(.seconds(5)).emitWithAck("anyone")
            #expect(replies.isEmpty)
        }
    }

    @Test("a broadcast ack timeout fails with BroadcastAckTimeout holding the replies that came")
    func broadcastAckTimeoutKeepsPartialReplies() async throws {
        let clock = ManualTimerSource()
        try await withServer(serverOptions(clock: clock)) { io, port in
            let quick1 = try await TestSocketIOClient.connect(port: port)
            let quick2 = try await TestSocketIOClient.connect(port: port)
            let silent = try await TestSocketIOClient.connect(port: port)
            let result = Signal<Result<[JSONValue], any Error>>()
            try io.timeout(.milliseconds(1500)).emit("poll", []) { result.set($0) }
            for client in [quick1, quick2] {
                let event = try await client.nextEvent()
                try await client.sendAck(try #require(event.ackID), "yes")
                try await roundTrip(client, in: io)
            }
            #expect(try await silent.nextEvent().name == "poll")
            #expect(await clock.advanceWhenArmed(.milliseconds(1500)))
            let outcome = try #require(await result.wait())
            switch outcome {
            case .success(let replies):
                Issue.record("expected a timeout, got \(replies)")
            case .failure(let error):
                let timeout = try #require(error as? BroadcastAckTimeout, "unexpected error \(error)")
                #expect(timeout.responses == ["yes", "yes"])
                #expect(timeout.expected == 3)
            }
            await quick1.close()
            await quick2.close()
            await silent.close()
        }
    }

    @Test("namespace.emitWithAck with a timeout throws BroadcastAckTimeout when a client stays silent")
    func namespaceEmitWithAckThrowsOnTimeout() async throws {
        let clock = ManualTimerSource()
        try await withServer(serverOptions(clock: clock)) { io, port in
            let admin = io.of("/admin")
            let silent = try await TestSocketIOClient.connect(port: port, namespace: "/admin")
            let replies = Task { try await admin.timeout(.milliseconds(200)).emitWithAck("hello") }
            #expect(try await silent.nextEvent().name == "hello")
            #expect(await clock.advanceWhenArmed(.milliseconds(200)))
            await #expect(throws: BroadcastAckTimeout.self) { _ = try await replies.value }
            await silent.close()
        }
    }

    @Test("the ack callback of a broadcast runs once, even if a reply comes after the timeout")
    func broadcastAckCallbackRunsOnce() async throws {
        let clock = ManualTimerSource()
        try await withServer(serverOptions(clock: clock)) { io, port in
            let late = try await TestSocketIOClient.connect(port: port)
            let calls = Recorder<String>()
            try io.timeout(.milliseconds(150)).emit("q", []) { result in
                switch result {
                case .success: calls.append("success")
                case .failure: calls.append("failure")
                }
            }
            let event = try await late.nextEvent()
            #expect(await clock.advanceWhenArmed(.milliseconds(150)))
            #expect(await eventually { !calls.values.isEmpty })
            try await late.sendAck(try #require(event.ackID), "late")
            // A round trip through the same connection proves the late ack was processed.
            let sockets = io.sockets.sockets
            guard let socket = sockets.values.first else {
                Issue.record("no server socket")
                return
            }
            async let pong = socket.emitWithAck("sync")
            let sync = try await late.nextEvent()
            try await late.sendAck(try #require(sync.ackID), "synced")
            #expect(try await pong == "synced")
            #expect(calls.values == ["failure"])
            await late.close()
        }
    }

    @Test("a broadcast ack whose target disconnects before answering times out with the replies that came")
    func broadcastAckTargetDisconnects() async throws {
        let clock = ManualTimerSource()
        try await withServer(serverOptions(clock: clock)) { io, port in
            let answers = try await TestSocketIOClient.connect(port: port)
            let leaves = try await TestSocketIOClient.connect(port: port)
            let result = Signal<Result<[JSONValue], any Error>>()
            try io.timeout(.milliseconds(1500)).emit("q", []) { result.set($0) }
            let event = try await answers.nextEvent()
            try await answers.sendAck(try #require(event.ackID), "here")
            try await roundTrip(answers, in: io)
            _ = try await leaves.nextEvent()
            let leaving = try #require(leaves.sid())
            await leaves.close()
            #expect(await eventually { io.sockets.sockets[leaving] == nil })
            #expect(await clock.advanceWhenArmed(.milliseconds(1500)))
            let outcome = try #require(await result.wait())
            switch outcome {
            case .success(let replies):
                Issue.record("expected a timeout, got \(replies)")
            case .failure(let error):
                let timeout = try #require(error as? BroadcastAckTimeout)
                #expect(timeout.responses == ["here"])
                #expect(timeout.expected == 2)
            }
            await answers.close()
        }
    }
}
