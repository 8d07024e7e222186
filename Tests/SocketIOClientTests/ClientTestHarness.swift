import EngineIO
import EngineIOClient
import NIOConcurrencyHelpers
import SocketIO
import SocketIOClient
import Testing
import TestSupport

extension TransportMode: CustomTestStringConvertible {
    public var testDescription: String { rawValue }
}

/// Starts one of our servers on 127.0.0.1, port 0, for the length of `body`.
func withServer<T>(
    _ options: SocketIOServerOptions = SocketIOServerOptions(),
    port: Int = 0,
    configure: (SocketIOServer) -> Void = { _ in },
    _ body: (SocketIOServer, Int) async throws -> T
) async throws -> T {
    let server = SocketIOServer(options: options)
    configure(server)
    let bound = try await server.listen(host: "127.0.0.1", port: port)
    do {
        let result = try await body(server, bound)
        await server.close()
        return result
    } catch {
        await server.close()
        throw error
    }
}

/// Client options for a test: the mode's transports, the packet format, and no jitter.
func clientOptions(
    _ mode: TransportMode,
    parser: SocketIOPacketParser = .default,
    timers: (any TimerSource)? = nil
) -> SocketIOClientOptions {
    var options = SocketIOClientOptions()
    options.transports = mode.transports
    options.parser = parser
    options.randomizationFactor = 0
    if let timers { options.timers = timers }
    return options
}
