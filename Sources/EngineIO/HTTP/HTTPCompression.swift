import NIOHTTP1
import NIOHTTPCompression

/// Compression of polling responses: the engine marks the responses worth compressing
/// and the compressor, which sits in front of it, acts only on those.
enum HTTPCompression {
    /// A private header the engine sets and the compressor's predicate removes.
    static let markerHeader = "x-engine-io-compress"

    static func makeCompressor() -> HTTPResponseCompressor {
        HTTPResponseCompressor(responseCompressionPredicate: { head, _ in
            guard head.headers.contains(name: markerHeader) else { return .doNotCompress }
            head.headers.remove(name: markerHeader)
            // The compressor writes a chunked body; a fixed length would be wrong.
            head.headers.remove(name: "Content-Length")
            return .compressIfPossible
        })
    }
}
