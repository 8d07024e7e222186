import EngineIO
import NIOSSL

/// `--tls-cert` and `--tls-key`: the embedded server's TLS, and what the demo's in-process
/// clients need to reach it over loopback (they trust that certificate, whatever host
/// name it was issued for).
struct EmbeddedTLS {
    let server: NIOSSLContext
    let loopbackClient: TLSConfiguration

    /// `nil` without files (plain http); the parser has made sure both or neither are given.
    /// - Throws: ``EngineTLSError`` naming a file that cannot serve TLS.
    init?(certificateFile: String?, keyFile: String?) throws {
        guard let certificateFile, let keyFile else { return nil }
        server = try EngineTLS.serverContext(certificateChainFile: certificateFile, privateKeyFile: keyFile)
        var client = TLSConfiguration.makeClientConfiguration()
        client.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificateFile))
        client.certificateVerification = .noHostnameVerification
        loopbackClient = client
    }
}
