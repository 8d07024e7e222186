import NIOCore
import SocketIO
import Testing

/// The inputs on which the fuzz targets (Fuzz/) stopped, fed to the parsers as they came.
/// None was a crash: each was a place where the parser and the oracle differ, and these pin
/// that the parser's side is the one Socket.IO peers expect.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    @Test("a trailing comma is refused, as JSON.parse refuses it (Foundation accepts it)")
    func trailingComma() {
        #expect(throws: JSONError.self) { try JSONValue(parsing: "[1,]") }
        #expect(throws: JSONError.self) { try JSONValue(parsing: #"{"a":1,}"#) }
    }

    @Test("a number with more digits than a double holds rounds to the nearest double")
    func longNumber() throws {
        let value = try JSONValue(parsing: "3.1415926531589793283462643383279")
        #expect(value.doubleValue == 3.1415926531589795)
    }

    @Test("a BINARY_EVENT whose number overflows to Infinity re-encodes it as null, as JSON.stringify does")
    func infinityInBinaryEvent() throws {
        var decoder = SocketIOPacketDecoder()
        let text = #"51-["e",{")_placeholder":true,"num":5e2123453}]"#
        #expect(try decoder.receive(text: ByteBuffer(string: text)) == nil)
        let packet = try #require(try decoder.receive(binary: ByteBuffer(bytes: [0x01])))
        #expect(packet.arguments.first?.objectValue?["num"]?.doubleValue == .infinity)

        let encoded = try SocketIOPacketEncoder().encode(packet)
        var again = SocketIOPacketDecoder()
        let reread = try #require(try again.receive(text: encoded.text))
        #expect(reread.type == .event)
        #expect(reread.arguments.first?.objectValue?["num"] == .null)
    }
}
