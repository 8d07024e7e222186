import NIOCore
import NIOPosix

/// A bare TCP connection for tests that must break HTTP on purpose: half-sent headers, bytes
/// trickled slowly, garbage. Sends exactly the bytes given and records everything received.
final class RawTCPConnection: Sendable {
    private let channel: any Channel
    /// Completes, with all bytes received, when the connection closes for any reason.
    private let closed: EventLoopFuture<[UInt8]>

    private init(channel: any Channel, closed: EventLoopFuture<[UInt8]>) {
        self.channel = channel
        self.closed = closed
    }

    /// Opens a TCP connection.
    ///
    /// - Parameters:
    ///   - host: The server's address.
    ///   - port: The server's port.
    ///   - timeout: Bound on connecting.
    /// - Returns: The open connection.
    /// - Throws: An error if the connection cannot be made in time.
    static func connect(
        host: String = "127.0.0.1",
        port: Int,
        timeout: Duration = .seconds(30)
    ) async throws -> RawTCPConnection {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(TimeAmount(timeout))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let closed = channel.eventLoop.makePromise(of: [UInt8].self)
                    try channel.pipeline.syncOperations.addHandler(RawTCPCollector(closed: closed))
                    return RawTCPConnection(channel: channel, closed: closed.futureResult)
                }
            }
    }

    /// Sends `bytes` as they are and waits until they are handed to the kernel.
    ///
    /// - Throws: An error if the connection is closed.
    func send(_ bytes: [UInt8]) async throws {
        try await self.channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }

    /// Sends the UTF-8 bytes of `string` as they are; write `\r\n` for HTTP line ends.
    ///
    /// - Throws: An error if the connection is closed.
    func send(_ string: String) async throws {
        try await self.send(Array(string.utf8))
    }

    /// Waits for the peer to close and returns everything it sent.
    ///
    /// - Parameter timeout: How long the peer has to close.
    /// - Returns: Every byte received on this connection.
    /// - Throws: ``TestClientError/timeout`` if the connection is still open at the bound.
    func readUntilClose(timeout: Duration = .seconds(30)) async throws -> [UInt8] {
        try await self.closed.get(deadline: .after(timeout))
    }

    /// Waits, at most `timeout`, for the peer to close the connection.
    ///
    /// - Parameter timeout: How long the peer has to close.
    /// - Returns: True as soon as the connection closes, false if it is still open at the bound.
    /// - Throws: Only if the wait itself fails, never for the timeout.
    func waitForClose(timeout: Duration = .seconds(30)) async throws -> Bool {
        do {
            _ = try await self.closed.get(deadline: .after(timeout))
            return true
        } catch TestClientError.timeout {
            return false
        }
    }

    /// Closes the connection from this side. Does nothing if it is already closed.
    func close() async {
        // The only failure is "already closed", which is the state this call wants.
        _ = try? await self.channel.close().get()
    }
}
