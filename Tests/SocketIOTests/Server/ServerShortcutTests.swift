import EngineIO
import NIOCore
import NIOPosix
import NIOTLS
import SocketIO
import Testing
@testable import TestSupport

/// Node's server-level shortcuts and connection details that a port relies on.
@Suite("Server shortcuts and connection details")
struct ServerShortcutTests {
    /// Stands in for NIOSSL's server handler: reports a completed TLS handshake.
    final class TLSHandshakeReporter: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        func channelActive(context: ChannelHandlerContext) {
            context.fireChannelActive()
            context.fireUserInboundEventTriggered(TLSUserEvent.handshakeCompleted(negotiatedProtocol: nil))
        }
    }

    @Test("handshake.secure is true behind a TLS handler and false on plain TCP, as Node's connection.encrypted")
    func handshakeSecure() async throws {
        let io = SocketIOServer()
        let sockets = SocketCollector(io.sockets)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TLSHandshakeReporter())
                    try io.attach(channel: channel, passThrough: false)
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        let (client, socket) = try await connectClient(port: port, collector: sockets)
        #expect(socket.handshake.secure)
        await client.close()
        await io.close()
        try await server.close()

        try await withServer { io, port in
            let plain = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: plain)
            #expect(!socket.handshake.secure)
            await client.close()
        }
    }

    @Test("client.request is the request that opened the connection (Node's client.request)")
    func clientRequest() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets, query: "token=abc")
            #expect(socket.client.request.query["token"] == "abc")
            #expect(socket.client.request.path == "/socket.io/")
            await client.close()
        }
    }

    @Test("io.path reports the engine's real path without the trailing slash, as Node's server.path()")
    func pathIsTheEngines() async {
        let io = SocketIOServer()
        #expect(io.path == "/socket.io")
        var options = EngineOptions()
        options.path = "/custom/"
        let custom = SocketIOServer(engine: EngineServer(options: options))
        #expect(custom.path == "/custom")
        await io.close()
        await custom.close()
    }

    @Test("io.onConnect is Node's server-level connect event, an alias of connection")
    func serverConnectEvent() async throws {
        try await withServer { io, port in
            let connected = Signal<String>()
            io.onConnect { socket in connected.set(socket.id) }
            let client = try await TestSocketIOClient.connect(port: port)
            #expect(await connected.wait() == client.sid())
            await client.close()
        }
    }

    @Test("socket.in([rooms]) and io.socketsJoin([rooms]) / socketsLeave([rooms]) take arrays, as Node")
    func arrayOverloads() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (sender, senderSocket) = try await connectClient(port: port, collector: sockets)
            let (member, _) = try await connectClient(port: port, collector: sockets)
            io.socketsJoin(["a", "b"])
            #expect(await eventually { io.sockets.adapter.rooms["b"]?.count == 2 })
            try senderSocket.in(["a", "b"]).emit("to-rooms")
            #expect(try await member.nextEvent().name == "to-rooms")
            io.socketsLeave(["a", "b"])
            #expect(await eventually { io.sockets.adapter.rooms["a"] == nil && io.sockets.adapter.rooms["b"] == nil })
            await sender.close()
            await member.close()
        }
    }

    @Test("socket.send with an ack sends a message event and calls back with every reply argument, as Node's send(...args, cb)")
    func sendWithAck() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets)
            let replies = Recorder<[JSONValue]>()
            socket.send(["hi"]) { if case .success(let arguments) = $0 { replies.append(arguments) } }
            let event = try await client.nextEvent()
            #expect(event.name == "message" && event.arguments == ["hi"])
            try await client.sendAck(try #require(event.ackID), "x", "y")
            #expect(await eventually { replies.values == [["x", "y"]] })
            await client.close()
        }
    }
}
