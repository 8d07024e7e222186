/// Traffic rates per second, sampled about once a second from the monitor's totals, with
/// a history for sparklines.
public struct RateHistory: Sendable {
    /// One second's rates.
    public struct Sample: Sendable, Equatable {
        /// Packets received per second.
        public var packetsIn: Double
        /// Packets sent per second.
        public var packetsOut: Double
        /// Bytes received per second.
        public var bytesIn: Double
        /// Bytes sent per second.
        public var bytesOut: Double

        /// Creates a sample.
        public init(packetsIn: Double = 0, packetsOut: Double = 0, bytesIn: Double = 0, bytesOut: Double = 0) {
            self.packetsIn = packetsIn
            self.packetsOut = packetsOut
            self.bytesIn = bytesIn
            self.bytesOut = bytesOut
        }
    }

    /// The most samples kept.
    public let capacity: Int
    /// The samples, oldest first.
    public private(set) var samples: [Sample] = []
    private var lastTotals: TrafficTotals?
    private var lastTime: Int64 = 0

    /// Creates an empty history.
    ///
    /// - Parameter capacity: The most samples kept.
    public init(capacity: Int = 120) {
        self.capacity = max(1, capacity)
    }

    /// The latest rates (zero before the first full second).
    public var current: Sample { samples.last ?? Sample() }

    /// Takes a sample when at least `interval` passed since the last one.
    ///
    /// - Parameters:
    ///   - totals: The totals now.
    ///   - time: Now, in nanoseconds.
    ///   - interval: The shortest time between samples, in nanoseconds.
    /// - Returns: Whether a sample was added.
    @discardableResult
    public mutating func sample(_ totals: TrafficTotals, time: Int64, interval: Int64 = 1_000_000_000) -> Bool {
        guard let last = lastTotals else {
            lastTotals = totals
            lastTime = time
            return false
        }
        let elapsed = time - lastTime
        guard elapsed >= interval else { return false }
        let seconds = Double(elapsed) / 1e9
        samples.append(Sample(
            packetsIn: Double(totals.packetsIn - last.packetsIn) / seconds,
            packetsOut: Double(totals.packetsOut - last.packetsOut) / seconds,
            bytesIn: Double(totals.bytesIn - last.bytesIn) / seconds,
            bytesOut: Double(totals.bytesOut - last.bytesOut) / seconds
        ))
        if samples.count > capacity { samples.removeFirst(samples.count - capacity) }
        lastTotals = totals
        lastTime = time
        return true
    }
}

/// Draws a series as a one-line bar chart with the eight block characters `▁▂▃▄▅▆▇█`.
public enum Sparkline {
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The last `width` values, scaled to the largest; zero is a blank.
    ///
    /// - Parameters:
    ///   - values: The series, oldest first.
    ///   - width: The number of cells.
    /// - Returns: Exactly `width` characters (padded with blanks on the left).
    public static func render(_ values: [Double], width: Int) -> String {
        guard width > 0 else { return "" }
        let shown = values.suffix(width)
        let top = shown.max() ?? 0
        var text = String(repeating: " ", count: width - shown.count)
        for value in shown {
            if value <= 0 || top <= 0 {
                text.append(" ")
            } else {
                let level = min(blocks.count - 1, Int((value / top) * Double(blocks.count - 1) + 0.5))
                text.append(blocks[level])
            }
        }
        return text
    }

    /// A rate for people: `0`, `12`, `3.4k`, `1.2M`.
    ///
    /// - Parameter value: A count per second.
    /// - Returns: Short text.
    public static func formatRate(_ value: Double) -> String {
        if value < 10 { return value == value.rounded() ? String(Int(value)) : ProcessMemory.oneDecimal(value) }
        if value < 1000 { return String(Int(value.rounded())) }
        if value < 1_000_000 { return ProcessMemory.oneDecimal(value / 1000) + "k" }
        return ProcessMemory.oneDecimal(value / 1_000_000) + "M"
    }
}
