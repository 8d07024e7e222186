/// Session ids: 15 random bytes from the system's cryptographic source, in URL-safe
/// base64, which gives 20 characters as Node's `base64id` does.
public enum SessionID {
    private static let alphabet: [Character] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    /// A new random id of 20 URL-safe characters.
    public static func random() -> String {
        // SystemRandomNumberGenerator reads getrandom(2) on Linux: cryptographically secure.
        var generator = SystemRandomNumberGenerator()
        var id = ""
        id.reserveCapacity(20)
        for _ in 0..<20 { id.append(alphabet[Int(generator.next(upperBound: UInt8(64)))]) }
        return id
    }
}
