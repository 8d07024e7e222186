import EngineIO
import NIOCore
import NIOHTTP1
import Testing
@testable import TestSupport

/// CORS, cookies, `allowRequest`, header hooks, middlewares and compression.
@Suite struct EngineOptionsTests {
    private static let handshake = "/engine.io/?EIO=4&transport=polling"

    @Test func noCORSHeadersByDefault() async throws {
        try await withTestEngine { _, port in
            let response = try await TestHTTPClient.request(port: port, path: Self.handshake, headers: [("Origin", "http://a.example")])
            #expect(response.header("access-control-allow-origin") == nil)
        }
    }

    @Test func corsListAnswersPreflightAndReflectsAllowedOrigins() async throws {
        try await withTestEngine({ options in
            var cors = CORSOptions(origin: .list(["http://good.example"]))
            cors.credentials = true
            cors.maxAge = 600
            options.cors = cors
        }) { _, port in
            let preflight = try await TestHTTPClient.request(port: port, method: "OPTIONS", path: Self.handshake, headers: [
                ("Origin", "http://good.example"), ("Access-Control-Request-Method", "POST"),
                ("Access-Control-Request-Headers", "x-custom"),
            ])
            #expect(preflight.status == 204)
            #expect(preflight.header("access-control-allow-origin") == "http://good.example")
            #expect(preflight.header("access-control-allow-credentials") == "true")
            #expect(preflight.header("access-control-allow-methods") == "GET,HEAD,PUT,PATCH,POST,DELETE")
            #expect(preflight.header("access-control-allow-headers") == "x-custom")
            #expect(preflight.header("access-control-max-age") == "600")
            let good = try await TestHTTPClient.request(port: port, path: Self.handshake, headers: [("Origin", "http://good.example")])
            #expect(good.header("access-control-allow-origin") == "http://good.example")
            let bad = try await TestHTTPClient.request(port: port, path: Self.handshake, headers: [("Origin", "http://evil.example")])
            #expect(bad.header("access-control-allow-origin") == nil)
            // Errors carry CORS headers too, so the page can read them.
            let error = try await TestHTTPClient.request(port: port, path: "/engine.io/?EIO=4&transport=x", headers: [("Origin", "http://good.example")])
            #expect(error.status == 400)
            #expect(error.header("access-control-allow-origin") == "http://good.example")
        }
    }

    @Test func corsPatternAndFunctionDecideByOrigin() async throws {
        try await withTestEngine({ $0.cors = CORSOptions(origin: .pattern("https?://([a-z]+\\.)?example\\.com")) }) { _, port in
            let yes = try await TestHTTPClient.request(port: port, path: Self.handshake, headers: [("Origin", "https://app.example.com")])
            #expect(yes.header("access-control-allow-origin") == "https://app.example.com")
            let no = try await TestHTTPClient.request(port: port, path: Self.handshake, headers: [("Origin", "https://example.com.evil")])
            #expect(no.header("access-control-allow-origin") == nil)
        }
        try await withTestEngine({ $0.cors = CORSOptions(origin: .custom { origin in origin?.hasSuffix(".trusted") == true }) }) { _, port in
            let yes = try await TestHTTPClient.request(port: port, path: Self.handshake, headers: [("Origin", "http://x.trusted")])
            #expect(yes.header("access-control-allow-origin") == "http://x.trusted")
            let no = try await TestHTTPClient.request(port: port, path: Self.handshake, headers: [("Origin", "http://x.other")])
            #expect(no.header("access-control-allow-origin") == nil)
        }
    }

    @Test func cookieCarriesTheSid() async throws {
        try await withTestEngine({ $0.cookie = CookieOptions() }, setUp: echo) { _, port in
            let response = try await TestHTTPClient.request(port: port, path: Self.handshake)
            let sid = try #require(sessionID(fromOpenPacket: response.text))
            #expect(response.header("set-cookie") == "io=\(sid); Path=/; HttpOnly; SameSite=Lax")
            // Only the handshake sets it.
            let poll = try await TestHTTPClient.startRequest(port: port, path: "/engine.io/?EIO=4&transport=polling&sid=\(sid)")
            _ = try await TestHTTPClient.request(port: port, method: "POST", path: "/engine.io/?EIO=4&transport=polling&sid=\(sid)", body: Array("4x".utf8))
            #expect(try await poll.response().header("set-cookie") == nil)
            let ws = try await TestWebSocket.connect(port: port, path: "/engine.io/?EIO=4&transport=websocket")
            #expect(ws.handshake.header("set-cookie")?.hasPrefix("io=") == true)
            await ws.close()
        }
    }

    struct Refused: Error, CustomStringConvertible { var description: String { "no entry" } }

