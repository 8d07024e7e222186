import SocketIO
import Testing

@testable import SocketIOAdmin

@Suite struct SerializedSocketTests {
    @Test("the admin protocol's handshake.query carries a repeated parameter as an array, as Node's admin-ui does")
    func repeatedQueryParameterIsAnArray() {
        let handshake = Handshake(headers: ["host": "h"], time: "t", address: "127.0.0.1", xdomain: false, secure: false,
                                  issued: 5, url: "/socket.io/?EIO=4&tag=a&tag=b", query: ["EIO": "4", "tag": ["a", "b"]],
                                  auth: ["token": "secret"])
        let json = SerializedSocket.json(id: "s1", namespace: "/", handshake: handshake, rooms: ["s1"], data: .null)
        #expect(json["handshake"]?["query"] == ["EIO": "4", "tag": ["a", "b"]])
        #expect(json["handshake"]?["auth"] == nil)
    }
}
