import NIOCore
import NIOHTTP1
import NIOPosix

/// A one-request-per-connection HTTP/1.1 client for integration tests.
///
/// Every request opens its own TCP connection and sends `Connection: close`, so requests a
/// test starts together really are in flight together (a long-poll GET beside a POST), and
/// nothing one request leaves behind can leak into the next.
enum TestHTTPClient {
    /// Sends one request and waits for the whole response.
    ///
    /// - Parameters:
    ///   - host: The server's address.
    ///   - port: The server's port.
    ///   - method: The request method, sent as given.
    ///   - path: The request target, including any query string.
    ///   - headers: Extra header fields. `Host`, `Connection` and `Content-Length` are added only
    ///     when absent, so a test can send its own (even wrong) values.
    ///   - body: The request body; sent with `Content-Length`.
    ///   - timeout: Bound on connecting, sending and receiving together.
    /// - Returns: The response, with chunked framing removed and nothing decompressed.
    /// - Throws: ``TestClientError/timeout``, ``TestClientError/connectionClosed`` if the server
    ///   hangs up before finishing its response, or the connection's own error.
    static func request(
        host: String = "127.0.0.1",
        port: Int,
        method: String = "GET",
        path: String,
        headers: [(String, String)] = [],
        body: [UInt8] = [],
        timeout: Duration = .seconds(30)
    ) async throws -> TestHTTPResponse {
        let pending = try await self.startRequest(
            host: host,
            port: port,
            method: method,
            path: path,
            headers: headers,
            body: body,
            timeout: timeout
        )
        return try await pending.response()
    }

    /// Sends one request and returns once it has been handed to the network, without waiting
    /// for the response, so a test can act while the request is outstanding or abort it.
    ///
    /// - Parameters: As for ``request(host:port:method:path:headers:body:timeout:)``; the
    ///   timeout bounds the whole exchange, up to the response's last byte.
    /// - Returns: A handle to await or abort the response.
    /// - Throws: An error if the connection cannot be made.
    static func startRequest(
        host: String = "127.0.0.1",
        port: Int,
        method: String = "GET",
        path: String,
        headers: [(String, String)] = [],
        body: [UInt8] = [],
        timeout: Duration = .seconds(30)
    ) async throws -> PendingHTTPRequest {
        let deadline = NIODeadline.after(timeout)
        let pending = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(TimeAmount(timeout))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let promise = channel.eventLoop.makePromise(of: TestHTTPResponse.self)
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(
                        TestHTTPResponseCollector(promise: promise, deadline: deadline)
                    )
                    return PendingHTTPRequest(channel: channel, response: promise.futureResult)
                }
            }

        let head = HTTPRequestHead(
            version: .http1_1,
            method: HTTPMethod(rawValue: method),
            uri: path,
            headers: self.requestHeaders(headers, host: host, port: port, method: method, bodyLength: body.count)
        )
        let channel = pending.channel
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if !body.isEmpty {
            channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil)
        }
        // A failed write is not reported here: the server may have answered and closed before
        // reading the whole body (a 413, say), and the response or its absence is what a test
        // wants to see. Waiting still matters: once it returns, the request is in the kernel's
        // hands, so an abort() that follows cannot cancel it before it is sent.
        _ = try? await channel.writeAndFlush(HTTPClientRequestPart.end(nil)).get()
        return pending
    }

    /// The caller's headers plus the ones HTTP/1.1 framing needs, never overriding the caller.
    private static func requestHeaders(
        _ extra: [(String, String)],
        host: String,
        port: Int,
        method: String,
        bodyLength: Int
    ) -> HTTPHeaders {
        var headers = HTTPHeaders(extra)
        if !headers.contains(name: "host") {
            headers.add(name: "Host", value: self.hostHeader(host: host, port: port))
        }
        if !headers.contains(name: "connection") {
            headers.add(name: "Connection", value: "close")
        }
        // An empty POST still gets `Content-Length: 0`, which real clients send; otherwise NIO's
        // encoder would frame it as chunked.
        let methodCarriesBody = ["POST", "PUT", "PATCH"].contains(method.uppercased())
        if (bodyLength > 0 || methodCarriesBody),
            !headers.contains(name: "content-length"),
            !headers.contains(name: "transfer-encoding")
        {
            headers.add(name: "Content-Length", value: String(bodyLength))
        }
        return headers
    }

    /// The `Host` value for an address, bracketing IPv6 literals as RFC 3986 requires.
    static func hostHeader(host: String, port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
