@testable import Monitor
import SocketIO
import Testing
@testable import ConsoleUI

@Suite struct RowFormatterTests {
    @Test("socket details show a repeated query parameter as its JSON array and a single one as text")
    func queryValuesShowTheirShape() {
        let handshake = Handshake(headers: [:], time: "t", address: "127.0.0.1", xdomain: false, secure: false, issued: 1_000,
                                  url: "/socket.io/?EIO=4&tag=a&tag=b,c", query: ["EIO": "4", "tag": ["a", "b,c"]], auth: [:])
        let socket = SocketEntry(id: "S1", namespace: "/", engineID: "E1", transport: "polling", upgraded: false, handshake: handshake)
        let lines = RowFormatter.socketDetails(socket, state: MonitorState(), now: 2_000_000_000).map(\.0)
        #expect(lines.contains("    EIO = 4"))
        #expect(lines.contains(#"    tag = ["a","b,c"]"#))
    }

    @Test("a query value with control characters reaches the details sanitised, in either shape")
    func queryValuesAreSanitised() {
        let handshake = Handshake(headers: [:], time: "t", address: "127.0.0.1", xdomain: false, secure: false, issued: 1_000,
                                  url: "/", query: ["one": "\u{1B}[2J", "many": ["\u{1B}[2J", "x"]], auth: [:])
        let socket = SocketEntry(id: "S1", namespace: "/", engineID: "E1", transport: "polling", upgraded: false, handshake: handshake)
        let text = RowFormatter.socketDetails(socket, state: MonitorState(), now: 2_000_000_000).map(\.0).joined(separator: "\n")
        #expect(!text.contains("\u{1B}"))
    }
}
