import Foundation

/// One Engine.IO packet of a long-polling payload: text (type digit included, `"42[…]"`)
/// or a binary message (sent as `b` + base64).
enum TestSocketIOPollingPacket: Sendable, Hashable {
    case text(String)
    case binary([UInt8])
}

/// An Engine.IO v4 long-polling session driven by hand, one HTTP request at a time, for
/// Socket.IO tests that must not depend on WebSocket. Nothing runs in the background: the
/// test decides when to poll, and the server's pings show up as `"2"` packets to answer.
struct TestSocketIOPollingSession: Sendable {
    let port: Int
    let path: String
    /// The Engine.IO session id.
    let sid: String

    /// The request target of this session's polls and posts.
    var target: String { "\(path)?EIO=4&transport=polling&sid=\(sid)" }

    /// Performs the polling handshake.
    ///
    /// - Parameters:
    ///   - port: The server's port.
    ///   - path: The server's path.
    ///   - query: Extra query parameters, already encoded.
    ///   - headers: Extra request headers.
    /// - Returns: The open session.
    /// - Throws: ``TestSocketIOClientError/badHandshake(_:)`` or the HTTP client's errors.
    static func open(
        port: Int,
        path: String = "/socket.io/",
        query: String = "",
        headers: [(String, String)] = []
    ) async throws -> TestSocketIOPollingSession {
        let target = "\(path)?EIO=4&transport=polling" + (query.isEmpty ? "" : "&" + query)
        let response = try await TestHTTPClient.request(port: port, path: target, headers: headers)
        guard response.status == 200, response.text.hasPrefix("0"),
            let sid = TestSocketIOClient.jsonObject(String(response.text.dropFirst()))?["sid"] as? String
        else {
            throw TestSocketIOClientError.badHandshake("\(response.status) \(response.text)")
        }
        return TestSocketIOPollingSession(port: port, path: path, sid: sid)
    }

    /// Sends packets in one POST.
    ///
    /// - Returns: The server's response (`200 ok` when accepted).
    /// - Throws: The HTTP client's errors.
    @discardableResult
    func post(_ packets: [TestSocketIOPollingPacket]) async throws -> TestHTTPResponse {
        let body = packets.map { packet -> String in
            switch packet {
            case .text(let text): return text
            case .binary(let bytes): return "b" + Data(bytes).base64EncodedString()
            }
        }.joined(separator: "\u{1e}")
        return try await TestHTTPClient.request(port: self.port, method: "POST", path: self.target, body: Array(body.utf8))
    }

    /// Sends one text packet, such as `"40"` or `#"42["chat"]"#`.
    ///
    /// - Throws: The HTTP client's errors, or ``TestSocketIOClientError/unexpected(_:)`` when refused.
    func post(_ text: String) async throws {
        let response = try await self.post([.text(text)])
        guard response.status == 200 else {
            throw TestSocketIOClientError.unexpected("POST \(text) got \(response.status) \(response.text)")
        }
    }

    /// Waits for the next GET response and splits its payload into packets.
    ///
    /// - Parameter timeout: Bound on the long poll.
    /// - Returns: The packets, in order.
    /// - Throws: ``TestSocketIOClientError/unexpected(_:)`` for a non-200 answer or bad base64.
    func poll(timeout: Duration = .seconds(30)) async throws -> [TestSocketIOPollingPacket] {
        let response = try await TestHTTPClient.request(port: self.port, path: self.target, timeout: timeout)
        guard response.status == 200 else {
            throw TestSocketIOClientError.unexpected("poll got \(response.status) \(response.text)")
        }
        return try response.text.split(separator: "\u{1e}", omittingEmptySubsequences: false).map { part in
            if part.hasPrefix("b") {
                guard let data = Data(base64Encoded: String(part.dropFirst())) else {
                    throw TestSocketIOClientError.unexpected("bad base64 in \(part)")
                }
                return .binary(Array(data))
            }
            return .text(String(part))
        }
    }

    /// Polls until `count` Engine.IO message packets (`4…` or binary) have arrived, skipping
    /// noops, and returns them with the `4` removed from text ones.
    ///
    /// - Throws: What ``poll(timeout:)`` throws, or ``TestSocketIOClientError/closed(code:)`` on
    ///   the engine's close packet.
    func messages(_ count: Int, timeout: Duration = .seconds(30)) async throws -> [TestSocketIOPollingPacket] {
        var messages: [TestSocketIOPollingPacket] = []
        while messages.count < count {
            for packet in try await self.poll(timeout: timeout) {
                switch packet {
                case .binary: messages.append(packet)
                case .text(let text) where text.hasPrefix("4"): messages.append(.text(String(text.dropFirst())))
                case .text("1"): throw TestSocketIOClientError.closed(code: nil)
                case .text: continue  // noop "6", or a ping the test did not ask about
                }
            }
        }
        return messages
    }
}
