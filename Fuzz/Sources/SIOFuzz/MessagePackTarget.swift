import MessagePack
import NIOCore
import SocketIOParser

/// The cluster adapter's MessagePack decoder, as a hostile node or a forged database row
/// reaches it: any bytes, one value expected.
enum MessagePackTarget {
    private static let decoder = MessagePackDecoder()
    private static let encoder = MessagePackEncoder()

    static func run(_ bytes: UnsafeRawBufferPointer) {
        guard let value = try? decoder.decode(ByteBuffer(bytes: bytes)) else { return }
        // What the decoder accepts, the encoder writes back, and reading that gives the same
        // value: a message relayed between nodes keeps its meaning.
        let encoded: ByteBuffer
        do { encoded = try encoder.encode(value) } catch {
            fatalError("a decoded value does not encode: \(error)")
        }
        do {
            let again = try decoder.decode(encoded)
            require(again == value || value.containsNaN, "MessagePack round trip changed \(value) into \(again)")
        } catch {
            fatalError("the encoding of a decoded value does not decode: \(error)")
        }
    }
}
