public import NIOSSL

extension AttachOptions {
    /// The client's TLS for an `https` server: `nil` (the system's trust roots, full
    /// verification) unless a trust file is given or verification is turned off.
    /// - Throws: ``AttachTLSError`` when the trust file holds no readable certificate.
    public func tlsConfiguration() throws -> TLSConfiguration? {
        guard trustedCertificatesFile != nil || !verifiesCertificate else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        if let file = trustedCertificatesFile {
            // Read now, so a wrong path is said at once rather than as a failed connection.
            let certificates: [NIOSSLCertificate]
            do {
                certificates = try NIOSSLCertificate.fromPEMFile(file)
            } catch {
                throw AttachTLSError(file: file, problem: "not a readable PEM certificate file (\(error))")
            }
            guard !certificates.isEmpty else { throw AttachTLSError(file: file, problem: "holds no certificate") }
            tls.trustRoots = .certificates(certificates)
        }
        if !verifiesCertificate { tls.certificateVerification = .none }
        return tls
    }
}

/// A trust file that `attach` cannot use, and why.
public struct AttachTLSError: Error, CustomStringConvertible {
    /// The file, as given.
    public let file: String
    /// What is wrong with it.
    public let problem: String
    public var description: String { "\(file): \(problem)" }
}
