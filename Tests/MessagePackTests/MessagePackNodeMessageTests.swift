import NIOCore
import MessagePack
import Testing

import SocketIOParser

/// What `@socket.io/postgres-adapter` stores in its attachment table: `encode(message)` from
/// `@msgpack/msgpack`, for messages that carry binary or exceed the NOTIFY payload threshold.
///
/// The expected bytes are written by hand from the MessagePack specification and
/// msgpack-javascript's encoder: a JavaScript object becomes a map of its `Object.keys` in
/// insertion order (fixmap below 16 keys), each key a fixstr (`a0 + length`); small
/// non-negative numbers are positive fixints; a Node `Buffer` is a `Uint8Array`, hence
/// bin 8 (`c4 length bytes`); a `Date` is the timestamp extension (`d7 ff` + 8 bytes when it
/// has milliseconds); a number above 2^32 is uint 64 (`cf`).
@Suite("MessagePack: @socket.io/postgres-adapter messages")
struct MessagePackNodeMessageTests {
    /// The broadcast of `io.emit("ev", Buffer.from([1, 2]))` to room "r", in the shape
    /// `{uid, type, data: {opts, packet}}`, keys in that order. Socket.IO builds the packet as
    /// `{type: 2 /* EVENT */, data: [...args], nsp}` and the options as
    /// `{rooms: [...], except: [...], flags: {}}` (sets turned into arrays).
    static let broadcastValue: JSONValue = [
        "uid": "4f2c9a1b7d3e5f60",
        "type": 3,
        "data": [
            "opts": ["rooms": ["r"], "except": [], "flags": [:]],
            "packet": ["type": 2, "data": ["ev", .binary(ByteBuffer(bytes: [1, 2]))], "nsp": "/"],
        ],
    ]

    static let broadcastBytes = MessagePackTesting.bytes(
        """
        83                                              // map of 3 entries
          a3 75 69 64                                   // "uid"
          b0 34 66 32 63 39 61 31 62 37 64 33 65 35 66 36 30  // "4f2c9a1b7d3e5f60": fixstr of 16 (a0 + 0x10)
          a4 74 79 70 65                                // "type"
          03                                            // 3 = BROADCAST, positive fixint
          a4 64 61 74 61                                // "data"
          82                                            // map of 2
            a4 6f 70 74 73                              // "opts"
            83                                          // map of 3
              a5 72 6f 6f 6d 73                         // "rooms"
              91 a1 72                                  // ["r"]: array of 1, fixstr "r"
              a6 65 78 63 65 70 74                      // "except"
              90                                        // []
              a5 66 6c 61 67 73                         // "flags"
              80                                        // {}
            a6 70 61 63 6b 65 74                        // "packet"
            83                                          // map of 3
              a4 74 79 70 65  02                        // type: 2 = EVENT
              a4 64 61 74 61                            // "data"
              92                                        // array of 2
                a2 65 76                                // "ev"
                c4 02 01 02                             // <Buffer 01 02>: bin 8 of 2 bytes
              a3 6e 73 70  a1 2f                        // nsp: "/"
        """
    )

    /// The same broadcast as version 0.4/0.5 actually sends it: socket.io-adapter's
    /// `ClusterAdapter.broadcast` publishes `{type: BROADCAST, data: {packet, opts}}` and
    /// `publishAndReturnOffset` then sets `message.uid` and `message.nsp`, so those two keys
    /// come last.
    static let clusterBroadcastValue: JSONValue = [
        "type": 3,
        "data": [
            "packet": ["type": 2, "data": ["ev", .binary(ByteBuffer(bytes: [1, 2]))], "nsp": "/"],
            "opts": ["rooms": ["r"], "except": [], "flags": [:]],
        ],
        "uid": "4f2c9a1b7d3e5f60",
        "nsp": "/",
    ]

    static let clusterBroadcastBytes = MessagePackTesting.bytes(
        """
        84                                              // map of 4
          a4 74 79 70 65  03                            // type: 3 = BROADCAST
          a4 64 61 74 61                                // "data"
          82                                            // map of 2
            a6 70 61 63 6b 65 74                        // "packet"
            83
              a4 74 79 70 65  02                        // type: 2 = EVENT
              a4 64 61 74 61  92 a2 65 76 c4 02 01 02   // data: ["ev", <Buffer 01 02>]
              a3 6e 73 70  a1 2f                        // nsp: "/"
            a4 6f 70 74 73                              // "opts"
            83
              a5 72 6f 6f 6d 73  91 a1 72               // rooms: ["r"]
              a6 65 78 63 65 70 74  90                  // except: []
              a5 66 6c 61 67 73  80                     // flags: {}
          a3 75 69 64                                   // "uid"
          b0 34 66 32 63 39 61 31 62 37 64 33 65 35 66 36 30
          a3 6e 73 70  a1 2f                            // nsp: "/"
        """
    )

