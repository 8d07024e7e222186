public import NIOSSL

/// TLS for a server that serves `https` and `wss` itself: what Node gets by handing an
/// `https.Server` to the engine. Behind a proxy that ends TLS, none of this is needed.
public enum EngineTLS {
    /// A server context from PEM files: the certificate chain (the server's own
    /// certificate first, then any intermediates) and its private key. HTTP/1.1 is the
    /// only protocol offered by ALPN, the only one the engine speaks.
    /// - Throws: ``EngineTLSError`` naming the file that could not be used.
    public static func serverContext(certificateChainFile: String, privateKeyFile: String) throws -> NIOSSLContext {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificateChainFile)
        } catch {
            throw EngineTLSError(file: certificateChainFile, problem: "not a readable PEM certificate chain (\(error))")
        }
        guard !chain.isEmpty else { throw EngineTLSError(file: certificateChainFile, problem: "holds no certificate") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: privateKeyFile, format: .pem)
        } catch {
            throw EngineTLSError(file: privateKeyFile, problem: "not a readable PEM private key (\(error))")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key)
        )
        configuration.applicationProtocols = ["http/1.1"]
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw EngineTLSError(file: privateKeyFile, problem: "does not go with the certificate (\(error))")
        }
    }
}

/// A certificate or key file that cannot serve TLS, and why.
public struct EngineTLSError: Error, CustomStringConvertible {
    /// The file, as given.
    public let file: String
    /// What is wrong with it.
    public let problem: String
    public var description: String { "\(file): \(problem)" }
}
