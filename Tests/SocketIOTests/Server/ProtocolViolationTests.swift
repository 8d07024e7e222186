import SocketIO
import Testing
@testable import TestSupport

/// Bad input from one client ends that client's connection with the protocol's error and
/// leaves everyone else running (DESIGN: "Bad input never crashes the process…").
@Suite("Protocol violations")
struct ProtocolViolationTests {
    /// Connects a victim and a bystander, sends `violation` from the victim, and checks that
    /// only the victim's connection ends, with `reason`.
    private func expectConnectionEnds(
        reason: DisconnectReason = .parseError,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ violation: @escaping @Sendable (TestSocketIOClient) async throws -> Void
    ) async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (victim, victimSocket) = try await connectClient(port: port, collector: sockets)
            let (bystander, bystanderSocket) = try await connectClient(port: port, collector: sockets)
            let got = Recorder<String>()
            victimSocket.onAny { event, _ in got.append(event) }
            let ended = Signal<DisconnectReason>()
            victimSocket.onDisconnect { r, _ in ended.set(r) }

            try await violation(victim)
            let packets = try await victim.packetsUntilClose()
            #expect(packets.isEmpty, "unexpected packets before the close: \(packets)", sourceLocation: sourceLocation)
            #expect(await ended.wait() == reason, sourceLocation: sourceLocation)
            #expect(got.values.isEmpty, "a bad packet reached the listeners: \(got.values)", sourceLocation: sourceLocation)

            #expect(bystanderSocket.connected, sourceLocation: sourceLocation)
            try io.emit("still-running")
            #expect(try await bystander.nextEvent().name == "still-running", sourceLocation: sourceLocation)
            await bystander.close()
        }
    }

    @Test("an unknown packet type closes the connection")
    func unknownPacketType() async throws {
        try await expectConnectionEnds { try await $0.sendEngineText("47[\"x\"]") }
    }

    @Test("an event whose payload is not an array closes the connection")
    func eventPayloadNotAnArray() async throws {
        try await expectConnectionEnds { try await $0.sendEngineText(#"42{"a":1}"#) }
    }

    @Test("an event without a name closes the connection")
    func eventWithoutName() async throws {
        try await expectConnectionEnds { try await $0.sendEngineText("42[]") }
    }

    @Test("an event with truncated JSON closes the connection")
    func truncatedJSON() async throws {
        try await expectConnectionEnds { try await $0.sendEngineText(#"42["chat","unterminated"#) }
    }

    @Test("a client event with a reserved name closes the connection, as Node's parser refuses it")
    func clientReservedEventName() async throws {
        try await expectConnectionEnds { try await $0.sendEngineText(#"42["disconnect","fake"]"#) }
    }

    @Test("an ack whose payload is not an array closes the connection")
    func ackPayloadNotAnArray() async throws {
        try await expectConnectionEnds { try await $0.sendEngineText(#"431{"a":1}"#) }
    }

    @Test("a CONNECT whose auth is not an object closes the connection")
    func connectAuthNotAnObject() async throws {
        try await expectConnectionEnds { try await $0.sendEngineText(#"40/admin,[1]"#) }
    }

    @Test("more attachments than maxAttachments closes the connection")
    func tooManyAttachments() async throws {
        try await expectConnectionEnds { client in
            let placeholders = (0..<11).map { #"{"_placeholder":true,"num":\#($0)}"# }.joined(separator: ",")
            try await client.sendEngineText(#"4511-["many",\#(placeholders)]"#)
        }
    }

    @Test("JSON nested deeper than maxJSONDepth closes the connection")
    func tooDeep() async throws {
        try await expectConnectionEnds { client in
            let depth = 40
            try await client.sendEngineText(#"42["deep","# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "]")
        }
    }

    @Test("a binary message with no packet waiting for it closes the connection")
    func strayBinary() async throws {
        try await expectConnectionEnds { try await $0.webSocket.send(binary: [1, 2, 3]) }
    }

    @Test("a text packet while attachments are due closes the connection")
    func textWhileReconstructing() async throws {
        try await expectConnectionEnds { client in
            try await client.sendEngineText(#"451-["bin",{"_placeholder":true,"num":0}]"#)
            try await client.sendEngineText(#"42["chat"]"#)
        }
    }

    @Test("a DISCONNECT for a namespace the client never joined closes the connection")
    func disconnectForUnjoinedNamespace() async throws {
        try await expectConnectionEnds(reason: .forcedServerClose) { try await $0.disconnect(namespace: "/never") }
    }

    @Test("a CONNECT_ERROR sent by the client closes the connection")
    func clientSendsConnectError() async throws {
        try await expectConnectionEnds(reason: .forcedServerClose) { try await $0.sendEngineText(#"44{"message":"x"}"#) }
    }

    @Test("an ack for an unknown id is ignored and the connection stays")
    func ackForUnknownIDIsIgnored() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            try await client.sendAck(424_242, "nobody asked")
            try socket.emit("marker")
            #expect(try await client.nextEvent().name == "marker")
            #expect(socket.connected)
            await client.close()
        }
    }

    @Test("a client acknowledging a broadcast twice is counted once")
    func duplicateBroadcastAckCountedOnce() async throws {
        let clock = ManualTimerSource()
        try await withServer(serverOptions(clock: clock)) { io, port in
            let twice = try await TestSocketIOClient.connect(port: port)
            let silent = try await TestSocketIOClient.connect(port: port)
            let result = Signal<Result<[JSONValue], any Error>>()
            try io.timeout(.milliseconds(1500)).emit("q", []) { result.set($0) }
            let event = try await twice.nextEvent()
            let id = try #require(event.ackID)
            try await twice.sendAck(id, "first")
            try await twice.sendAck(id, "again")
            try await roundTrip(twice, in: io)
            _ = try await silent.nextEvent()
            #expect(await clock.advanceWhenArmed(.milliseconds(1500)))
            let outcome = try #require(await result.wait())
            switch outcome {
            case .success(let replies):
                Issue.record("the silent client was never heard from, yet the broadcast completed with \(replies)")
            case .failure(let error):
                let timeout = try #require(error as? BroadcastAckTimeout)
                #expect(timeout.responses == ["first"])
                #expect(timeout.expected == 2)
            }
            await twice.close()
            await silent.close()
        }
    }
}
