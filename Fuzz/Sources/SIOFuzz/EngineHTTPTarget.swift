import NIOCore
import NIOEmbedded
@testable import EngineIO

/// Raw bytes from a TCP client through the engine's real pipeline (NIO's HTTP/1.1 decoder,
/// the WebSocket upgrader, compression, the request-head timeout and the engine's HTTP
/// handler), as `EngineServer.configure(channel:)` builds it for every connection.
///
/// Each input first opens a polling session whose id is always `fuzz`, so the input can
/// poll, POST payloads to it, upgrade it to WebSocket and send frames, without having to
/// guess an id. The input is cut at `0xFF 0xFE` into pieces that arrive as separate reads.
enum EngineHTTPTarget {
    static let sessionID = "fuzz"

    /// A fresh engine per input: nothing an input leaves behind (a session, a timer that
    /// nobody cancelled) can change the next one, and nothing outlives the input, so
    /// LeakSanitizer's check after each input sees every object the input made. (An object
    /// that stays alive with a weak reference to it looks leaked to LeakSanitizer: Swift
    /// points at the weak reference table only through a shifted pointer it cannot read.)
    private static func makeEngine() -> EngineServer {
        var options = EngineOptions()
        options.generateId = { _ in sessionID }
        // No timer fires: the outcome depends on the bytes alone.
        options.timers = ManualTimerSource()
        options.maxHttpBufferSize = 10_000
        var cors = CORSOptions(origin: .pattern(#"https?://(www\.)?example\.com(:\d+)?"#))
        cors.credentials = true
        options.cors = cors
        options.cookie = CookieOptions()
        let engine = EngineServer(options: options)
        // Echo, so messages that decode also travel back through the encoders.
        engine.onConnection { socket in socket.onMessage { socket.send($0) } }
        return engine
    }

    private static let handshake = ByteBuffer(string: "GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: fuzz\r\n\r\n")

    static func run(_ bytes: UnsafeRawBufferPointer) {
        let engine = makeEngine()
        let channel = EmbeddedChannel()
        defer { finish(channel, engine: engine) }
        do {
            try engine.configure(channel: channel)
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
            try channel.writeInbound(handshake)
            drain(channel)
        } catch {
            fatalError("the fixed handshake failed: \(error)")
        }
        for piece in bytes.pieces(separatedBy: [0xFF, 0xFE]) {
            // Errors here are the pipeline refusing bad input, which is what it should do.
            do { try channel.writeInbound(ByteBuffer(bytes: piece)) } catch { break }
            channel.embeddedEventLoop.run()
            drain(channel)
            if !channel.isActive { break }
        }
    }

    /// Throws away what the server wrote: HTTP responses (`IOData`), or WebSocket frames
    /// (`ByteBuffer`) after an upgrade. A read of the wrong type still takes the item out.
    private static func drain(_ channel: EmbeddedChannel) {
        while true {
            do {
                guard try channel.readOutbound(as: IOData.self) != nil else { return }
            } catch {
                continue
            }
        }
    }

    /// Closes the session the input used and the connection, so the next input starts from
    /// the same state (and the fixed id is free again).
    private static func finish(_ channel: EmbeddedChannel, engine: EngineServer) {
        for session in engine.clients.values { session.close() }
        channel.embeddedEventLoop.run()
        _ = try? channel.finish(acceptAlreadyClosed: true)
        channel.embeddedEventLoop.run()
        for session in engine.clients.values {
            session.finishClose(.serverShuttingDown, description: nil)
        }
        channel.embeddedEventLoop.run()
        require(engine.clients.isEmpty, "a session outlived its connection")
    }
}
