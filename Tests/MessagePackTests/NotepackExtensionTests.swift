import MessagePack
import NIOCore
import SocketIOParser
import Testing

/// Extension type 0 as notepack.io writes it, read only when the decoder is told to.
@Suite("MessagePack: notepack.io's extension type 0")
struct NotepackExtensionTests {
    static let notepack = MessagePackDecoder(readsNotepackExtensions: true)

    static func code(_ hex: String, _ decoder: MessagePackDecoder = notepack) -> MessagePackError.Code? {
        do {
            _ = try decoder.decode(MessagePackTesting.bytes(hex))
            return nil
        } catch {
            return error.code
        }
    }

    @Test("undefined (fixext 1) is null, as JSON.stringify writes it in an array")
    func undefinedIsNull() throws {
        #expect(try Self.notepack.decode(MessagePackTesting.bytes("92 d4 00 00 01")) == [nil, 1])
    }

    @Test("a Date (fixext 8, signed milliseconds) is its toISOString()")
    func dateIsISOString() throws {
        #expect(try Self.notepack.decode(MessagePackTesting.bytes("d7 00 00 00 01 8f 4d f7 3e 7b")) == "2024-05-06T12:53:20.123Z")
        #expect(try Self.notepack.decode(MessagePackTesting.bytes("d7 00 ff ff ff ff ff ff ff ff")) == "1969-12-31T23:59:59.999Z")
        #expect(Self.code("d7 00 00 1e b2 08 c2 dc 00 01") == .invalidTimestamp)  // 8.64e15 + 1 ms
    }

    @Test("an ArrayBuffer (ext 8, 16 or 32) is binary")
    func arrayBufferIsBinary() throws {
        #expect(try Self.notepack.decode(MessagePackTesting.bytes("c7 03 00 01 02 03")) == .binary(ByteBuffer(bytes: [1, 2, 3])))
        #expect(try Self.notepack.decode(MessagePackTesting.bytes("c8 00 01 00 ff")) == .binary(ByteBuffer(bytes: [255])))
        #expect(try Self.notepack.decode(MessagePackTesting.bytes("c9 00 00 00 00 00")) == .binary(ByteBuffer()))
    }

    @Test("other fixext forms of type 0, and type 0 when not asked for, are refused")
    func othersRefused() {
        #expect(Self.code("d5 00 01 02") == .unsupportedExtension)
        #expect(Self.code("d6 00 01 02 03 04") == .unsupportedExtension)
        #expect(Self.code("d8 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00") == .unsupportedExtension)
        #expect(Self.code("c7 04 00 01 02") == .lengthExceedsInput)
        #expect(Self.code("d4 00 00", MessagePackDecoder()) == .unsupportedExtension)
        #expect(Self.code("c7 01 00 07", MessagePackDecoder()) == .unsupportedExtension)
        #expect(Self.code("d4 01 00") == .unsupportedExtension)  // type 1 stays refused
    }
}