    /// A `FETCH_SOCKETS_RESPONSE` (type 8) whose socket data holds a `Date`: msgpack-javascript
    /// writes it as a timestamp 64 (`new Date(1700000000123)`: sec 1700000000, nsec 123000000,
    /// so `nsec << 2 | sec >> 32` = 1d 53 53 00 and `sec & 0xffffffff` = 65 53 f1 00), and the
    /// handshake's `issued` (a millisecond count above 2^32) as uint 64.
    static let fetchSocketsResponseBytes = MessagePackTesting.bytes(
        """
        84                                              // map of 4
          a4 74 79 70 65  08                            // type: 8 = FETCH_SOCKETS_RESPONSE
          a4 64 61 74 61                                // "data"
          82
            a9 72 65 71 75 65 73 74 49 64  a2 72 31     // requestId: "r1"
            a7 73 6f 63 6b 65 74 73                     // "sockets"
            91                                          // array of 1
              84                                        // map of 4
                a2 69 64  a2 73 31                      // id: "s1"
                a9 68 61 6e 64 73 68 61 6b 65           // "handshake"
                82
                  a6 69 73 73 75 65 64                  // "issued"
                  cf 00 00 01 8b cf e5 68 7b            // 1700000000123: uint 64
                  a7 78 64 6f 6d 61 69 6e  c2           // xdomain: false
                a5 72 6f 6f 6d 73  91 a2 73 31          // rooms: ["s1"]
                a4 64 61 74 61                          // "data"
                81
                  a5 73 69 6e 63 65                     // "since"
                  d7 ff 1d 53 53 00 65 53 f1 00         // Date 2023-11-14T22:13:20.123Z: timestamp 64
          a3 75 69 64  a1 75                            // uid: "u"
          a3 6e 73 70  a1 2f                            // nsp: "/"
        """
    )

    @Test("encodes a broadcast as Node does")
    func encodesBroadcast() throws {
        let bytes = try MessagePackTesting.encode(Self.broadcastValue)
        #expect(bytes == Self.broadcastBytes, "got \(MessagePackTesting.hex(bytes))")
        #expect(Self.broadcastBytes.count == 97)
    }

    @Test("decodes a broadcast from Node")
    func decodesBroadcast() throws {
        let value = try MessagePackTesting.decode(Self.broadcastBytes)
        #expect(value == Self.broadcastValue)
        guard case .object(let message) = value, case .object(let data) = message["data"],
            case .object(let packet) = data["packet"], case .array(let arguments) = packet["data"]
        else {
            Issue.record("unexpected shape: \(value)")
            return
        }
        #expect(message.keys == ["uid", "type", "data"])
        #expect(arguments.last == .binary(ByteBuffer(bytes: [1, 2])))
    }

    @Test("encodes and decodes a 0.5 cluster broadcast")
    func clusterBroadcast() throws {
        let bytes = try MessagePackTesting.encode(Self.clusterBroadcastValue)
        #expect(bytes == Self.clusterBroadcastBytes, "got \(MessagePackTesting.hex(bytes))")
        let value = try MessagePackTesting.decode(Self.clusterBroadcastBytes)
        #expect(value == Self.clusterBroadcastValue)
        guard case .object(let message) = value else {
            Issue.record("not an object: \(value)")
            return
        }
        #expect(message.keys == ["type", "data", "uid", "nsp"])
    }

    @Test("decodes a fetch-sockets response with a Date and a large integer")
    func decodesFetchSocketsResponse() throws {
        let value = try MessagePackTesting.decode(Self.fetchSocketsResponseBytes)
        let expected: JSONValue = [
            "type": 8,
            "data": [
                "requestId": "r1",
                "sockets": [
                    [
                        "id": "s1",
                        "handshake": ["issued": 1_700_000_000_123, "xdomain": false],
                        "rooms": ["s1"],
                        "data": ["since": "2023-11-14T22:13:20.123Z"],
                    ]
                ],
            ],
            "uid": "u",
            "nsp": "/",
        ]
        #expect(value == expected)

        // Re-encoding writes the Date as the string a Node server would have sent on to clients.
        let reencoded = try MessagePackTesting.encode(value)
        #expect(try MessagePackTesting.decode(reencoded) == expected)
    }
}
