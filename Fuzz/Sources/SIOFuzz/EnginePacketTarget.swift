import NIOCore
@testable import EngineIOParser

/// Engine.IO packets as a WebSocket frame brings them (text and binary) and polling bodies as
/// a POST brings them (records split on 0x1e, `b` records in base64).
enum EnginePacketTarget {
    static func run(_ bytes: UnsafeRawBufferPointer) {
        let buffer = ByteBuffer(bytes: bytes)
        if let packet = try? EnginePacket.decode(text: buffer) {
            // What the session reads of every packet it accepts.
            _ = packet.message?.stringValue
            _ = packet.data.readableBytes
        }
        _ = EnginePacket.decode(binary: buffer).message

        guard let packets = try? PollingPayload.decode(buffer) else { return }
        // A body that decodes re-encodes to packets that decode the same: the polling
        // encoder and decoder are each other's inverse on anything a client can send.
        let again = try? PollingPayload.decode(PollingPayload.encode(packets))
        require(again == packets, "polling payload does not survive encode → decode")
        for packet in packets { _ = packet.message?.stringValue }
    }
}
