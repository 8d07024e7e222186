@testable import EngineIO
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing
@testable import TestSupport

/// Attaching to an existing NIO server, closing, slow clients, and the session registry.
@Suite struct EngineServerLifecycleTests {
    /// What an application's own handler answers for the paths the engine passes on.
    final class AppHandler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = unwrapInboundIn(data) else { return }
            let body = ByteBuffer(string: "app")
            let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Length": "3"])
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    @Test func attachedEngineServesItsPathAndPassesTheRestOn() async throws {
        let engine = EngineServer()
        echo(engine)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try engine.configure(channel: channel, passThrough: true)
                    try channel.pipeline.syncOperations.addHandler(AppHandler())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        let app = try await TestHTTPClient.request(port: port, path: "/index.html")
        #expect(app.text == "app")
        let open = try await TestHTTPClient.request(port: port, path: "/engine.io/?EIO=4&transport=polling")
        #expect(open.text.hasPrefix("0{"))
        let ws = try await TestWebSocket.connect(port: port, path: "/engine.io/?EIO=4&transport=websocket")
        guard case .text = try await ws.receive() else { Issue.record("no open"); return }
        try await ws.send(text: "4ping")
        #expect(try await ws.receive() == .text("4ping"))
        await ws.close()
        await engine.close()
        try await server.close()
    }

    @Test func standaloneAnswers404ForOtherPaths() async throws {
        try await withTestEngine { _, port in
            let response = try await TestHTTPClient.request(port: port, method: "POST", path: "/other", body: Array("data".utf8))
            #expect(response.status == 404)
            // The connection stays usable for the engine afterwards (keep-alive is per request here).
            #expect(try await TestHTTPClient.request(port: port, path: "/engine.io/?EIO=4&transport=polling").status == 200)
        }
    }

    @Test func closeEndsEverySessionAndFreesThePort() async throws {
        let reasons = Recorder<EngineCloseReason>()
        let engine = EngineServer()
        engine.onConnection { $0.onClose { reason, _ in reasons.append(reason) } }
        let port = try await engine.listen(port: 0)
        _ = try await openPollingSession(port: port)
        let ws = try await TestWebSocket.connect(port: port, path: "/engine.io/?EIO=4&transport=websocket")
        _ = try await ws.receive()
        #expect(await eventually { engine.clientsCount == 2 })
        await engine.close()
        #expect(engine.clientsCount == 0)
        #expect(reasons.values == [.serverShuttingDown, .serverShuttingDown])
        guard case .closed = try await ws.receive() else { Issue.record("websocket still open"); return }
        // The port is free again.
        let again = EngineServer()
        #expect(try await again.listen(port: port) == port)
        await again.close()
    }

    @Test func clientThatNeverFinishesItsHeadersIsDropped() async throws {
        let clock = ManualTimerSource()
        try await withTestEngine({ $0.timers = clock; $0.requestHeaderTimeout = .seconds(2) }, setUp: echo) { _, port in
            let slow = try await RawTCPConnection.connect(port: port)
            try await slow.send("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n")
            // The timer was armed when the connection opened; the half request is out first.
            #expect(await clock.advanceWhenArmed(.seconds(2)))
            #expect(try await slow.waitForClose(timeout: .seconds(10)))
            // Everyone else is fine.
            #expect(try await TestHTTPClient.request(port: port, path: "/engine.io/?EIO=4&transport=polling").status == 200)
        }
    }

    /// A WebSocket handshake has no body. Accepting one that announces a body left NIO's
    /// upgrade handler waiting for its end, holding the whole connection for ever when it
    /// never came (a client hanging up: about 6.5 KB leaked a connection). It is declined.
    @Test func anUpgradeRequestThatAnnouncesABodyIsDeclined() async throws {
        try await withTestEngine(setUp: echo) { _, port in
            for (announcement, body) in [("Content-Length: 5", "hello"), ("Transfer-Encoding: chunked", "5\r\nhello\r\n0\r\n\r\n")] {
                let client = try await RawTCPConnection.connect(port: port)
                try await client.send(
                    "GET /engine.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: close\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\(announcement)\r\n\r\n\(body)"
                )
                let answer = String(decoding: try await client.readUntilClose(), as: UTF8.self)
                #expect(answer.hasPrefix("HTTP/1.1 400"), "\(announcement): \(answer.prefix(80))")
            }
            #expect(!EngineWebSocketUpgrader.announcesBody(["Content-Length": "0"]))
            #expect(EngineWebSocketUpgrader.announcesBody(["content-length": "12"]))
        }
    }

    @Test func garbageRequestGets400AndOthersCarryOn() async throws {
        try await withTestEngine(setUp: echo) { _, port in
            let sid = try await openPollingSession(port: port)
            let garbage = try await RawTCPConnection.connect(port: port)
            try await garbage.send("\u{1b}[2J NOT HTTP\r\n\r\n")
            let answer = String(decoding: try await garbage.readUntilClose(), as: UTF8.self)
            #expect(answer.hasPrefix("HTTP/1.1 400"))
            let post = try await TestHTTPClient.request(port: port, method: "POST", path: "/engine.io/?EIO=4&transport=polling&sid=\(sid)", body: Array("4ok".utf8))
            #expect(post.status == 200)
            #expect(try await TestHTTPClient.request(port: port, path: "/engine.io/?EIO=4&transport=polling&sid=\(sid)").text == "4ok")
        }
    }
}
