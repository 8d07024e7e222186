import EngineIO
import EngineIOClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import SocketIO
import SocketIOClient
import Testing
import TestSupport

@Suite("https/wss, query and extra headers")
struct TLSAndHeadersTests {
    @Test("https and wss through swift-nio-ssl, with the server's certificate as trust root", arguments: TransportMode.allCases)
    func tls(mode: TransportMode) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sio-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (certPath, keyPath) = (folder.appendingPathComponent("cert.pem").path, folder.appendingPathComponent("key.pem").path)
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyPath, "-out", certPath,
            "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        #expect(openssl.terminationStatus == 0)

        let certificates = try NIOSSLCertificate.fromPEMFile(certPath)
        let serverTLS = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificates.map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: keyPath, format: .pem))
        )
        let sslContext = try NIOSSLContext(configuration: serverTLS)
        let server = SocketIOServer()
        server.onConnection { socket in socket.on("echo") { arguments, ack in ack?.send(arguments) } }
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    try server.attach(channel: channel, passThrough: false)
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(listener.localAddress?.port)

        var options = clientOptions(mode)
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(certificates)
        tls.certificateVerification = .noHostnameVerification
        options.tlsConfiguration = tls
        let manager = try Manager("https://127.0.0.1:\(port)", options: options)
        let socket = manager.socket().connect()
        let reply = try await socket.emitWithAck("echo", "over TLS", .binary(ByteBuffer(bytes: [1, 2])))
        #expect(reply == ["over TLS", .binary(ByteBuffer(bytes: [1, 2]))])
        if mode == .upgrade {
            #expect(await eventually { manager.transport == .websocket })
        }
        await manager.shutdown()

        // Without the trust root the handshake fails, and says so.
        var untrusting = clientOptions(mode)
        untrusting.reconnection = false
        let refused = try Manager("https://127.0.0.1:\(port)", options: untrusting)
        let error = Signal<SocketIOClientError>()
        let refusedSocket = refused.socket()
        refusedSocket.onConnectError { error.set($0) }
        refusedSocket.connect()
        #expect(await error.wait()?.code == .connectionFailed)
        await refused.shutdown()

        await server.close()
        try await listener.close()
    }

    @Test("query parameters and extra headers reach the server's handshake", arguments: TransportMode.allCases)
    func queryAndHeaders(mode: TransportMode) async throws {
        let seen = Signal<(query: [String: QueryValue], header: String?)>()
        try await withServer(configure: { server in
            server.onConnection { socket in
                seen.set((socket.handshake.query, socket.handshake.headers["x-client"]))
            }
        }) { _, port in
            var options = clientOptions(mode)
            options.query = ["room": "lobby", "odd": "a&b=c"]
            options.extraHeaders = ["X-Client": "swift"]
            let manager = try Manager("http://127.0.0.1:\(port)/?from=url", options: options)
            manager.socket().connect()
            let handshake = try #require(await seen.wait())
            #expect(handshake.query["room"] == "lobby")
            #expect(handshake.query["odd"] == "a&b=c")
            #expect(handshake.query["from"] == "url")
            #expect(handshake.query["EIO"] == "4")
            #expect(handshake.header == "swift")
            await manager.shutdown()
        }
    }
}
