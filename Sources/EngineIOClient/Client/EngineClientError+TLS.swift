import NIOSSL

extension EngineClientError {
    /// A transport failure from the error NIO reported. TLS failures are said in words an
    /// operator can act on: BoringSSL's own text names the reason only deep inside a long
    /// string that user interfaces cut short.
    static func transportFailed(cause error: any Error) -> EngineClientError {
        .transportFailed(plainDescription(of: error))
    }

    static func plainDescription(of error: any Error) -> String {
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            return "TLS: the server's certificate is issued for another host name"
        }
        guard let tls = error as? NIOSSLError else { return "\(error)" }
        switch tls {
        case .handshakeFailed(let underlying):
            let detail = "\(underlying)"
            if detail.contains("CERTIFICATE_VERIFY_FAILED") {
                return "TLS: the server's certificate could not be verified (not trusted here, expired, or self-signed)"
            }
            if detail.contains("WRONG_VERSION_NUMBER") || detail.contains("PACKET_LENGTH_TOO_LONG") {
                return "TLS: the server did not answer in TLS (is it plain http?)"
            }
            return "TLS handshake failed: \(detail)"
        default:
            return "TLS: \(tls)"
        }
    }
}
