package import Foundation

/// A self-signed certificate for 127.0.0.1 and localhost, made by the `openssl` command in a
/// folder of its own, for tests that serve https/wss. `remove()` deletes the folder.
package struct TestCertificate: Sendable {
    package let folder: URL
    package var certificatePath: String { folder.appendingPathComponent("cert.pem").path }
    package var keyPath: String { folder.appendingPathComponent("key.pem").path }

    /// - Throws: when `openssl` is missing or fails.
    package static func generate() throws -> TestCertificate {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sio-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let certificate = TestCertificate(folder: folder)
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", certificate.keyPath, "-out", certificate.certificatePath, "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else {
            certificate.remove()
            throw TestCertificateError(status: openssl.terminationStatus)
        }
        return certificate
    }

    package func remove() { try? FileManager.default.removeItem(at: folder) }
}

/// `openssl req` failed.
package struct TestCertificateError: Error, CustomStringConvertible {
    let status: Int32
    package var description: String { "openssl req exited with status \(status)" }
}
