import NIOCore
import SocketIOParser

/// Extension type 0 as notepack.io, the codec of `socket.io-msgpack-parser`, writes it.
///
/// notepack.io gives type 0 three meanings, told apart by the form:
/// - fixext 1 (`d4 00 00`): `undefined`, read as ``JSONValue/null``, which is what
///   `JSON.stringify` makes of `undefined` in an array (the default parser's view of it);
/// - fixext 8 (`d7 00` + a signed 64-bit count of milliseconds): a `Date`, read as the
///   string `toISOString()` gives, as the default parser would receive it;
/// - ext 8, 16 or 32: the bytes of an `ArrayBuffer` or typed array (how a browser's binary
///   travels; a Node `Buffer` is written as bin), read as ``JSONValue/binary(_:)``.
///
/// Every other form of type 0 is refused: notepack.io would hand the application a
/// `[type, bytes]` pair that no JSON value stands for.
enum NotepackExtension {
    /// JavaScript's time value range: ±8.64e15 ms around the epoch.
    private static let maxTimeValue: Int64 = 8_640_000_000_000_000

    /// Why a type-0 extension was refused.
    struct Failure: Error {
        let code: MessagePackError.Code
        let detail: String
    }

    /// The value of a type-0 extension.
    ///
    /// - Parameters:
    ///   - body: The extension's data.
    ///   - fixed: Whether it came in a fixext form (`d4`…`d8`) rather than ext 8/16/32.
    /// - Returns: The value, or why it is refused.
    static func value(_ body: ByteBuffer, fixed: Bool) -> Result<JSONValue, Failure> {
        guard fixed else { return .success(.binary(body)) }
        switch body.readableBytes {
        case 1:
            return .success(.null)
        case 8:
            guard let milliseconds = body.getInteger(at: body.readerIndex, endianness: .big, as: Int64.self),
                  milliseconds.magnitude <= UInt64(Self.maxTimeValue)
            else {
                return .failure(Failure(code: .invalidTimestamp, detail: "a notepack.io Date outside a JavaScript Date's range"))
            }
            return .success(.string(MessagePackTimestamp.isoString(milliseconds: milliseconds)))
        default:
            return .failure(Failure(code: .unsupportedExtension, detail: "type 0 as fixext \(body.readableBytes)"))
        }
    }
}
