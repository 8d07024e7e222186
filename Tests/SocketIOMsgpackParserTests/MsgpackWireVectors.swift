import NIOCore

/// Packets as `socket.io-msgpack-parser` puts them on the wire, written byte by byte from
/// the MessagePack specification: a packet is a fixmap (`8N`), each key a fixstr
/// (`a0 + length`), small numbers positive fixints, binary a bin 8 (`c4 length bytes`).
/// Keys come in the order this encoder writes them: type, nsp, data, id.
enum MsgpackWireVectors {
    static let type = "a4 74 79 70 65"  // "type"
    static let nsp = "a3 6e 73 70"  // "nsp"
    static let data = "a4 64 61 74 61"  // "data"
    static let id = "a2 69 64"  // "id"
    static let root = "a1 2f"  // "/"
    static let custom = "a7 2f 63 75 73 74 6f 6d"  // "/custom"

    /// `{type: 0, nsp: "/"}`
    static let connectRoot = "82 \(type) 00 \(nsp) \(root)"
    /// `{type: 0, nsp: "/custom", data: {token: "abc"}}`
    static let connectCustomWithAuth =
        "83 \(type) 00 \(nsp) \(custom) \(data) 81 a5 74 6f 6b 65 6e a3 61 62 63"
    /// `{type: 1, nsp: "/custom"}`
    static let disconnectCustom = "82 \(type) 01 \(nsp) \(custom)"
    /// `{type: 2, nsp: "/", data: ["hello", 1]}`
    static let eventRoot = "83 \(type) 02 \(nsp) \(root) \(data) 92 a5 68 65 6c 6c 6f 01"
    /// `{type: 2, nsp: "/custom", data: ["ev"], id: 42}`
    static let eventCustomWithID = "84 \(type) 02 \(nsp) \(custom) \(data) 91 a2 65 76 \(id) 2a"
    /// `{type: 2, nsp: "/", data: ["bin", {file: <Buffer 01 02>}]}`
    static let eventWithNestedBinary =
        "83 \(type) 02 \(nsp) \(root) \(data) 92 a3 62 69 6e 81 a4 66 69 6c 65 c4 02 01 02"
    /// `{type: 3, nsp: "/", data: ["ok", <Buffer 01 02 03>], id: 7}`
    static let ackWithBinary = "84 \(type) 03 \(nsp) \(root) \(data) 92 a2 6f 6b c4 03 01 02 03 \(id) 07"
    /// `{type: 3, nsp: "/custom", data: [], id: 300}`: 300 needs a uint 16 (`cd 01 2c`).
    static let ackCustomLargeID = "84 \(type) 03 \(nsp) \(custom) \(data) 90 \(id) cd 01 2c"
    /// `{type: 4, nsp: "/", data: {message: "nope"}}`
    static let connectErrorRoot = "83 \(type) 04 \(nsp) \(root) \(data) 81 a7 6d 65 73 73 61 67 65 a4 6e 6f 70 65"

    /// Parses space-separated hex bytes.
    static func bytes(_ hex: String) -> ByteBuffer {
        ByteBuffer(bytes: hex.split(separator: " ").map { UInt8($0, radix: 16)! })
    }
}
