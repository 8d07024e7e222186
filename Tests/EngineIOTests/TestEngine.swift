import EngineIO
import NIOCore
import NIOConcurrencyHelpers
import Testing
@testable import TestSupport
import Foundation

/// Runs `body` against an engine listening on 127.0.0.1 on a free port, and closes the
/// engine afterwards whatever happens.
///
/// The engine's clock is a ``ManualTimerSource`` that nobody moves unless `configure` puts
/// one of its own there: no heartbeat or timeout fires because the machine was slow.
func withTestEngine<T>(
    _ configure: (inout EngineOptions) -> Void = { _ in },
    setUp: (EngineServer) -> Void = { _ in },
    _ body: (EngineServer, Int) async throws -> T
) async throws -> T {
    var options = EngineOptions()
    options.pingInterval = .seconds(25)
    options.pingTimeout = .seconds(20)
    options.timers = ManualTimerSource()
    configure(&options)
    let engine = EngineServer(options: options)
    setUp(engine)
    let port = try await engine.listen(host: "127.0.0.1", port: 0)
    do {
        let result = try await body(engine, port)
        await engine.close()
        return result
    } catch {
        await engine.close()
        throw error
    }
}

/// Makes every session echo its messages.
func echo(_ engine: EngineServer) {
    engine.onConnection { socket in socket.onMessage { socket.send($0) } }
}

/// The sid of an open packet body (`0{"sid":"…",…}`).
func sessionID(fromOpenPacket text: String) -> String? {
    guard let range = text.range(of: "\"sid\":\"") else { return nil }
    let rest = text[range.upperBound...]
    guard let end = rest.firstIndex(of: "\"") else { return nil }
    return String(rest[..<end])
}

/// Opens a polling session and returns its sid.
func openPollingSession(port: Int, path: String = "/engine.io/") async throws -> String {
    let response = try await TestHTTPClient.request(port: port, path: "\(path)?EIO=4&transport=polling")
    #expect(response.status == 200)
    return try #require(sessionID(fromOpenPacket: response.text))
}
