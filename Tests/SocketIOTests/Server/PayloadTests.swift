import NIOCore
import SocketIO
import Testing
@testable import TestSupport

@Suite("Payloads: binary, Codable, reserved names")
struct PayloadTests {
    private static let bytesA: [UInt8] = [0, 1, 2, 255]
    private static let bytesB: [UInt8] = Array("hello".utf8)

    // MARK: Binary

    @Test("a client's binary argument reaches the handler as binary")
    func clientBinaryArgument() async throws {
        try await withServer { io, port in
            let got = Signal<[JSONValue]>()
            io.onConnection { socket in socket.on("upload") { args, _ in got.set(args) } }
            let client = try await TestSocketIOClient.connect(port: port)
            try await client.emit(
                "upload",
                argumentsJSON: #"{"_placeholder":true,"num":0},"name""#,
                attachments: [Self.bytesA]
            )
            #expect(await got.wait() == [.binary(ByteBuffer(bytes: Self.bytesA)), "name"])
            await client.close()
        }
    }

    @Test("nested binary arguments from the client are put back at their places")
    func clientNestedBinary() async throws {
        try await withServer { io, port in
            let got = Signal<[JSONValue]>()
            io.onConnection { socket in socket.on("files") { args, _ in got.set(args) } }
            let client = try await TestSocketIOClient.connect(port: port)
            try await client.emit(
                "files",
                argumentsJSON: #"{"list":[{"_placeholder":true,"num":1},{"deep":{"_placeholder":true,"num":0}}],"n":2}"#,
                attachments: [Self.bytesA, Self.bytesB]
            )
            let expected: JSONValue = [
                "list": [.binary(ByteBuffer(bytes: Self.bytesB)), ["deep": .binary(ByteBuffer(bytes: Self.bytesA))]],
                "n": 2,
            ]
            #expect(await got.wait() == [expected])
            await client.close()
        }
    }

    @Test("a binary event in a custom namespace with an ack id keeps both")
    func binaryEventWithNamespaceAndAck() async throws {
        try await withServer { io, port in
            io.of("/files").onConnection { socket in
                socket.on("size") { args, ack in
                    ack?(.int(Int64(args.first?.binaryValue?.readableBytes ?? -1)))
                }
            }
            let client = try await TestSocketIOClient.connect(port: port, namespace: "/files")
            try await client.emit("size", .binary(ByteBuffer(bytes: Self.bytesB)), namespace: "/files", ackID: 12)
            #expect(try await client.nextAck() == ReceivedAck(namespace: "/files", id: 12, arguments: [5]))
            await client.close()
        }
    }

