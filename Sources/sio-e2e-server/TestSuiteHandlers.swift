import BenchmarkHandlers
import SocketIO

/// The behaviour the official socket.io-protocol test suite and the benchmark expect of
/// every socket of `/` and `/custom`: the handshake's auth echoed, then the shared handlers.
enum TestSuiteHandlers {
    static func install(on namespace: Namespace) {
        namespace.onConnection { socket in
            try? socket.emit("auth", .object(socket.handshake.auth))
            BenchmarkHandlers.answer(socket, in: namespace)
        }
    }
}
