@testable import EngineIO
import NIOCore
import Testing
@testable import TestSupport
import Foundation

@Suite struct Base64Tests {
    @Test func encodesRFC4648Vectors() {
        let vectors = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            var out = ByteBuffer()
            Base64.encode(ByteBuffer(string: plain), into: &out)
            #expect(String(buffer: out) == encoded)
            #expect(Base64.decode(ByteBuffer(string: encoded)).map { String(buffer: $0) } == plain)
        }
    }

    @Test func acceptsMissingPaddingAndRejectsGarbage() {
        #expect(Base64.decode(ByteBuffer(string: "Zm8")).map { String(buffer: $0) } == "fo")
        for bad in ["Z", "Zm9v!", "Zm=9", "====", "Zg=", "Z==="] {
            #expect(Base64.decode(ByteBuffer(string: bad)) == nil, "\(bad)")
        }
    }

    @Test func allByteValuesRoundTrip() {
        let bytes = ByteBuffer(bytes: Array(0...255))
        var encoded = ByteBuffer()
        Base64.encode(bytes, into: &encoded)
        #expect(Base64.decode(encoded) == bytes)
    }
}

@Suite struct WebSocketAcceptTests {
    @Test func acceptValueMatchesRFC6455Example() {
        #expect(EngineWebSocketUpgrader.acceptValue(forKey: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func sha1MatchesKnownDigests() {
        func hex(_ text: String) -> String { SHA1.hash(Array(text.utf8)).map { String(format: "%02x", $0) }.joined() }
        #expect(hex("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(hex(String(repeating: "a", count: 1000)) == "291e9a6c66994949b57ba5e650361e98fc36b1ba")
    }
}