    @Test("a binary argument from the server arrives as BINARY_EVENT with its attachment")
    func serverBinaryArgument() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            try socket.emit("download", .binary(ByteBuffer(bytes: Self.bytesA)), "meta")
            let packet = try await client.nextPacket()
            #expect(packet.kind == .binaryEvent)
            #expect(packet.attachments == [Self.bytesA])
            #expect(try packet.data() == ["download", .binary(ByteBuffer(bytes: Self.bytesA)), "meta"])
            await client.close()
        }
    }

    @Test("nested binary arguments from the server, broadcast to a room, arrive whole")
    func serverNestedBinaryBroadcast() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (a, sa) = try await connectClient(port: port, collector: sockets)
            let (b, sb) = try await connectClient(port: port, collector: sockets)
            sa.join("r")
            sb.join("r")
            let payload: JSONValue = [
                "files": [.binary(ByteBuffer(bytes: Self.bytesA)), ["inner": .binary(ByteBuffer(bytes: Self.bytesB))]],
            ]
            try io.to("r").emit("bundle", payload, .binary(ByteBuffer(bytes: [9])))
            for client in [a, b] {
                let event = try await client.nextEvent()
                #expect(event == ReceivedEvent(namespace: "/", name: "bundle", arguments: [payload, .binary(ByteBuffer(bytes: [9]))]))
            }
            await a.close()
            await b.close()
        }
    }

    @Test("binary acknowledgements travel both ways")
    func binaryAcks() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            socket.on("echo") { args, ack in ack?.send(args) }

            // Client asks, server acks with binary.
            try await client.emit("echo", .binary(ByteBuffer(bytes: Self.bytesA)), ackID: 1)
            let ackPacket = try await client.nextPacket()
            #expect(ackPacket.kind == .binaryAck)
            #expect(try client.decodeAck(ackPacket) == ReceivedAck(namespace: "/", id: 1, arguments: [.binary(ByteBuffer(bytes: Self.bytesA))]))

            // Server asks, client acks with binary.
            async let reply = socket.emitWithAck("give")
            let event = try await client.nextEvent()
            try await client.sendAck(try #require(event.ackID), ["blob": .binary(ByteBuffer(bytes: Self.bytesB))])
            #expect(try await reply == ["blob": .binary(ByteBuffer(bytes: Self.bytesB))])
            await client.close()
        }
    }

    @Test("a binary event missing its attachment is not delivered until it comes")
    func binaryWaitsForAttachments() async throws {
        try await withServer { io, port in
            let got = Signal<[JSONValue]>()
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            socket.on("two") { args, _ in got.set(args) }
            try await client.sendEngineText(#"452-["two",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]"#)
            try await client.webSocket.send(binary: Self.bytesA)
            #expect(got.current == nil)
            try await client.webSocket.send(binary: Self.bytesB)
            #expect(await got.wait() == [.binary(ByteBuffer(bytes: Self.bytesA)), .binary(ByteBuffer(bytes: Self.bytesB))])
            await client.close()
        }
    }

    // MARK: Codable

    struct Message: Codable, Sendable, Equatable {
        var author: String
        var text: String
        var tags: [String]
    }

    @Test("on(_:as:) decodes the first argument and passes the ack")
    func decodableHandler() async throws {
        try await withServer { io, port in
            let got = Signal<Message>()
            io.onConnection { socket in
                socket.on("chat", as: Message.self) { message, ack in
                    got.set(message)
                    ack?("received")
                }
            }
            let client = try await TestSocketIOClient.connect(port: port)
            try await client.emit("chat", ["author": "ada", "text": "hi", "tags": ["x", "y"]], ackID: 2)
            #expect(await got.wait() == Message(author: "ada", text: "hi", tags: ["x", "y"]))
            #expect(try await client.nextAck().arguments == ["received"])
            await client.close()
        }
    }

    @Test("an argument that does not decode reaches the error listeners, not the handler")
    func undecodableArgumentReachesOnError() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let handled = Recorder<Message>()
            let errored = Signal<Bool>()
            socket.on("chat", as: Message.self) { message, _ in handled.append(message) }
            socket.onError { _ in errored.set(true) }
            try await client.emit("chat", ["author": 5])
            #expect(await errored.wait() == true)
            #expect(handled.values.isEmpty)
            #expect(socket.connected)
            await client.close()
        }
    }

    @Test("emit(_:encoding:) sends an Encodable value as a JSON object")
    func encodableEmit() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            try socket.emit("chat", encoding: Message(author: "bob", text: "yo", tags: []))
            let event = try await client.nextEvent()
            #expect(event.name == "chat")
            #expect(event.arguments.count == 1)
            #expect(try event.arguments[0].decode(Message.self) == Message(author: "bob", text: "yo", tags: []))
            await client.close()
        }
    }

    @Test("JSON values of every kind survive the round trip through the server")
    func jsonRoundTrip() async throws {
        try await withServer { io, port in
            io.onConnection { socket in socket.on("echo") { args, ack in ack?.send(args) } }
            let client = try await TestSocketIOClient.connect(port: port)
            let values: [JSONValue] = [
                nil, true, false, 0, -42, 9_007_199_254_740_993, 1.5, "", "ünïcödé ✓ \"quoted\" \\ \n",
                [], [1, [2, [3]]], [:], ["a": ["b": nil]],
            ]
            for (index, value) in values.enumerated() {
                try await client.emit("echo", value, ackID: UInt64(index))
                #expect(try await client.nextAck() == ReceivedAck(namespace: "/", id: UInt64(index), arguments: [value]))
            }
            await client.close()
        }
    }

    // MARK: Reserved names

    static let reserved = ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"]

    @Test("every emit path refuses reserved event names", arguments: PayloadTests.reserved)
    func reservedNamesAreRefused(name: String) async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let expected = SocketIOError.reservedEventName(name)
            #expect(throws: expected) { try socket.emit(name) }
            #expect(throws: expected) { try socket.emit(name, []) { _ in } }
            #expect(throws: expected) { try socket.volatile.emit(name) }
            #expect(throws: expected) { try socket.to("room").emit(name) }
            #expect(throws: expected) { try socket.broadcast.emit(name) }
            #expect(throws: expected) { try io.emit(name) }
            #expect(throws: expected) { try io.to("room").emit(name) }
            #expect(throws: expected) { try io.of("/other").emit(name) }
            #expect(throws: expected) { try io.timeout(.seconds(1)).emit(name, []) { _ in } }
            await #expect(throws: expected) { _ = try await socket.emitWithAck(name) }
            await #expect(throws: expected) { _ = try await io.timeout(.seconds(1)).emitWithAck(name) }
            // Nothing reached the client.
            try socket.emit("marker")
            #expect(try await client.nextEvent().name == "marker")
            await client.close()
        }
    }

    @Test("names that only resemble reserved ones are allowed")
    func nearReservedNamesAreAllowed() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            try socket.emit("Connect")
            try socket.emit("disconnected")
            try socket.emit("message")
            #expect(try await client.nextEvent().name == "Connect")
            #expect(try await client.nextEvent().name == "disconnected")
            #expect(try await client.nextEvent().name == "message")
            await client.close()
        }
    }
}

extension TestSocketIOClient {
    /// Reads an already received packet as an acknowledgement.
    func decodeAck(_ packet: TestSocketIOPacket) throws -> ReceivedAck {
        guard packet.kind.isAck, let id = packet.ackID, case .array(let items)? = try packet.data() else {
            throw TestSocketIOClientError.unexpected("expected an ack, got \(packet)")
        }
        return ReceivedAck(namespace: packet.namespace, id: id, arguments: items)
    }
}
