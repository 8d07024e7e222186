import EngineIO
import Foundation
import NIOCore
import Testing
@testable import TestSupport

/// The open packet, over both transports, and the handshake errors with their codes.
@Suite struct EngineHandshakeTests {
    private func openPacket(_ text: String) throws -> [String: Any] {
        #expect(text.hasPrefix("0"))
        let object = try JSONSerialization.jsonObject(with: Data(text.dropFirst().utf8))
        return try #require(object as? [String: Any])
    }

    @Test func pollingHandshakeAnnouncesOptionsAndWebSocketUpgrade() async throws {
        try await withTestEngine({ $0.pingInterval = .milliseconds(1234); $0.pingTimeout = .milliseconds(567); $0.maxHttpBufferSize = 4321 }) { _, port in
            let response = try await TestHTTPClient.request(port: port, path: "/engine.io/?EIO=4&transport=polling")
            #expect(response.status == 200)
            #expect(response.header("content-type") == "text/plain; charset=UTF-8")
            let open = try openPacket(response.text)
            #expect(Set(open.keys) == ["sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload"])
            #expect(open["upgrades"] as? [String] == ["websocket"])
            #expect(open["pingInterval"] as? Int == 1234)
            #expect(open["pingTimeout"] as? Int == 567)
            #expect(open["maxPayload"] as? Int == 4321)
            let sid = try #require(open["sid"] as? String)
            #expect(sid.count == 20)
            #expect(sid.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        }
    }

    @Test func webSocketHandshakeHasNoUpgrades() async throws {
        try await withTestEngine { _, port in
            let socket = try await TestWebSocket.connect(port: port, path: "/engine.io/?EIO=4&transport=websocket")
            guard case .text(let text) = try await socket.receive() else { Issue.record("no open packet"); return }
            #expect(try openPacket(text)["upgrades"] as? [String] == [])
            await socket.close()
        }
    }

    @Test func noUpgradesWhenUpgradesAreOff() async throws {
        try await withTestEngine({ $0.allowUpgrades = false }) { _, port in
            let response = try await TestHTTPClient.request(port: port, path: "/engine.io/?EIO=4&transport=polling")
            #expect(try openPacket(response.text)["upgrades"] as? [String] == [])
            let sid = try #require(sessionID(fromOpenPacket: response.text))
            await #expect(throws: TestClientError.upgradeRefused(status: 400)) {
                _ = try await TestWebSocket.connect(port: port, path: "/engine.io/?EIO=4&transport=websocket&sid=\(sid)")
            }
        }
    }

    @Test func customIdGeneratorAndInitialPacket() async throws {
        try await withTestEngine({ options in
            options.generateId = { request in "custom-" + (request.query["tag"] ?? "none") }
            options.initialPacket = .string("welcome")
        }) { engine, port in
            let response = try await TestHTTPClient.request(port: port, path: "/engine.io/?EIO=4&transport=polling&tag=t1")
            #expect(sessionID(fromOpenPacket: response.text) == "custom-t1")
            #expect(response.text.hasSuffix("\u{1e}4welcome"))
            #expect(engine.clients["custom-t1"] != nil)
            // A repeated id must not take over the first session.
            let second = try await TestHTTPClient.request(port: port, path: "/engine.io/?EIO=4&transport=polling&tag=t1")
            #expect(sessionID(fromOpenPacket: second.text) != "custom-t1")
            #expect(engine.clientsCount == 2)
        }
    }

    @Test func refusedRequestsGetNodesCodesAndMessages() async throws {
        let errors = Recorder<EngineConnectionError>()
        try await withTestEngine(setUp: { $0.onConnectionError { errors.append($0) } }) { _, port in
            let cases: [(String, String, Int, Int, String)] = [
                ("GET", "/engine.io/?EIO=4", 400, 0, "Transport unknown"),
                ("GET", "/engine.io/?EIO=4&transport=abc", 400, 0, "Transport unknown"),
                ("GET", "/engine.io/?EIO=4&transport=polling&sid=nope", 400, 1, "Session ID unknown"),
                ("POST", "/engine.io/?EIO=4&transport=polling", 400, 2, "Bad handshake method"),
                ("PUT", "/engine.io/?EIO=4&transport=polling", 400, 2, "Bad handshake method"),
                ("GET", "/engine.io/?EIO=4&transport=websocket", 400, 3, "Bad request"),
                ("GET", "/engine.io/?transport=polling", 400, 5, "Unsupported protocol version"),
                ("GET", "/engine.io/?EIO=3&transport=polling", 400, 5, "Unsupported protocol version"),
                ("GET", "/engine.io/?EIO=abc&transport=polling", 400, 5, "Unsupported protocol version"),
            ]
            for (method, path, status, code, message) in cases {
                let response = try await TestHTTPClient.request(port: port, method: method, path: path)
                #expect(response.status == status, "\(method) \(path)")
                #expect(response.header("content-type") == "application/json")
                #expect(response.text == "{\"code\":\(code),\"message\":\"\(message)\"}", "\(method) \(path)")
            }
            #expect(errors.values.map(\.code.rawValue) == cases.map(\.3))
        }
    }

    @Test func webSocketHandshakeErrorsRefuseTheUpgrade() async throws {
        try await withTestEngine { _, port in
            for path in ["/engine.io/?transport=websocket", "/engine.io/?EIO=abc&transport=websocket",
                         "/engine.io/?EIO=4&transport=websocket&sid=unknown"] {
                await #expect(throws: TestClientError.upgradeRefused(status: 400), "\(path)") {
                    _ = try await TestWebSocket.connect(port: port, path: path)
                }
            }
        }
    }

    @Test func onlyConfiguredTransportsAreAccepted() async throws {
        try await withTestEngine({ $0.transports = [.websocket] }) { _, port in
            let response = try await TestHTTPClient.request(port: port, path: "/engine.io/?EIO=4&transport=polling")
            #expect(response.status == 400)
            #expect(response.text.contains("\"code\":0"))
            let socket = try await TestWebSocket.connect(port: port, path: "/engine.io/?EIO=4&transport=websocket")
            guard case .text(let text) = try await socket.receive() else { Issue.record("no open packet"); return }
            #expect(text.hasPrefix("0{"))
            await socket.close()
        }
    }

    @Test func thousandConcurrentHandshakesAllSucceed() async throws {
        try await withTestEngine { engine, port in
            let sids = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<1000 {
                    group.addTask {
                        let response = try await TestHTTPClient.request(port: port, path: "/engine.io/?EIO=4&transport=polling", timeout: .seconds(30))
                        return response.status == 200 ? sessionID(fromOpenPacket: response.text) : nil
                    }
                }
                var sids: [String] = []
                for try await sid in group { if let sid { sids.append(sid) } }
                return sids
            }
            #expect(sids.count == 1000)
            #expect(Set(sids).count == 1000)
            #expect(engine.clientsCount == 1000)
        }
    }
}
