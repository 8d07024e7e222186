import Foundation
import SocketIO
import Testing
@testable import TestSupport

@Suite("Connection and handshake")
struct ConnectionTests {
    @Test("a CONNECT to the main namespace is answered with the socket's id, distinct from the engine id")
    func connectIsAnsweredWithTheSocketID() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let client = try await TestSocketIOClient.connect(port: port)
            let sid = try #require(client.sid())
            let socket = try await sockets.socket(sid)
            #expect(socket.id == sid)
            #expect(sid != client.engineSID)
            #expect(socket.conn.id == client.engineSID)
            #expect(socket.client.conn.id == client.engineSID)
            #expect(socket.namespace.name == "/")
            #expect(socket.connected)
            #expect(!socket.recovered)
            do { let identical = io.sockets.sockets[sid] === socket; #expect(identical) }
            await client.close()
        }
    }

    @Test("the CONNECT answer carries only the sid when recovery is off")
    func connectAnswerCarriesOnlyTheSid() async throws {
        try await withServer { io, port in
            let client = try await TestSocketIOClient.open(port: port)
            try await client.send(TestSocketIOPacket(kind: .connect))
            let reply = try await client.nextPacket()
            #expect(reply.kind == .connect)
            #expect(reply.namespace == "/")
            let data = try #require(try reply.data())
            #expect(data.objectValue?.keys == ["sid"])
            #expect(data["sid"]?.stringValue?.isEmpty == false)
            await client.close()
        }
    }

    @Test("each connection gets its own socket id")
    func eachConnectionGetsItsOwnSocketID() async throws {
        try await withServer { io, port in
            let first = try await TestSocketIOClient.connect(port: port)
            let second = try await TestSocketIOClient.connect(port: port)
            #expect(first.sid() != nil)
            #expect(first.sid() != second.sid())
            #expect(first.engineSID != second.engineSID)
            await first.close()
            await second.close()
        }
    }

    @Test("handshake.auth is the CONNECT packet's auth object")
    func handshakeAuthIsTheConnectPayload() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(
                port: port, collector: sockets, auth: #"{"token":"s3cret","n":1,"nested":{"a":[true,null]}}"#
            )
            #expect(socket.handshake.auth == ["token": "s3cret", "n": 1, "nested": ["a": [true, nil]]])
            await client.close()
        }
    }

    @Test("handshake.auth is empty when the CONNECT has no payload")
    func handshakeAuthIsEmptyWithoutPayload() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            #expect(socket.handshake.auth.isEmpty)
            await client.close()
        }
    }

    @Test("handshake.query holds the first request's query parameters, EIO and transport included")
    func handshakeQueryHoldsTheRequestQuery() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets, query: "room=lobby&user=ada%20l")
            #expect(socket.handshake.query["room"] == "lobby")
            #expect(socket.handshake.query["user"] == "ada l")
            #expect(socket.handshake.query["EIO"] == "4")
            #expect(socket.handshake.query["transport"] == "websocket")
            await client.close()
        }
    }

    @Test("handshake.url is the first request's target, query included")
    func handshakeURLIsTheRequestTarget() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets, query: "k=v")
            #expect(socket.handshake.url == "/socket.io/?EIO=4&transport=websocket&k=v")
            #expect(socket.request.uri == socket.handshake.url)
            await client.close()
        }
    }

    @Test("handshake.headers has the request's headers under lower-case names")
    func handshakeHeadersAreLowerCased() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(
                port: port, collector: sockets, headers: [("X-Custom-Header", "hello"), ("User-Agent", "swift-test")]
            )
            #expect(socket.handshake.headers["x-custom-header"] == "hello")
            #expect(socket.handshake.headers["user-agent"] == "swift-test")
            #expect(socket.handshake.headers["host"] == "127.0.0.1:\(port)")
            #expect(socket.handshake.headers["upgrade"]?.lowercased() == "websocket")
            #expect(socket.handshake.headers.keys.allSatisfy { $0 == $0.lowercased() })
            await client.close()
        }
    }

    @Test("handshake.address is the client's IP address")
    func handshakeAddressIsTheClientIP() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            #expect(socket.handshake.address == "127.0.0.1")
            await client.close()
        }
    }

    @Test("handshake.xdomain is false without an Origin header and true with one")
    func handshakeXdomainFollowsOrigin() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (plain, plainSocket) = try await connectClient(port: port, collector: sockets)
            let (crossSite, crossSocket) = try await connectClient(
                port: port, collector: sockets, headers: [("Origin", "http://example.com")]
            )
            #expect(plainSocket.handshake.xdomain == false)
            #expect(crossSocket.handshake.xdomain == true)
            #expect(plainSocket.handshake.secure == false)
            await plain.close()
            await crossSite.close()
        }
    }

    @Test("handshake.issued is the connection time in milliseconds and handshake.time prints it as JavaScript does")
    func handshakeIssuedAndTime() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let before = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let after = Int64((Date().timeIntervalSince1970 * 1000).rounded(.up))
            let issued = socket.handshake.issued
            #expect(issued >= before && issued <= after, "issued \(issued) not within [\(before), \(after)]")

            // Date.prototype.toString(): "Wed Jun 05 2024 12:34:56 GMT+0000 (Coordinated Universal Time)"
            let time = socket.handshake.time
            let shape = #/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{4} \d{2}:\d{2}:\d{2} GMT[+-]\d{4} \(.+\)$/#
            #expect(time.wholeMatch(of: shape) != nil, "unexpected time format: \(time)")
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = "EEE MMM dd yyyy HH:mm:ss 'GMT'Z"
            let parsed = try #require(formatter.date(from: String(time.prefix { $0 != "(" }).trimmingCharacters(in: .whitespaces)))
            let issuedSeconds = Double(issued) / 1000
            #expect(abs(parsed.timeIntervalSince1970 - issuedSeconds) < 1.5, "time \(time) is not issued \(issued)")
            await client.close()
        }
    }

    @Test("handshake.json carries every field in Node's shape and reads back unchanged")
    func handshakeJSONRoundTrips() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets, auth: #"{"a":1}"#, query: "q=1")
            let json = socket.handshake.json
            for key in ["headers", "time", "address", "xdomain", "secure", "issued", "url", "query", "auth"] {
                #expect(json[key] != nil, "missing \(key)")
            }
            #expect(Handshake(json: json) == socket.handshake)
            await client.close()
        }
    }

    @Test("the connection listener runs before the client's first event reaches a handler")
    func connectionListenerRunsBeforeTheFirstEvent() async throws {
        try await withServer { io, port in
            let got = Signal<[JSONValue]>()
            io.onConnection { socket in
                socket.on("hello") { arguments, _ in got.set(arguments) }
            }
            let client = try await TestSocketIOClient.connect(port: port)
            try await client.emit("hello", "world", 42)
            #expect(await got.wait() == ["world", 42])
            await client.close()
        }
    }

    @Test("a socket can emit from its connection listener and the client receives it after the CONNECT answer")
    func emitFromTheConnectionListener() async throws {
        try await withServer { io, port in
            io.onConnection { socket in
                try? socket.emit("welcome", .string(socket.id))
            }
            let client = try await TestSocketIOClient.connect(port: port)
            let event = try await client.nextEvent()
            #expect(event.name == "welcome")
            #expect(event.arguments == [.string(try #require(client.sid()))])
            await client.close()
        }
    }

    @Test("socket.send and io.send deliver a \"message\" event")
    func sendDeliversAMessageEvent() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            socket.send("one", 1)
            io.send("two")
            #expect(try await client.nextEvent() == ReceivedEvent(namespace: "/", name: "message", arguments: ["one", 1]))
            #expect(try await client.nextEvent() == ReceivedEvent(namespace: "/", name: "message", arguments: ["two"]))
            await client.close()
        }
    }

    @Test("socket.data starts null and keeps what the server stores")
    func socketDataKeepsValues() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            #expect(socket.data == nil)
            socket.data = ["user": "ada", "level": 3]
            #expect(socket.data["user"] == "ada")
            await client.close()
        }
    }

    @Test("a connection that joins no namespace within connectTimeout is closed, a joined one is kept")
    func connectTimeoutClosesIdleConnections() async throws {
        let clock = ManualTimerSource()
        try await withServer(serverOptions(clock: clock) { $0.connectTimeout = .seconds(2) }) { io, port in
            let joined = try await TestSocketIOClient.connect(port: port)
            let idle = try await TestSocketIOClient.open(port: port)
            // Each connection armed the timer; joining cancelled the joined one's.
            #expect(await eventually { clock.pendingDelays.filter { $0 == .seconds(2) }.count == 1 })
            clock.advance(by: .seconds(2))
            let packets = try await idle.packetsUntilClose()
            #expect(packets.isEmpty)
            // The joined connection outlived the same timer: it still answers.
            let sid = try #require(joined.sid())
            let socket = try #require(io.sockets.sockets[sid])
            try socket.emit("still-here")
            #expect(try await joined.nextEvent().name == "still-here")
            await joined.close()
        }
    }

    @Test("the server keeps a connection whose client answers pings, across several ping intervals")
    func answeredPingsKeepTheConnection() async throws {
        let clock = ManualTimerSource()
        // A timeout shorter than the four intervals below: only the pongs keep it from firing.
        let options = serverOptions(clock: clock) {
            $0.engine.pingInterval = .milliseconds(100)
            $0.engine.pingTimeout = .milliseconds(150)
        }
        try await withServer(options) { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let reasons = Recorder<DisconnectReason>()
            socket.onDisconnect { reason, _ in reasons.append(reason) }
            for answered in 1...4 {
                // The next interval is armed once the server has the previous pong.
                #expect(await clock.advanceWhenArmed(.milliseconds(100)))
                #expect(await eventually { client.pingsAnswered >= answered })
            }
            #expect(await clock.advanceWhenArmed(.milliseconds(100)))
            #expect(reasons.values.isEmpty)
            #expect(socket.connected)
            await client.close()
        }
    }

    @Test("a header sent twice appears once in handshake.headers, its values joined with \", \"")
    func repeatedHeadersAreJoined() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(
                port: port, collector: sockets, headers: [("X-Dup", "a"), ("X-Dup", "b")]
            )
            #expect(socket.handshake.headers["x-dup"] == "a, b")
            await client.close()
        }
    }

    @Test("handshake.query decodes \"+\" as a space, as Node's querystring does")
    func queryPlusIsASpace() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets, query: "name=ada+lovelace&sym=%2B")
            #expect(socket.handshake.query["name"] == "ada lovelace")
            #expect(socket.handshake.query["sym"] == "+")
            await client.close()
        }
    }

    @Test("a socket disconnected by its own connection listener: the client gets CONNECT then DISCONNECT")
    func disconnectFromConnectionListener() async throws {
        try await withServer { io, port in
            let reasons = Recorder<DisconnectReason>()
            io.onConnection { socket in
                socket.onDisconnect { r, _ in reasons.append(r) }
                socket.disconnect()
            }
            let client = try await TestSocketIOClient.connect(port: port)
            #expect(try await client.nextPacket() == TestSocketIOPacket(kind: .disconnect))
            #expect(await eventually { reasons.values == [.serverNamespaceDisconnect] })
            await client.close()
        }
    }
}
