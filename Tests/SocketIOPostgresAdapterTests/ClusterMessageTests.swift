import SocketIO
@testable import SocketIOPostgresAdapter
import Testing

/// Every message type in the JSON shape Node's `ClusterAdapter` writes and reads.
@Suite struct ClusterMessageTests {
    private func json(_ message: ClusterMessage) throws -> String { try message.json.jsonString() }

    @Test func heartbeatsAndCloseCarryNoData() throws {
        for type in [ClusterMessageType.initialHeartbeat, .heartbeat, .adapterClose] {
            let text = try json(ClusterMessage(uid: "0123456789abcdef", nsp: "/", type: type))
            #expect(text == "{\"uid\":\"0123456789abcdef\",\"nsp\":\"/\",\"type\":\(type.rawValue)}")
        }
    }

    @Test func broadcastCarriesPacketAndOptions() throws {
        var options = BroadcastOptions(rooms: ["r1"], except: ["x"])
        options.flags.volatile = true
        let packet = SocketIOPacket.event("ev", [1, "two"], namespace: "/chat")
        let message = ClusterMessage(uid: "u", nsp: "/chat", type: .broadcast, data: [
            "packet": ClusterMessage.encode(packet), "opts": ClusterMessage.encode(options),
        ])
        #expect(try json(message) == #"{"uid":"u","nsp":"/chat","type":3,"data":{"packet":{"type":2,"data":["ev",1,"two"],"nsp":"/chat"},"opts":{"rooms":["r1"],"except":["x"],"flags":{"volatile":true}}}}"#)
        let decoded = try #require(ClusterMessage(json: try JSONValue(parsing: json(message))))
        #expect(decoded == message)
        let back = ClusterMessage.decodeOptions(decoded.data?["opts"])
        #expect(back.rooms == ["r1"] && back.except == ["x"] && back.flags.volatile)
        let packetBack = try #require(ClusterMessage.decodePacket(decoded.data?["packet"], namespace: "/chat"))
        #expect(packetBack.eventName == "ev" && Array(packetBack.arguments) == [1, "two"])
    }

    @Test func optionsRoundTripEveryFlag() {
        var options = BroadcastOptions(rooms: ["a", "b"])
        options.flags.local = true
        options.flags.compress = false
        options.flags.timeout = .milliseconds(1500)
        let encoded = ClusterMessage.encode(options)
        #expect(encoded["flags"] == ["compress": false, "local": true, "timeout": 1500])
        let decoded = ClusterMessage.decodeOptions(encoded)
        #expect(decoded.flags.local && !decoded.flags.compress && decoded.flags.timeout == .milliseconds(1500))
    }

    @Test func responsesAreRecognisedByRequestID() throws {
        let text = #"{"uid":"a","nsp":"/","type":11,"data":{"requestId":"r1","clientCount":3}}"#
        let message = try #require(ClusterMessage(json: try JSONValue(parsing: text)))
        #expect(message.type == .broadcastClientCount)
        #expect(message.type.isResponse)
        #expect(message.requestID == "r1")
        #expect(message.data?["clientCount"] == 3)
    }

    @Test func attachmentHeaderWithoutNamespaceDecodes() throws {
        let message = try #require(ClusterMessage(json: try JSONValue(parsing: #"{"uid":"a","type":3,"attachmentId":"42"}"#)))
        #expect(message.nsp.isEmpty && message.data == nil)
    }

    @Test func malformedMessagesAreRejected() throws {
        for text in [#"[]"#, #"{"uid":1,"type":3}"#, #"{"uid":"a","type":99}"#, #"{"uid":"a"}"#, #"{"type":3}"#] {
            #expect(ClusterMessage(json: try JSONValue(parsing: text)) == nil, "\(text)")
        }
    }

    @Test func fetchedSocketsCarryHandshakeRoomsAndData() throws {
        let handshake = Handshake(headers: ["host": "x"], time: "t", address: "127.0.0.1", xdomain: false, secure: false,
                                  issued: 5, url: "/socket.io/", query: ["EIO": "4"], auth: ["token": "abc"])
        let io = SocketIOServer()
        let socket = RemoteSocket(id: "s1", handshake: handshake, rooms: ["s1", "r"], data: ["name": "alice"], namespace: io.sockets)
        let encoded = ClusterMessage.encode(socket)
        #expect(encoded["rooms"] == ["r", "s1"])
        let decoded = try #require(ClusterMessage.decodeSocket(encoded, namespace: io.sockets))
        #expect(decoded.id == "s1" && decoded.rooms == ["s1", "r"] && decoded.data == ["name": "alice"])
        #expect(decoded.handshake == handshake)
    }

    @Test("a fetched socket's repeated query parameter crosses the cluster as an array and comes back whole")
    func fetchedSocketsKeepRepeatedQueryParameters() throws {
        let handshake = Handshake(headers: ["cookie": "a=1; b=2"], time: "t", address: "127.0.0.1", xdomain: false, secure: false,
                                  issued: 5, url: "/socket.io/?tag=a&tag=b", query: ["EIO": "4", "tag": ["a", "b"]], auth: [:])
        let io = SocketIOServer()
        let socket = RemoteSocket(id: "s1", handshake: handshake, rooms: ["s1"], data: .null, namespace: io.sockets)
        let encoded = ClusterMessage.encode(socket)
        #expect(encoded["handshake"]?["query"]?["tag"] == ["a", "b"])
        let decoded = try #require(ClusterMessage.decodeSocket(encoded, namespace: io.sockets))
        #expect(decoded.handshake == handshake)
    }

    @Test func idsAreSixteenHexCharacters() {
        let id = ClusterMessage.randomID()
        #expect(id.count == 16 && id.allSatisfy(\.isHexDigit))
    }
}
