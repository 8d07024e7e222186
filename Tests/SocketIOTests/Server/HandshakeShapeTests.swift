import SocketIO
import Testing
@testable import TestSupport

/// `handshake.query` and `handshake.headers` in the shapes a Node server reads: querystring's
/// `string | string[]` and `IncomingMessage.headers`.
@Suite("Handshake: Node's query and header shapes")
struct HandshakeShapeTests {
    @Test("a repeated query parameter is an array of its values in order, a single one a string")
    func repeatedQueryParameterIsAnArray() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(
                port: port, collector: sockets, query: "tag=a&room=lobby&tag=b+c&tag=%E6%88%BF&flag"
            )
            let query = socket.handshake.query
            #expect(query["tag"] == ["a", "b c", "房"])
            #expect(query["tag"]?.stringValue == nil)
            #expect(query["room"] == "lobby")
            #expect(query["room"]?.stringValue == "lobby")
            #expect(query["flag"] == "")
            #expect(query["EIO"] == "4")
            // socket.request keeps the engine's flat form: the first value.
            #expect(socket.request.query["tag"] == "a")
            await client.close()
        }
    }

    @Test("handshake.json writes a repeated parameter as a JSON array and reads it back")
    func repeatedQueryParameterSerializesAsAnArray() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets, query: "tag=a&tag=b&one=1")
            let json = socket.handshake.json
            #expect(json["query"]?["tag"] == ["a", "b"])
            #expect(json["query"]?["one"] == "1")
            #expect(Handshake(json: json) == socket.handshake)
            await client.close()
        }
    }

    @Test("repeated headers: cookie joined with \"; \", singletons keep the first, set-cookie and others joined with \", \"")
    func repeatedHeadersFollowNode() async throws {
        try await withServer { io, port in
            let sockets = SocketCollector(io.sockets)
            let (client, socket) = try await connectClient(port: port, collector: sockets, headers: [
                ("Host", "127.0.0.1:\(port)"), ("Host", "other.example"),
                ("Cookie", "a=1"), ("cookie", "b=2"),
                ("User-Agent", "first"), ("User-Agent", "second"),
                ("Authorization", "Bearer one"), ("Authorization", "Bearer two"),
                ("Set-Cookie", "s=1"), ("Set-Cookie", "t=2"),
                ("X-Dup", "a"), ("x-dup", "b"),
            ])
            let headers = socket.handshake.headers
            #expect(headers["cookie"] == "a=1; b=2")
            #expect(headers["host"] == "127.0.0.1:\(port)")
            #expect(headers["user-agent"] == "first")
            #expect(headers["authorization"] == "Bearer one")
            #expect(headers["set-cookie"] == "s=1, t=2")
            #expect(headers["x-dup"] == "a, b")
            await client.close()
        }
    }

    @Test("Handshake(json:) reads query values as strings or arrays of strings, and header arrays joined")
    func handshakeFromJSONAcceptsBothShapes() throws {
        let json = try JSONValue(parsing: """
            {"headers":{"host":"h","set-cookie":["s=1","t=2"]},"time":"t","address":"10.0.0.1","xdomain":false,
             "secure":true,"issued":7,"url":"/socket.io/?tag=a&tag=b","query":{"tag":["a","b"],"EIO":"4","n":3},"auth":{}}
            """)
        let handshake = Handshake(json: json)
        #expect(handshake.query["tag"] == .multiple(["a", "b"]))
        #expect(handshake.query["EIO"] == .single("4"))
        // A value of neither shape is kept as its JSON text rather than dropped.
        #expect(handshake.query["n"] == "3")
        #expect(handshake.headers["set-cookie"] == "s=1, t=2")
        #expect(handshake.headers["host"] == "h")
    }

    @Test("QueryValue's JSON form is a string or an array of strings; other JSON is refused")
    func queryValueJSON() {
        #expect(QueryValue.single("a").json == "a")
        #expect(QueryValue.multiple(["a", "b"]).json == ["a", "b"])
        #expect(QueryValue(json: "a") == .single("a"))
        #expect(QueryValue(json: ["a", "b"]) == .multiple(["a", "b"]))
        #expect(QueryValue(json: ["a", 1]) == nil)
        #expect(QueryValue(json: 1) == nil)
        #expect(QueryValue(json: .null) == nil)
    }
}
