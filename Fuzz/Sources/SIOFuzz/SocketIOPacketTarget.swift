import NIOCore
import SocketIOParser

/// The Socket.IO packet decoder of one connection, fed a stream of messages: the input is
/// cut at `0xFE 0xFF`; each piece goes in as a binary message while a binary packet awaits
/// attachments and as a text message otherwise (a piece starting with 0xFD goes in as a
/// binary message whatever the state, as a client sending one out of turn would).
enum SocketIOPacketTarget {
    private static let encoder = SocketIOPacketEncoder()

    static func run(_ bytes: UnsafeRawBufferPointer) {
        var decoder = SocketIOPacketDecoder()
        for piece in bytes.pieces(separatedBy: [0xFE, 0xFF]) {
            let buffer = ByteBuffer(bytes: piece)
            let outOfTurn = piece.first == 0xFD
            do {
                let packet = decoder.isAwaitingAttachments || outOfTurn
                    ? try decoder.receive(binary: buffer)
                    : try decoder.receive(text: buffer)
                if let packet { checkRoundTrip(packet) }
            } catch {
                // The decoder is back in its initial state after an error, as it documents.
                require(!decoder.isAwaitingAttachments, "decoder kept state after \(error)")
            }
        }
    }

    private struct Meaning: Equatable {
        var isEvent: Bool
        var isAck: Bool
        var type: SocketIOPacketType?
        var namespace: String
        var data: JSONValue?
        var ackId: UInt64?
    }

    private static func meaning(_ packet: SocketIOPacket) -> Meaning {
        let folded = packet.type.isEvent || packet.type.isAck
        return Meaning(isEvent: packet.type.isEvent, isAck: packet.type.isAck, type: folded ? nil : packet.type,
                       namespace: packet.namespace, data: packet.data?.nonFiniteAsNull, ackId: packet.ackId)
    }

    /// A packet the decoder accepted encodes, and the encoding decodes to the same packet:
    /// what the server relays is what the client meant.
    private static func checkRoundTrip(_ packet: SocketIOPacket) {
        let encoded: SocketIOEncodedPacket
        do { encoded = try encoder.encode(packet) } catch {
            fatalError("a decoded packet does not encode: \(error) \(packet)")
        }
        var decoder = SocketIOPacketDecoder()
        do {
            var again = try decoder.receive(text: encoded.text)
            for attachment in encoded.attachments { again = try decoder.receive(binary: attachment) }
            // The encoder picks the binary type and attachment count from the payload (an
            // announced attachment no placeholder uses is dropped, as in Node), so only
            // what the packet means is compared; a number that is not finite goes out as
            // `null`, as `JSON.stringify` writes it.
            require(again.map(meaning) == meaning(packet), "round trip changed the packet: \(packet) → \(String(describing: again))")
        } catch {
            fatalError("the encoding of a decoded packet does not decode: \(error) \(packet)")
        }
    }
}
