public import SocketIOParser

extension SocketIOPacketParser {
    /// `socket.io-msgpack-parser`: each packet is one binary message holding the MessagePack
    /// map `{type, nsp, data?, id?}`; binary values travel inside `data` as MessagePack `bin`,
    /// so there are no attachments and no `BINARY_EVENT` or `BINARY_ACK` on the wire.
    ///
    /// Mirrors `parser: require("socket.io-msgpack-parser")` in Node.
    public static let msgpack = SocketIOPacketParser(name: "msgpack", binaryCodec: MsgpackPacketCodec())
}

extension SocketIOPacketParser {
    /// Every parser, for command lines and help text: `default`, `msgpack`.
    public static let all: [SocketIOPacketParser] = [.default, .msgpack]

    /// The parser with `name`, as command lines spell it (`default` or `msgpack`).
    ///
    /// - Parameter name: The parser's ``name``.
    /// - Returns: The parser, or `nil` when no parser has that name.
    public static func named(_ name: String) -> SocketIOPacketParser? {
        all.first { $0.name == name }
    }
}
