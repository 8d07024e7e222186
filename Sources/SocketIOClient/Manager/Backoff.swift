/// Exponential backoff with jitter, as `backo2` (which `socket.io-client` uses): attempt n
/// waits `min · 2ⁿ`, moved by up to `jitter` of itself either way, at most `max`.
public struct Backoff: Sendable {
    /// The first delay.
    public var min: Duration
    /// The longest delay.
    public var max: Duration
    /// The fraction a delay may move by, 0 for none.
    public var jitter: Double
    /// The growth factor.
    public var factor: Double = 2
    /// How many delays were handed out since the last ``reset()``.
    public private(set) var attempts = 0

    /// Creates a backoff.
    public init(min: Duration, max: Duration, jitter: Double) {
        self.min = min
        self.max = max
        self.jitter = Swift.min(Swift.max(jitter, 0), 1)
    }

    /// The next delay.
    /// - Parameter random: A number in 0..<1 for the jitter.
    public mutating func duration(random: Double) -> Duration {
        let minMilliseconds = Double(min.components.seconds) * 1000 + Double(min.components.attoseconds) / 1e15
        let maxMilliseconds = Double(max.components.seconds) * 1000 + Double(max.components.attoseconds) / 1e15
        var ms = minMilliseconds * pow2(factor, attempts)
        attempts += 1
        if jitter > 0 {
            let deviation = (random * jitter * ms).rounded(.down)
            ms = Int((random * 10).rounded(.down)) & 1 == 0 ? ms - deviation : ms + deviation
        }
        ms = Swift.min(ms, maxMilliseconds)
        return .milliseconds(Int64(Swift.max(ms, 0)))
    }

    /// Starts again from the first delay.
    public mutating func reset() {
        attempts = 0
    }

    private func pow2(_ base: Double, _ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<Swift.min(exponent, 64) { result *= base }
        return result
    }
}
