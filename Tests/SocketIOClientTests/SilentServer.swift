import NIOCore
import NIOPosix

/// A TCP listener on 127.0.0.1 that accepts connections and never says a word: a server
/// that hangs.
struct ServerBootstrapSilent {
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    static func start() async throws -> ServerBootstrapSilent {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return ServerBootstrapSilent(channel: channel)
    }

    func close() async throws {
        try await channel.close()
    }
}
