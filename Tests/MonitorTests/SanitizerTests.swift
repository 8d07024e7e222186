import NIOCore
import SocketIO
import Testing
@testable import Monitor

@Suite struct SanitizerTests {
    @Test func escapeSequencesAreShownEscapedNotEmitted() {
        let cleaned = Sanitizer.clean("\u{1B}[2J\u{1B}]0;x\u{07}")
        #expect(cleaned == "\\x1B[2J\\x1B]0;x\\x07")
        #expect(!cleaned.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
    }

    @Test func newlinesTabsAndDeleteBecomeVisibleEscapes() {
        #expect(Sanitizer.clean("a\nb\tc\rd\u{7F}") == "a\\nb\\tc\\rd\\x7F")
    }

    @Test func c1ControlsBidiOverridesAndZeroWidthCharactersAreEscaped() {
        // U+009B is CSI in some terminals; U+202E reverses text; U+200B hides; U+2028 breaks lines.
        #expect(Sanitizer.clean("\u{9B}31m") == "\\u{009B}31m")
        #expect(Sanitizer.clean("a\u{202E}b") == "a\\u{202E}b")
        #expect(Sanitizer.clean("x\u{200B}y\u{2028}z") == "x\\u{200B}y\\u{2028}z")
    }

    @Test func printableUnicodeIsKept() {
        #expect(Sanitizer.clean("房间 ✓ émoji 🎉") == "房间 ✓ émoji 🎉")
        #expect(Sanitizer.isClean("房间"))
        #expect(!Sanitizer.isClean("\u{1B}"))
    }

    @Test func longTextIsCutWithAnEllipsis() {
        #expect(Sanitizer.clean(String(repeating: "a", count: 10), limit: 4) == "aaaa…")
        #expect(Sanitizer.clean("\u{1B}\u{1B}\u{1B}", limit: 2) == "\\x1B\\x1B…")
    }
}

@Suite struct PayloadFormatterTests {
    @Test func compactJSONEscapesTerminalControlsInStrings() {
        let text = PayloadFormatter.compact(.array([.string("\u{1B}[2J"), .int(1), .bool(true), .null]))
        #expect(text == #"["\u001b[2J",1,true,null]"#)
    }

    @Test func quotedEscapesC1AndBidiAsValidJSON() throws {
        let text = PayloadFormatter.quoted("a\u{9B}b\u{202E}c\u{1F600}")
        #expect(text == #""a\u009bb\u202ec😀""#)
        let parsed = try JSONValue(parsing: text)
        #expect(parsed == .string("a\u{9B}b\u{202E}c\u{1F600}"))
    }

    @Test func argumentsAreJoinedAndCutAtTheLimit() {
        let text = PayloadFormatter.arguments([.string("hello"), .object(["a": .int(1)])])
        #expect(text == #""hello", {"a":1}"#)
        let cut = PayloadFormatter.arguments([.string(String(repeating: "x", count: 100))], limit: 10)
        #expect(cut.count == 10)
        #expect(cut.hasSuffix("…"))
    }

    @Test func binaryShowsItsSizeAndAHexPreview() {
        var buffer = ByteBufferAllocator().buffer(capacity: 20)
        buffer.writeBytes(Array(0..<20) as [UInt8])
        #expect(PayloadFormatter.compact(.binary(buffer)) == "<binary 20 B: 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f …>")
        #expect(PayloadFormatter.compact(.binary(buffer), binary: .jsonObject) == #"{"_binary":20,"hex":"000102030405060708090a0b0c0d0e0f10111213"}"#)
    }

    @Test func prettyPrintsOneMemberPerLine() {
        let lines = PayloadFormatter.pretty(.object(["a": .array([.int(1), .int(2)]), "b": .object([:])]))
        #expect(lines == ["{", #"  "a": ["#, "    1,", "    2", "  ],", #"  "b": {}"#, "}"])
    }

    @Test func doublesAreWrittenAsJavaScriptDoes() {
        #expect(PayloadFormatter.compact(.double(1.5)) == "1.5")
        #expect(PayloadFormatter.compact(.double(2.0)) == "2")
    }

    @Test func estimatedSizeIsTheCompactLengthForPlainJSON() {
        let value: [JSONValue] = [.string("hello"), .object(["a": .int(12), "b": .array([.bool(false), .null])]), .int(-7)]
        let exact = PayloadFormatter.compact(.array(value)).utf8.count
        #expect(PayloadFormatter.estimatedSize(value) == exact)
    }
}