    @Test func allowRequestRefusesWith403() async throws {
        let errors = Recorder<EngineConnectionError>()
        try await withTestEngine({ options in
            options.allowRequest = { request in
                if request.query["token"] == "bad" { throw Refused() }
                return request.query["token"] == "ok"
            }
        }, setUp: { $0.onConnectionError { errors.append($0) } }) { engine, port in
            let ok = try await TestHTTPClient.request(port: port, path: Self.handshake + "&token=ok")
            #expect(ok.status == 200)
            let no = try await TestHTTPClient.request(port: port, path: Self.handshake + "&token=no")
            #expect(no.status == 403)
            #expect(no.text == "{\"code\":4,\"message\":\"Forbidden\"}")
            let thrown = try await TestHTTPClient.request(port: port, path: Self.handshake + "&token=bad")
            #expect(thrown.text == "{\"code\":4,\"message\":\"no entry\"}")
            await #expect(throws: TestClientError.upgradeRefused(status: 403)) {
                _ = try await TestWebSocket.connect(port: port, path: "/engine.io/?EIO=4&transport=websocket&token=no")
            }
            let ws = try await TestWebSocket.connect(port: port, path: "/engine.io/?EIO=4&transport=websocket&token=ok")
            await ws.close()
            #expect(errors.values.map(\.code) == [.forbidden, .forbidden, .forbidden])
            #expect(engine.clientsCount >= 1)
        }
    }

    @Test func headerHooksShapeResponses() async throws {
        try await withTestEngine(setUp: { engine in
            engine.onInitialHeaders { headers, _ in headers.add(name: "X-Initial", value: "yes") }
            engine.onHeaders { headers, request in headers.add(name: "X-Every", value: request.query["transport"] ?? "") }
        }) { _, port in
            let handshake = try await TestHTTPClient.request(port: port, path: Self.handshake)
            #expect(handshake.header("x-initial") == "yes")
            #expect(handshake.header("x-every") == "polling")
            let sid = try #require(sessionID(fromOpenPacket: handshake.text))
            let post = try await TestHTTPClient.request(port: port, method: "POST", path: "/engine.io/?EIO=4&transport=polling&sid=\(sid)", body: Array("4x".utf8))
            #expect(post.header("x-initial") == nil)
            #expect(post.header("x-every") == "polling")
            let ws = try await TestWebSocket.connect(port: port, path: "/engine.io/?EIO=4&transport=websocket")
            #expect(ws.handshake.header("x-initial") == "yes")
            #expect(ws.handshake.header("x-every") == "websocket")
            await ws.close()
        }
    }

    @Test func middlewaresRunInOrderAndCanAnswerOrFail() async throws {
        try await withTestEngine(setUp: { engine in
            engine.use { request, headers in
                headers.add(name: "X-Middleware", value: "1")
                return request.query["deny"] == nil ? .next : .respond(status: .unauthorized, body: "denied")
            }
            engine.use { request, _ in
                if request.query["fail"] != nil { throw Refused() }
                return .next
            }
        }) { _, port in
            let ok = try await TestHTTPClient.request(port: port, path: Self.handshake)
            #expect(ok.status == 200)
            #expect(ok.header("x-middleware") == "1")
            let denied = try await TestHTTPClient.request(port: port, path: Self.handshake + "&deny=1")
            #expect(denied.status == 401)
            #expect(denied.text == "denied")
            let failed = try await TestHTTPClient.request(port: port, path: Self.handshake + "&fail=1")
            #expect(failed.status == 400)
            #expect(failed.text == "{\"code\":3,\"message\":\"Bad request\"}")
            await #expect(throws: TestClientError.upgradeRefused(status: 401)) {
                _ = try await TestWebSocket.connect(port: port, path: "/engine.io/?EIO=4&transport=websocket&deny=1")
            }
        }
    }

    @Test func largePollingResponsesAreCompressed() async throws {
        let big = String(repeating: "compress me ", count: 200)
        try await withTestEngine({ $0.initialPacket = .string(big) }) { _, port in
            let gzip = try await TestHTTPClient.request(port: port, path: Self.handshake, headers: [("Accept-Encoding", "gzip")])
            #expect(gzip.status == 200)
            #expect(gzip.header("content-encoding") == "gzip")
            #expect(gzip.body.count < big.utf8.count / 4)
            let deflate = try await TestHTTPClient.request(port: port, path: Self.handshake, headers: [("Accept-Encoding", "deflate")])
            #expect(deflate.header("content-encoding") == "deflate")
            let plain = try await TestHTTPClient.request(port: port, path: Self.handshake)
            #expect(plain.header("content-encoding") == nil)
            #expect(plain.text.hasSuffix(big))
        }
        try await withTestEngine({ $0.httpCompression = nil; $0.initialPacket = .string(big) }) { _, port in
            let response = try await TestHTTPClient.request(port: port, path: Self.handshake, headers: [("Accept-Encoding", "gzip")])
            #expect(response.header("content-encoding") == nil)
        }
        try await withTestEngine { _, port in
            let small = try await TestHTTPClient.request(port: port, path: Self.handshake, headers: [("Accept-Encoding", "gzip")])
            #expect(small.header("content-encoding") == nil)
        }
    }

    @Test func customPathWithAndWithoutTrailingSlash() async throws {
        try await withTestEngine({ $0.path = "/socket.io" }) { _, port in
            let matching = try await TestHTTPClient.request(port: port, path: "/socket.io/?EIO=4&transport=polling")
            let withoutSlash = try await TestHTTPClient.request(port: port, path: "/socket.io?EIO=4&transport=polling")
            let otherPath = try await TestHTTPClient.request(port: port, path: Self.handshake)
            #expect(matching.status == 200)
            #expect(withoutSlash.status == 404)
            #expect(otherPath.status == 404)
        }
        try await withTestEngine({ $0.path = "/rt"; $0.addTrailingSlash = false }) { _, port in
            let response = try await TestHTTPClient.request(port: port, path: "/rt?EIO=4&transport=polling")
            #expect(response.status == 200)
        }
    }
}
