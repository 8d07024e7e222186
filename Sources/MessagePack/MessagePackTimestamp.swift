import SocketIOParser

/// The MessagePack timestamp extension (type `-1`), turned into the string a JavaScript
/// `Date` becomes in JSON.
///
/// msgpack-javascript encodes every `Date` as this extension and decodes it back with
/// `new Date(sec * 1000 + nsec / 1e6)`. Socket.IO then sends that `Date` to clients through
/// `JSON.stringify`, that is `Date.prototype.toISOString()`: `2024-05-06T07:08:09.010Z`.
/// Mapping the extension to that string gives a Swift server exactly what a Node server
/// would end up sending.
enum MessagePackTimestamp {
    /// JavaScript's time value range: ±8.64e15 ms around the epoch.
    private static let maxTimeValue: Double = 8.64e15

    /// Decodes the 4-, 8- or 12-byte payload of a timestamp extension.
    ///
    /// - Parameter payload: The extension data.
    /// - Returns: The ISO 8601 string, or a reason the payload is invalid.
    static func isoString(payload: [UInt8]) -> Result<String, Failure> {
        let seconds: Int64
        let nanoseconds: UInt32
        switch payload.count {
        case 4:  // timestamp 32: sec32 (unsigned)
            seconds = Int64(Self.bigEndian(payload[0..<4]))
            nanoseconds = 0
        case 8:  // timestamp 64: nsec30 (unsigned) | sec34 (unsigned)
            let bits = Self.bigEndian(payload[0..<8])
            seconds = Int64(bits & 0x3_ffff_ffff)
            nanoseconds = UInt32(bits >> 34)
        case 12:  // timestamp 96: nsec32 (unsigned), sec64 (signed)
            nanoseconds = UInt32(Self.bigEndian(payload[0..<4]))
            seconds = Int64(bitPattern: Self.bigEndian(payload[4..<12]))
        default:
            return .failure(.size(payload.count))
        }
        guard nanoseconds <= 999_999_999 else {
            return .failure(.nanoseconds(nanoseconds))
        }
        // Exactly JavaScript's arithmetic: `new Date(sec * 1000 + nsec / 1e6)` computes in
        // doubles, then TimeClip rejects values beyond ±8.64e15 and truncates toward zero.
        let time = Double(seconds) * 1000 + Double(nanoseconds) / 1e6
        guard time.magnitude <= Self.maxTimeValue else {
            return .failure(.outOfRange(seconds))
        }
        return .success(Self.isoString(milliseconds: Int64(time.rounded(.towardZero))))
    }

    /// Why a timestamp payload was refused.
    enum Failure: Error {
        case size(Int)
        case nanoseconds(UInt32)
        case outOfRange(Int64)

        var detail: String {
            switch self {
            case .size(let size): "\(size) bytes, expected 4, 8 or 12"
            case .nanoseconds(let nanoseconds): "\(nanoseconds) nanoseconds"
            case .outOfRange(let seconds): "\(seconds) seconds is outside a JavaScript Date's range"
            }
        }
    }

    /// Formats a time value as `Date.prototype.toISOString()` does.
    static func isoString(milliseconds: Int64) -> String {
        JavaScriptDate.isoString(millisecondsSince1970: milliseconds)
    }

    private static func bigEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }
}
