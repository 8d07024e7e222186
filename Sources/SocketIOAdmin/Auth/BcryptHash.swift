import HummingbirdBcrypt

/// A bcrypt hash as Node's `bcryptjs` accepts it, checked once and normalised for the C
/// bcrypt underneath, which knows `$2a$` and `$2b$` only: `$2y$` (PHP's name for the same
/// algorithm as `$2b$`) is rewritten to `$2b$`.
struct BcryptHash: Sendable {
    let normalized: String

    /// - Throws: ``AdminConfigurationError/invalidPasswordHash`` when `hash` is not
    ///   `$2[aby]$NN$` followed by 53 characters of bcrypt's base64.
    init(_ hash: String) throws {
        let bytes = Array(hash.utf8)
        let alphabet = Set("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        guard bytes.count == 60, bytes[0] == UInt8(ascii: "$"), bytes[1] == UInt8(ascii: "2"),
              [UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "y")].contains(bytes[2]),
              bytes[3] == UInt8(ascii: "$"), bytes[6] == UInt8(ascii: "$"),
              let cost = Int(String(decoding: bytes[4...5], as: UTF8.self)), (4...31).contains(cost),
              bytes[7...].allSatisfy(alphabet.contains)
        else { throw AdminConfigurationError.invalidPasswordHash }
        normalized = bytes[2] == UInt8(ascii: "y") ? "$2b" + hash.dropFirst(3) : hash
    }

    /// Whether `password` hashes to this hash. Slow by design: call it off the event loops.
    func matches(_ password: String) -> Bool {
        Bcrypt.verify(password, hash: normalized)
    }
}
