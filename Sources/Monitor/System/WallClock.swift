#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The wall clock in nanoseconds since 1970, read the cheap way (vDSO on Linux).
public enum WallClock {
    /// Now, in nanoseconds since 1970.
    public static func nanoseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }

    /// `HH:MM:SS.mmm` in local time.
    ///
    /// - Parameter nanoseconds: A time from ``nanoseconds()``.
    /// - Returns: The time of day.
    public static func timeOfDay(_ nanoseconds: Int64) -> String {
        var seconds = time_t(nanoseconds / 1_000_000_000)
        var parts = tm()
        localtime_r(&seconds, &parts)
        let millis = Int((nanoseconds / 1_000_000) % 1000)
        return pad(Int(parts.tm_hour)) + ":" + pad(Int(parts.tm_min)) + ":" + pad(Int(parts.tm_sec)) + "." + pad(millis, 3)
    }

    /// An ISO 8601 UTC timestamp with milliseconds (`2025-01-31T12:00:00.123Z`).
    ///
    /// - Parameter nanoseconds: A time from ``nanoseconds()``.
    /// - Returns: The timestamp.
    public static func iso8601(_ nanoseconds: Int64) -> String {
        var seconds = time_t(nanoseconds / 1_000_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let millis = Int((nanoseconds / 1_000_000) % 1000)
        return pad(Int(parts.tm_year) + 1900, 4) + "-" + pad(Int(parts.tm_mon) + 1) + "-" + pad(Int(parts.tm_mday))
            + "T" + pad(Int(parts.tm_hour)) + ":" + pad(Int(parts.tm_min)) + ":" + pad(Int(parts.tm_sec))
            + "." + pad(millis, 3) + "Z"
    }

    /// A duration as `3d 04h`, `2h 05m`, `4m 07s` or `12s`.
    ///
    /// - Parameter seconds: The duration.
    /// - Returns: Two units at most.
    public static func duration(seconds: Int64) -> String {
        let seconds = max(0, seconds)
        let days = seconds / 86_400, hours = (seconds / 3600) % 24, minutes = (seconds / 60) % 60, rest = seconds % 60
        if days > 0 { return "\(days)d \(pad(Int(hours)))h" }
        if hours > 0 { return "\(hours)h \(pad(Int(minutes)))m" }
        if minutes > 0 { return "\(minutes)m \(pad(Int(rest)))s" }
        return "\(rest)s"
    }

    static func pad(_ value: Int, _ width: Int = 2) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
