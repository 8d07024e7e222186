import EngineIO
import EngineIOClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import SocketIO
import SocketIOClient
import Testing
@testable import TestSupport

@Suite("https/wss, query and extra headers")
struct TLSAndHeadersTests {
    @Test("https and wss: io.listen(tls:) with PEM files, the client trusting that certificate", arguments: TransportMode.allCases)
    func tls(mode: TransportMode) async throws {
        let certificate = try TestCertificate.generate()
        defer { certificate.remove() }
        let context = try EngineTLS.serverContext(certificateChainFile: certificate.certificatePath,
                                                  privateKeyFile: certificate.keyPath)
        let server = SocketIOServer()
        let secure = Signal<Bool>()
        server.onConnection { socket in
            secure.set(socket.handshake.secure)
            socket.on("echo") { arguments, ack in ack?.send(arguments) }
        }
        let port = try await server.listen(port: 0, tls: context)

        var options = clientOptions(mode)
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificate.certificatePath))
        options.tlsConfiguration = tls
        let manager = try Manager("https://localhost:\(port)", options: options)
        let socket = manager.socket().connect()
        let reply = try await socket.emitWithAck("echo", "over TLS", .binary(ByteBuffer(bytes: [1, 2])))
        #expect(reply == ["over TLS", .binary(ByteBuffer(bytes: [1, 2]))])
        #expect(await secure.wait() == true)
        if mode == .upgrade {
            #expect(await eventually { manager.transport == .websocket })
        }

        // Plain HTTP on the TLS port is not understood: that connection closes, nobody else notices.
        let plain = try await RawTCPConnection.connect(port: port)
        try await plain.send("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let answer = try await plain.readUntilClose()
        #expect(!String(decoding: answer, as: UTF8.self).hasPrefix("HTTP/"))
        #expect(try await socket.emitWithAck("echo", "still here") == ["still here"])
        await manager.shutdown()

        // Without the trust root the handshake fails, and says so.
        var untrusting = clientOptions(mode)
        untrusting.reconnection = false
        let refused = try Manager("https://localhost:\(port)", options: untrusting)
        let error = Signal<SocketIOClientError>()
        let refusedSocket = refused.socket()
        refusedSocket.onConnectError { error.set($0) }
        refusedSocket.connect()
        #expect(await error.wait()?.code == .connectionFailed)
        await refused.shutdown()

        await server.close()
    }

    @Test("a certificate or key file that cannot serve TLS is named in the error")
    func unusableTLSFiles() throws {
        let certificate = try TestCertificate.generate()
        defer { certificate.remove() }
        let missing = certificate.folder.appendingPathComponent("absent.pem").path
        #expect(throws: EngineTLSError.self) {
            _ = try EngineTLS.serverContext(certificateChainFile: missing, privateKeyFile: certificate.keyPath)
        }
        do {
            // The certificate where the key should be.
            _ = try EngineTLS.serverContext(certificateChainFile: certificate.certificatePath,
                                            privateKeyFile: certificate.certificatePath)
            Issue.record("a certificate was taken for a private key")
        } catch let error as EngineTLSError {
            #expect(error.file == certificate.certificatePath)
        }
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
