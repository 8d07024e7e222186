import NIOCore

/// An HTTP request that has been sent and whose response may still be on its way.
///
/// Lets a test hold a request open (a long-poll GET) while it does something else, then either
/// collect the response or drop the connection the way a closed browser tab would.
final class PendingHTTPRequest: Sendable {
    /// The request's own connection; ``TestHTTPClient`` writes the request on it.
    let channel: any Channel
    private let responseFuture: EventLoopFuture<TestHTTPResponse>

    init(channel: any Channel, response: EventLoopFuture<TestHTTPResponse>) {
        self.channel = channel
        self.responseFuture = response
    }

    /// Waits for the complete response, within the timeout given when the request started.
    ///
    /// - Returns: The response.
    /// - Throws: ``TestClientError/timeout``, ``TestClientError/connectionClosed`` (also after
    ///   ``abort()``), or the connection's own error.
    func response() async throws -> TestHTTPResponse {
        try await self.responseFuture.get()
    }

    /// Closes the connection at once, without waiting for the response or for the close itself.
    func abort() {
        self.channel.close(promise: nil)
    }
}
